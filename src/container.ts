import type { Logger } from 'pino';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { createDatabase, type Database } from './db/database.ts';
import { createAuthenticate } from './http/authenticate.ts';
import { createIdempotencyStore } from './http/idempotency.ts';
import { createLogger } from './http/logger.ts';
import { createPublicCache } from './http/public-cache.ts';
import { createRedisPurgeBus } from './http/purge-bus.ts';
import { createRateLimits } from './http/rate-limit.ts';
import { createAuditModule } from './modules/audit/index.ts';
import { createHealthModule } from './modules/health/index.ts';
import { createApiKeysModule } from './modules/api-keys/index.ts';
import { createAuthModule } from './modules/auth/index.ts';
import { createRubricsModule } from './modules/rubrics/index.ts';
import { createTagsModule } from './modules/tags/index.ts';
import { createMediaModule } from './modules/media/index.ts';
import { createLocalStorage, createS3Storage } from './storage/storage.ts';
import { createFeedModule } from './modules/feed/index.ts';
import { createUsersModule } from './modules/users/index.ts';
import { createArticleNinjs, createArticlesModule } from './modules/articles/index.ts';
import { createSearchIndex, createSearchModule } from './modules/search/index.ts';
import { bodyToHtml, createArticleJsonLd, createSyndicationModule, type SiteInfo } from './modules/syndication/index.ts';
import { createPasswordHasher } from './shared/passwords.ts';
import { createPublicUrls } from './shared/public-urls.ts';
import { createWebhooksModule } from './modules/webhooks/index.ts';
import { createDocsModule } from './modules/docs/index.ts';
import { withAuditTrail } from './shared/domain-events.ts';
import { createAdsModule } from './modules/ads/index.ts';
import { createCommentsModule } from './modules/comments/index.ts';
import { createNarrationModule } from './modules/narration/index.ts';
import { createLiveModule } from './modules/live/index.ts';
import { createInterchangeModule, incomingFromNinjs } from './modules/interchange/index.ts';
import { createStreamModule } from './modules/stream/index.ts';
import { createWireModule } from './modules/wire/index.ts';
import { collectNotedPurges } from './shared/cache-keys.ts';
import type { SystemActor } from './shared/actor.ts';
import { keysPurgedBy, liveEntriesKey } from './shared/cache-keys.ts';
import { articleTopic, feedTopic, type StreamEventInput } from './shared/stream-events.ts';
import type { PublicCache } from './http/public-cache.ts';

interface StreamTelling {
  emit: (event: StreamEventInput) => Promise<void>;
  isPublicArticle: (id: string) => Promise<boolean>;
  logger: Logger;
}

/**
 * After a purge: a live blog's entries purged with its page (they answer 404 once it is not public), and the stream
 * told: `feed` when the feed may have changed, `article:{id}` for each public article changed.
 */
async function tellStream(
  cache: PublicCache,
  stream: StreamTelling,
  keys: readonly string[] | 'everything',
  articleIds: readonly string[],
) {
  const changed = keys === 'everything' ? articleIds : articleIds.filter((id) => keys.includes(`article:${id}`));
  if (changed.length) cache.purge(changed.map(liveEntriesKey));
  try {
    if (keys === 'everything' || keys.includes('feed')) await stream.emit({ topic: feedTopic, type: 'feed.changed', data: {} });
    for (const id of articleIds) {
      if (await stream.isPublicArticle(id))
        await stream.emit({ topic: articleTopic(id), type: 'article.updated', data: { articleId: id } });
    }
  } catch (error) {
    // The write is done: a stream that cannot be told is logged, not answered with an error.
    stream.logger.error({ err: error }, 'stream: could not record a change');
  }
}

/** The public cache, whose purges after a request's write also reach a live blog's entries and tell the stream. */
function withStreamEvents(cache: PublicCache, stream: StreamTelling): PublicCache {
  return {
    ...cache,
    async purgeAfterWrite(write) {
      await cache.purgeAfterWrite(write);
      const articleIds = write.targetType === 'article' && write.targetId ? [write.targetId] : [];
      await tellStream(cache, stream, keysPurgedBy(write), articleIds);
    },
  };
}

const articleIdsIn = (keys: readonly string[]) => keys.flatMap((key) => (key.startsWith('article:') ? [key.slice('article:'.length)] : []));

export interface ContainerOptions {
  logger?: Logger;
  /** The clock every service reads; tests inject their own. */
  now?: () => Date;
  /** Called with each SQL statement (query-count tests). */
  onQuery?: (sql: string) => void;
}

/** The composition root: builds the database, the modules and the app from the configuration. */
export function createContainer(config: Config, options: ContainerOptions = {}) {
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? (() => new Date());
  const db: Database = createDatabase(config.databaseUrl, {
    timeouts: config.databaseTimeouts,
    answerWatch: config.databaseAnswerWatch,
    onQuery: options.onQuery,
  });
  const prisma = db.prisma;

  const health = createHealthModule({ isDatabaseReachable: db.isReachable });
  const audit = createAuditModule({ prisma, now });
  // The webhook outbox: services record their events in their own transactions through `events`, and the
  // request's audit entry with them (the audit trail); writes with no event write their entry through `audit.trail`.
  const webhooks = createWebhooksModule({
    prisma,
    dialect: db.dialect,
    now,
    logger,
    settings: config.webhooks,
    rubricExists: (id) => rubrics.service.exists(id),
    audit: audit.trail,
    recordAuditIn: (tx, event) => audit.service.recordIn(tx, event),
  });
  const events = withAuditTrail(webhooks.events, audit.trail);
  const media = createMediaModule({
    prisma,
    now,
    events,
    storage: config.mediaStorage.driver === 's3' ? createS3Storage(config.mediaStorage) : createLocalStorage(config.mediaDir),
    ...(config.mediaPublicBaseUrl ? { publicBaseUrl: config.mediaPublicBaseUrl } : {}),
    maxBytes: config.mediaMaxBytes,
    renditionWidths: config.mediaRenditionWidths,
    aspectRatios: config.mediaAspectRatios,
    maxImagePixels: config.mediaUploads.maxImagePixels,
    processingConcurrency: config.mediaUploads.processingConcurrency,
    maxRenditionsPerImage: config.mediaUploads.maxRenditionsPerImage,
    maxUploadsInFlight: config.mediaUploads.maxUploadsInFlight,
    ...(config.mediaUploads.tempDir ? { uploadTempDir: config.mediaUploads.tempDir } : {}),
  });
  // One queue of password hashes for sign-ins and new passwords, so that they cannot take the whole thread pool.
  const passwords = createPasswordHasher({ concurrency: config.passwordHashConcurrency, maxWaiting: config.passwordHashMaxWaiting });
  const users = createUsersModule({
    prisma,
    now,
    media: media.service,
    passwords,
    // Sign-ins are auth's, and auth reads users: a new password or a disabled account ends them through it.
    revokeSignIns: (tx, userId) => auth.service.revokeSignInsOf(tx, userId),
    audit: audit.trail,
  });
  const apiKeys = createApiKeysModule({ prisma, now, audit: audit.trail });
  const auth = createAuthModule({
    prisma,
    users: users.service,
    apiKeys: apiKeys.service,
    jwtSecret: config.jwtSecret,
    accessTtlSeconds: config.accessTokenTtlSeconds,
    refreshTtlSeconds: config.refreshTokenTtlSeconds,
    now,
    audit: audit.service,
    passwords,
  });
  const rubrics = createRubricsModule({ prisma, dialect: db.dialect, events });
  // Tags and articles keep the search index in step in their own transactions.
  const searchIndex = createSearchIndex({ prisma });
  const tags = createTagsModule({ prisma, searchIndex, events });
  const site: SiteInfo = {
    urls: createPublicUrls(config.publicBaseUrl),
    name: config.siteName,
    language: config.siteLanguage,
    policies: config.sitePolicies,
    ...(config.commentsUrlTemplate ? { commentsUrlTemplate: config.commentsUrlTemplate } : {}),
  };
  // When marked ads (promo slots, sponsored articles) are public: the feed and the articles record it in their writes.
  const ads = createAdsModule({ prisma, urls: site.urls, now });
  const feed = createFeedModule({ prisma, dialect: db.dialect, now, events, ads: ads.tracker });
  // Narration: articles' changes queue their narration in their own transactions (narration.service.watching).
  const narration = createNarrationModule({
    prisma,
    now,
    logger,
    settings: config.narration,
    language: config.siteLanguage,
    media: media.service,
    maxBytes: config.mediaMaxBytes,
    events,
    audit: audit.trail,
    articleVisibleTo: (id, actor) => articles.service.get(id, actor),
    // A new narration changes what a public save would: the article's page, its lists and the feeds.
    purgeArticle: async (id) => publicCache.purge(await articles.service.publicKeysOf(id)),
  });
  // The real-time stream: services write its events in their transactions; every instance fans them out.
  const stream = createStreamModule({
    prisma,
    now,
    logger,
    settings: config.stream,
    ...(config.redis ? { redis: config.redis } : {}),
    nextScheduledChange: (after) => nextScheduledChange(after),
  });
  const live = createLiveModule({
    prisma,
    now,
    media: media.service,
    // Live and articles know each other: coverage actions answer the article, article pages show the coverage.
    getArticle: (id, actor) => articles.service.get(id, actor),
    searchIndex,
    events,
    stream: stream.recorder,
    purge: (keys) => publicCache.purge(keys),
    // A coverage action changes what a public save of the article would.
    articleKeysOf: (id) => articles.service.publicKeysOf(id),
  });
  // Articles as IPTC ninjs: the page's `Accept: application/ninjs+json` answer and the `?format=ninjs` export.
  const articleNinjs = createArticleNinjs(
    { ...site, copyrightNotice: config.siteCopyrightNotice, bodyHtml: (blocks) => bodyToHtml(blocks, site.urls.absolute) },
    now,
  );
  const articles = createArticlesModule({
    prisma,
    dialect: db.dialect,
    now,
    jwtSecret: config.jwtSecret,
    previewTtlSeconds: config.previewTtlSeconds,
    rubrics: rubrics.service,
    tags: tags.service,
    users: users.service,
    media: media.service,
    feed: feed.service,
    searchIndex,
    events: narration.service.watching(events),
    audit: audit.trail,
    jsonLdOf: createArticleJsonLd(site),
    ninjsOf: articleNinjs,
    ads: ads.tracker,
    publicArticleExtras: (article, fields) => live.service.withLiveCoverage(article, fields),
  });
  // Foreign articles (imports, wire feeds, WordPress) come in through one importer, over the services above.
  const streamTelling: StreamTelling = {
    emit: (event) => stream.hub.emit(event),
    isPublicArticle: async (id) => (await articles.service.findPublicByIds([id])).length === 1,
    logger,
  };
  /** What a write outside a request noted (a wire item), purged and told to the stream as a request's write is. */
  async function purgeNoted(keys: readonly string[] | 'everything'): Promise<void> {
    if (keys === 'everything') publicCache.purgeEverything();
    else publicCache.purge([...keys]);
    await tellStream(publicCache, streamTelling, keys, keys === 'everything' ? [] : articleIdsIn(keys));
  }
  const interchange = createInterchangeModule({
    articles: articles.service,
    rubrics: rubrics.service,
    tags: tags.service,
    users: users.service,
    media: media.service,
    photos: { allowPrivate: config.wire.allowPrivateAddresses, timeoutMs: config.wire.photoTimeoutMs, maxBytes: config.mediaMaxBytes },
    // Per line, without the stream: a restore of ten thousand lines would tell it ten thousand times.
    purge: (keys) => (keys === 'everything' ? publicCache.purgeEverything() : publicCache.purge(keys)),
    publicCache: config.publicCache,
    native: {
      prisma,
      searchIndex,
      logError: (error, message) => logger.error({ err: error }, message),
      ninjsOfArticles: async (ids) => (await articles.service.findInFullByIds(ids)).map((found) => articleNinjs(found.article, found)),
    },
  });
  // A count update purges only its articles' `comments:<id>` answers (the cache is built below).
  const comments = createCommentsModule({ prisma, now, purge: (keys) => publicCache.purge(keys) });
  const search = createSearchModule({ prisma, now, articles: articles.service, rubrics: rubrics.service });
  // Agency feeds polled into the incoming desk: each item imported as a draft on behalf of its source
  // (`wire:<sourceId>` in its revisions and webhook events), and the public answers it changed purged (a kill notice, new rubrics).
  const wire = createWireModule({
    prisma,
    now,
    logger,
    settings: config.wire,
    rubricExists: (id) => rubrics.service.exists(id),
    audit: audit.trail,
    parseNinjs: (item, context) => incomingFromNinjs(item, { source: context.source, origin: 'wire', isSourceFixed: true }),
    importItem: async (item, source) => {
      // Drafts only; `publish` lets a kill notice take down what an editor published.
      const actor: SystemActor = { type: 'system', name: `wire:${source.id}`, scopes: ['write', 'publish'] };
      const { result, noted } = await collectNotedPurges(() => interchange.importer.importIncoming(item, actor, { publish: false }));
      if (noted?.length) await purgeNoted(noted);
      return result;
    },
  });
  const syndication = createSyndicationModule({
    articles: articles.service,
    rubrics: rubrics.service,
    site,
    sitemapPageSize: config.sitemapPageSize,
    now,
  });

  const authenticate = createAuthenticate({
    verifyAccessToken: auth.tokens.verify,
    findUserActor: users.service.findActor,
    findApiKeyActor: apiKeys.service.findActor,
  });

  const redis = config.redis;
  /** The next time public content changes by the clock alone: a scheduled article, an embargo's end, a feed item's window. */
  async function nextScheduledChange(after: Date): Promise<Date | null> {
    const times = (await Promise.all([articles.service.nextPublicChangeAfter(after), feed.service.nextPublicChangeAfter(after)])).filter(
      (t): t is Date => t !== null,
    );
    return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
  }
  const publicCache = createPublicCache({
    settings: config.publicCache,
    now,
    logger,
    nextScheduledChange,
    ...(redis ? { connectBus: (handlers) => createRedisPurgeBus({ url: redis.url, channel: redis.channel, logger, ...handlers }) } : {}),
  });

  // Counters in Redis when there is one, so every instance enforces the same limits.
  const rateLimits = createRateLimits({
    settings: config.rateLimits,
    logger,
    ...(redis ? { redis: { url: redis.url, keyPrefix: config.rateLimitRedisPrefix } } : {}),
  });

  // The reference serves the app's own document, built at the first request (the app is created just below).
  const docs = createDocsModule({ openApiDocument: () => app.openApiDocument() });
  const app = createApp({
    config,
    logger,
    // A write that changes what the feed may show tells the stream's `feed` topic.
    publicCache: withStreamEvents(publicCache, streamTelling),
    rateLimits,
    authenticate,
    recordAudit: audit.service.record,
    idempotency: createIdempotencyStore({ prisma, dialect: db.dialect, now }),
    modules: [
      health,
      auth,
      rubrics,
      users,
      apiKeys,
      tags,
      media,
      feed,
      articles,
      narration,
      live,
      stream,
      comments,
      ads,
      syndication,
      search,
      interchange,
      wire,
      audit,
      webhooks,
      docs,
    ],
  });

  webhooks.worker?.start();
  narration.worker?.start();
  wire.worker?.start();

  return {
    config,
    logger,
    db,
    now,
    app,
    services: {
      auth: auth.service,
      users: users.service,
      apiKeys: apiKeys.service,
      rubrics: rubrics.service,
      tags: tags.service,
      media: media.service,
      feed: feed.service,
      articles: articles.service,
      live: live.service,
      audit: audit.service,
      search: search.service,
      searchIndex,
      comments: comments.service,
      ads: ads.service,
      /** Imports one foreign article (interchange.incoming.ts): what the import routes, the wire poller and WordPress call. */
      interchange: interchange.importer,
    },
    tokens: auth.tokens,
    publicCache,
    rateLimits,
    stream: stream.hub,
    webhooks: { service: webhooks.service, worker: webhooks.worker },
    narration: { service: narration.service, worker: narration.worker },
    wire: { service: wire.service, worker: wire.worker },
    close: async () => {
      await stream.hub.close();
      // The worker goes first: it releases the queue it holds while the database is still open.
      await webhooks.worker?.stop();
      await narration.close();
      await wire.worker?.stop();
      await publicCache.close();
      await rateLimits.close();
      await db.close();
    },
  };
}

export type Container = ReturnType<typeof createContainer>;
