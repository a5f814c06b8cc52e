import type { PrismaTx } from '../../db/database.ts';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError, type FieldError } from '../../errors.ts';
import type { ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';
import { bodyTextsOf } from '../../shared/article-text.ts';
import { actorLabel } from '../../shared/actor-label.ts';
import { isRole, userIdOf, type Actor } from '../../shared/actor.ts';
import { keysOfLiveEntryWrite, notePurge } from '../../shared/cache-keys.ts';
import { decodeCursor, encodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import type { DomainEventType, EventRecorder } from '../../shared/domain-events.ts';
import type { NewsArticleJsonLd } from '../../shared/news-article-json-ld.schemas.ts';
import type { SearchIndexer } from '../../shared/search-indexer.ts';
import { feedTopic, liveTopic, type StreamEventType, type StreamRecorder } from '../../shared/stream-events.ts';
import type { ArticleResponse } from '../articles/articles.schemas.ts';
import type { PublicArticleResponse } from '../articles/articles.public.schemas.ts';
import type { MediaKind, MediaService } from '../media/index.ts';
import { toMediaResponse } from '../media/media.mapper.ts';
import { authorIdsOf, blocksOf, toLiveEntryResponse, toPublicLiveEntry, type EntryReferences } from './live.mapper.ts';
import type { EntryData, LiveArticleRow, LiveEntryRow, LiveRepository } from './live.repository.ts';
import {
  JSON_LD_UPDATES,
  LIVE_PAGE_SIZE,
  type CreateLiveEntryInput,
  type LiveBlockResponse,
  type LiveEntryResponse,
  type LiveEntryRevisionResponse,
  type PublicLiveEntriesInput,
  type PublicLiveEntryPageResponse,
  type PublicLiveEntryResponse,
  type UpdateLiveEntryInput,
} from './live.schemas.ts';

export interface LiveServiceDeps {
  repo: LiveRepository;
  now: () => Date;
  media: Pick<MediaService, 'kindsOf'>;
  /** The article as its management API shows it to the caller (visibility included): coverage actions answer it. */
  getArticle: (id: string, actor: Actor) => Promise<ArticleResponse>;
  searchIndex: Pick<SearchIndexer, 'reindexArticle'>;
  /** Webhook events (and the request's audit entry), in the change's transaction. */
  events: EventRecorder;
  /** Real-time events of public changes, in the change's transaction. */
  stream: StreamRecorder;
  /** Drops the cached public answers carrying these keys, on every instance. */
  purge: (keys: string[]) => void;
  /** The keys of the public answers showing the article (none while it is not public): what a coverage action purges. */
  articleKeysOf: (id: string) => Promise<string[]>;
}

/** Key events listed on an article page, at most. */
const KEY_EVENTS_MAX = 100;

const isSinceToken = (values: unknown[]): values is [number] =>
  values.length === 1 && Number.isInteger(values[0]) && Number(values[0]) >= 0;
const sinceToken = (sequence: number) => encodeCursor([sequence]);

/** A conditional write that matched nothing, thrown to roll its transaction back. */
class RaceLost extends Error {}

const notLive = () => new ConflictError('The article is not a live blog (format `standard`): it has no entries.', 'article_not_live');
const inTrash = () => new ConflictError('The article is in the trash; restore it first.', 'article_in_trash');

/** The editorial state an entry's revision keeps. */
const contentOf = (row: LiveEntryRow) => ({
  title: row.title,
  body: blocksOf(row),
  isKeyEvent: row.isKeyEvent,
  isPinned: row.isPinned,
  authorIds: authorIdsOf(row),
});

/** A line of text that names an entry: its title, else the start of its first words. */
function headlineOf(entry: { title: string | null; body: unknown }): string {
  if (entry.title) return entry.title;
  const text = bodyTextsOf(entry.body).join(' ');
  return text.length > 110 ? `${text.slice(0, 109)}…` : text;
}

export function createLiveService(deps: LiveServiceDeps) {
  const { repo, now } = deps;

  /** The live article the caller is about to post to: visible to them, live, out of the trash. */
  async function loadArticleForEntries(articleId: string, actor: Actor): Promise<LiveArticleRow> {
    const article = await repo.findArticle(articleId);
    // An author sees only articles they are on the byline of; the others do not exist for them.
    if (!article || (isRole(actor, 'author') && !article.authors.some((a) => a.userId === userIdOf(actor)))) {
      throw new NotFoundError('article');
    }
    if (article.format !== 'live') throw notLive();
    if (article.deletedAt) throw inTrash();
    return article;
  }

  /** An author changes only the entries they posted or sign. */
  function assertMayChangeEntry(actor: Actor, entry: LiveEntryRow): void {
    const self = isRole(actor, 'author') ? userIdOf(actor) : null;
    if (self && entry.createdById !== self && !authorIdsOf(entry).includes(self)) {
      throw new ForbiddenError('An author may change only their own entries; ask an editor.');
    }
  }

  async function assertValid(input: { body?: ArticleBlockInput[]; authorIds?: string[] }): Promise<void> {
    const errors: FieldError[] = [];
    const imageIds = (input.body ?? []).flatMap((b) => (b.type === 'image' ? [b.mediaId] : []));
    const [kinds, users] = await Promise.all([
      imageIds.length ? deps.media.kindsOf(imageIds) : new Map<string, MediaKind>(),
      repo.findAuthors(input.authorIds ?? []),
    ]);
    (input.body ?? []).forEach((block, i) => {
      if (block.type !== 'image') return;
      const kind = kinds.get(block.mediaId);
      if (kind !== 'image')
        errors.push({
          field: `body.body.${i}.mediaId`,
          message: kind ? `Must be media of kind image, not ${kind}` : 'No media has this id',
        });
    });
    const known = new Set(users.map((u) => u.id));
    (input.authorIds ?? []).forEach((id, i) => {
      if (!known.has(id)) errors.push({ field: `body.authorIds.${i}`, message: 'No user has this id' });
    });
    if (errors.length)
      throw new ValidationError(`The entry is not valid: ${errors.length === 1 ? 'one field' : `${errors.length} fields`}.`, errors);
  }

  /** The authors and photos of these entries, read in two queries. */
  async function referencesOf(rows: LiveEntryRow[], tx?: PrismaTx): Promise<EntryReferences> {
    const authorIds = [...new Set(rows.flatMap(authorIdsOf))];
    const mediaIds = [...new Set(rows.flatMap((row) => blocksOf(row).flatMap((b) => (b.type === 'image' ? [b.mediaId] : []))))];
    // One after the other: a transaction is one connection, and pg warns of (and will refuse) queries sent on it at once.
    const authors = await repo.findAuthors(authorIds, tx);
    const media = await repo.findMedia(mediaIds, tx);
    return { authors: new Map(authors.map((a) => [a.id, a])), media: new Map(media.map((m) => [m.id, toMediaResponse(m)])) };
  }

  async function toPublic(rows: LiveEntryRow[], tx?: PrismaTx): Promise<PublicLiveEntryResponse[]> {
    const refs = await referencesOf(rows, tx);
    return rows.map((row) => toPublicLiveEntry(row, refs));
  }

  /**
   * One entry write in its transaction: the article's next change number, the write, its revision, the search
   * index, the webhook event, and (when the article is public) the stream event; then the cache purge.
   */
  async function writeEntry(
    article: LiveArticleRow,
    actor: Actor,
    type: 'created' | 'updated' | 'deleted',
    write: (tx: PrismaTx, sequence: number, at: Date) => Promise<LiveEntryRow | null>,
    options: { pin?: boolean } = {},
  ): Promise<LiveEntryRow | null> {
    const at = now();
    // Only an entry of a public article changes public answers (a scheduled one's are capped at its time).
    let purged: string[] = [];
    const result = await repo
      .inTransaction(async (tx) => {
        const sequence = await repo.nextSequence(tx, article.id, at);
        const row = await write(tx, sequence, at);
        // Another request changed the entry meanwhile: nothing of this one is kept, its change number included.
        if (!row) throw new RaceLost();
        const unpinnedIds = options.pin ? await repo.unpinOthers(tx, article.id, row.id, sequence, at) : [];
        if (type !== 'deleted')
          await repo.addRevision(tx, { entryId: row.id, number: row.version, actor: actorLabel(actor), content: contentOf(row), at });
        await deps.searchIndex.reindexArticle(tx, article.id);
        const eventType = `live_entry.${type}` as DomainEventType;
        const isPublic = await repo.isPublicInTx(tx, article.id, at);
        purged = isPublic ? keysOfLiveEntryWrite(article.id) : [];
        await deps.events.record(tx, {
          type: eventType,
          entity: { id: row.id, slug: null, version: row.version, rubricId: article.rubricId },
          actor: actorLabel(actor),
          details: { articleId: article.id, surrogateKeys: purged },
        });
        // Only what the public may see is streamed: entries of an article not public yet wait for it.
        if (isPublic) {
          const data =
            type === 'deleted'
              ? { articleId: article.id, id: row.id }
              : { articleId: article.id, entry: (await toPublic([row], tx))[0], unpinnedIds };
          await deps.stream.record(tx, { topic: liveTopic(article.id), type: eventType as StreamEventType, data });
        }
        return row;
      })
      .catch((error: unknown) => {
        if (error instanceof RaceLost) return null;
        throw error;
      });
    if (!result) return null;
    deps.events.committed();
    deps.stream.committed();
    deps.purge(purged);
    return result;
  }

  async function findEntryOrThrow(articleId: string, entryId: string): Promise<LiveEntryRow> {
    const row = await repo.findEntry(articleId, entryId);
    if (!row) throw new NotFoundError('live entry');
    return row;
  }

  // A conditional write that matched nothing: the entry is gone (404) or at another version (412).
  async function failAfterRace(articleId: string, entryId: string): Promise<never> {
    throw new PreconditionFailedError(toLiveEntryResponse(await findEntryOrThrow(articleId, entryId)));
  }

  /** Ends or resumes coverage at the caller's version; the answer is the article. */
  async function setCoverage(id: string, actor: Actor, expectedVersion: number | null, isEnding: boolean): Promise<ArticleResponse> {
    const article = await deps.getArticle(id, actor);
    if (article.format !== 'live') throw notLive();
    if (article.deletedAt) throw inTrash();
    if (expectedVersion !== null && article.version !== expectedVersion) throw new PreconditionFailedError(article);
    if ((article.coverageEndedAt !== null) === isEnding) {
      throw new ConflictError(
        isEnding ? 'The coverage has already ended.' : 'The coverage is running: there is nothing to resume.',
        isEnding ? 'coverage_ended' : 'coverage_running',
      );
    }
    // The page's live block and the feed's mark change as with a public save of the article.
    const surrogateKeys = notePurge(await deps.articleKeysOf(id));
    const at = now();
    const isDone = await repo.inTransaction(async (tx) => {
      if (!(await repo.setCoverageEnd(tx, id, article.version, isEnding ? at : null, at))) return false;
      await deps.events.record(tx, {
        type: 'article.updated',
        entity: { id, slug: article.slug, version: article.version + 1, rubricId: article.rubricId },
        actor: actorLabel(actor),
        details: { coverageEndedAt: isEnding ? at.toISOString() : null, surrogateKeys },
      });
      if (await repo.isPublicInTx(tx, id, at)) {
        await deps.stream.record(tx, {
          topic: liveTopic(id),
          type: isEnding ? 'live.ended' : 'live.resumed',
          data: { articleId: id, coverageEndedAt: isEnding ? at.toISOString() : null },
        });
        // The feed marks a live article while its coverage runs.
        await deps.stream.record(tx, { topic: feedTopic, type: 'feed.changed', data: { articleId: id } });
      }
      return true;
    });
    deps.events.committed();
    deps.stream.committed();
    const current = await deps.getArticle(id, actor);
    if (!isDone) throw new PreconditionFailedError(current);
    return current;
  }

  /** The `live` block of a public live article and its newest entries for the JSON-LD; null for any other article. */
  async function liveBlockOf(articleId: string): Promise<{ block: LiveBlockResponse; newest: PublicLiveEntryResponse[] } | null> {
    const article = await repo.findPublicLiveArticle(articleId, now());
    if (!article) return null;
    const [rows, pinned, keyEvents, entryCount] = await Promise.all([
      repo.listEntries(articleId, Math.max(JSON_LD_UPDATES, LIVE_PAGE_SIZE + 1)),
      repo.findPinned(articleId),
      repo.listKeyEvents(articleId, KEY_EVENTS_MAX),
      repo.countEntries(articleId),
    ]);
    const publicRows = await toPublic(pinned && !rows.some((r) => r.id === pinned.id) ? [...rows, pinned] : rows);
    const byId = new Map(publicRows.map((entry) => [entry.id, entry]));
    const page = toPage(
      rows.slice(0, LIVE_PAGE_SIZE + 1),
      LIVE_PAGE_SIZE,
      (row) => byId.get(row.id)!,
      (row) => [row.publishedAt.toISOString(), row.id],
    );
    return {
      block: {
        isLive: article.coverageEndedAt === null,
        coverageStartedAt: (article.coverageStartedAt ?? article.publishedAt)?.toISOString() ?? null,
        coverageEndedAt: article.coverageEndedAt?.toISOString() ?? null,
        pinned: pinned ? byId.get(pinned.id)! : null,
        keyEvents: keyEvents.map((e) => ({ id: e.id, title: headlineOf(e), publishedAt: e.publishedAt.toISOString() })),
        entries: page.items,
        nextCursor: page.nextCursor,
        entryCount,
        since: sinceToken(article.liveSequence),
      },
      newest: rows.slice(0, JSON_LD_UPDATES).map((row) => byId.get(row.id)!),
    };
  }

  return {
    async listEntries(articleId: string, query: { limit: number; cursor?: string }, actor: Actor): Promise<Page<LiveEntryResponse>> {
      await loadArticleForEntries(articleId, actor);
      const key = query.cursor ? decodeCursor(query.cursor, isDateIdKey) : undefined;
      const rows = await repo.listEntries(articleId, query.limit + 1, { key });
      return toPage(rows, query.limit, toLiveEntryResponse, (r) => [r.publishedAt.toISOString(), r.id]);
    },

    /** An entry's saved states, newest first. */
    async listEntryRevisions(
      articleId: string,
      entryId: string,
      query: { limit: number; cursor?: string },
      actor: Actor,
    ): Promise<Page<LiveEntryRevisionResponse>> {
      await loadArticleForEntries(articleId, actor);
      await findEntryOrThrow(articleId, entryId);
      const key = query.cursor ? decodeCursor(query.cursor, isSinceToken) : undefined;
      const rows = await repo.listRevisions(entryId, query.limit + 1, key?.[0]);
      return toPage(
        rows,
        query.limit,
        (r) => ({
          id: r.id,
          number: r.number,
          actor: r.actor,
          createdAt: r.createdAt.toISOString(),
          content: r.content as LiveEntryRevisionResponse['content'],
        }),
        (r) => [r.number],
      );
    },

    async getEntry(articleId: string, entryId: string, actor: Actor): Promise<LiveEntryResponse> {
      await loadArticleForEntries(articleId, actor);
      return toLiveEntryResponse(await findEntryOrThrow(articleId, entryId));
    },

    async createEntry(articleId: string, input: CreateLiveEntryInput, actor: Actor): Promise<LiveEntryResponse> {
      const article = await loadArticleForEntries(articleId, actor);
      const self = userIdOf(actor);
      const authorIds = input.authorIds ?? (self ? [self] : []);
      await assertValid({ body: input.body, authorIds });
      const data: EntryData = {
        title: input.title ?? null,
        body: input.body,
        isKeyEvent: input.isKeyEvent ?? false,
        isPinned: input.isPinned ?? false,
        authorIds,
      };
      const row = await writeEntry(
        article,
        actor,
        'created',
        (tx, sequence, at) => repo.createEntry(tx, { ...data, articleId, createdById: self, at, sequence }),
        { pin: data.isPinned },
      );
      return toLiveEntryResponse(row!);
    },

    async updateEntry(
      articleId: string,
      entryId: string,
      input: UpdateLiveEntryInput,
      actor: Actor,
      expectedVersion: number | null,
    ): Promise<LiveEntryResponse> {
      const article = await loadArticleForEntries(articleId, actor);
      const current = await findEntryOrThrow(articleId, entryId);
      if (expectedVersion !== null && current.version !== expectedVersion) throw new PreconditionFailedError(toLiveEntryResponse(current));
      assertMayChangeEntry(actor, current);
      await assertValid(input);
      const row = await writeEntry(
        article,
        actor,
        'updated',
        (tx, sequence, at) =>
          repo.updateEntryIf(tx, entryId, expectedVersion ?? current.version, {
            ...(input.title !== undefined ? { title: input.title } : {}),
            ...(input.body ? { body: input.body } : {}),
            ...(input.isKeyEvent !== undefined ? { isKeyEvent: input.isKeyEvent } : {}),
            ...(input.isPinned !== undefined ? { isPinned: input.isPinned } : {}),
            ...(input.authorIds ? { authorIds: input.authorIds } : {}),
            updatedAt: at,
            sequence,
          }),
        { pin: input.isPinned === true },
      );
      if (!row) return failAfterRace(articleId, entryId);
      return toLiveEntryResponse(row);
    },

    /** Deletes the entry; a tombstone stays, so a client asking what changed `since` learns of it. */
    async deleteEntry(articleId: string, entryId: string, actor: Actor, expectedVersion: number | null): Promise<void> {
      const article = await loadArticleForEntries(articleId, actor);
      const current = await findEntryOrThrow(articleId, entryId);
      if (expectedVersion !== null && current.version !== expectedVersion) throw new PreconditionFailedError(toLiveEntryResponse(current));
      assertMayChangeEntry(actor, current);
      const row = await writeEntry(article, actor, 'deleted', (tx, sequence, at) =>
        repo.updateEntryIf(tx, entryId, expectedVersion ?? current.version, { isPinned: false, deletedAt: at, updatedAt: at, sequence }),
      );
      if (!row) await failAfterRace(articleId, entryId);
    },

    endCoverage: (id: string, actor: Actor, expectedVersion: number | null) => setCoverage(id, actor, expectedVersion, true),
    resumeCoverage: (id: string, actor: Actor, expectedVersion: number | null) => setCoverage(id, actor, expectedVersion, false),

    /**
     * Adds the `live` block to a public live article, and makes its JSON-LD a LiveBlogPosting; any other
     * article is answered as it is, after one indexed read.
     */
    async withLiveCoverage(article: PublicArticleResponse, fields: readonly string[] | undefined): Promise<PublicArticleResponse> {
      const wantsLive = !fields || fields.includes('live');
      if (!wantsLive && !article.jsonLd) return article;
      const live = await liveBlockOf(article.id);
      if (!live) return article;
      return {
        ...article,
        ...(wantsLive ? { live: live.block } : {}),
        ...(article.jsonLd ? { jsonLd: toLiveBlogPosting(article.jsonLd, live.block, live.newest) } : {}),
      };
    },

    /** A public live article's entries, newest first, or what changed since a token. */
    async listPublicEntries(slug: string, query: PublicLiveEntriesInput): Promise<PublicLiveEntryPageResponse> {
      const article = await repo.findPublicLiveArticleBySlug(slug, now());
      if (!article) throw new NotFoundError('live article');
      if (query.since !== undefined) {
        const [after] = decodeCursor(query.since, isSinceToken);
        const changed = await repo.listChangedSince(article.id, after, query.limit);
        const shown = changed.filter((row) => !row.deletedAt && (!query.keyEvents || row.isKeyEvent));
        const last = changed.at(-1);
        return {
          articleId: article.id,
          items: await toPublic(shown),
          nextCursor: null,
          deletedIds: changed.filter((row) => row.deletedAt).map((row) => row.id),
          since: sinceToken(last ? last.sequence : Math.max(after, 0)),
        };
      }
      const key = query.cursor ? decodeCursor(query.cursor, isDateIdKey) : undefined;
      const rows = await repo.listEntries(article.id, query.limit + 1, { key, keyEventsOnly: query.keyEvents });
      const entries = await toPublic(rows);
      const page = toPage(
        rows.map((row, i) => ({ row, entry: entries[i]! })),
        query.limit,
        (r) => r.entry,
        (r) => [r.row.publishedAt.toISOString(), r.row.id],
      );
      return {
        articleId: article.id,
        items: page.items,
        nextCursor: page.nextCursor,
        deletedIds: [],
        since: sinceToken(article.liveSequence),
      };
    },

    /** Which of these articles are live blogs whose coverage runs now (the feed marks them). */
    async runningCoverage(articleIds: string[]): Promise<Set<string>> {
      return new Set((await repo.findRunningCoverage(articleIds, now())).map((a) => a.id));
    },
  };

  /** schema.org LiveBlogPosting: the NewsArticle's facts, the coverage times and the newest entries as BlogPostings. */
  function toLiveBlogPosting(jsonLd: NewsArticleJsonLd, block: LiveBlockResponse, newest: PublicLiveEntryResponse[]): NewsArticleJsonLd {
    return {
      ...jsonLd,
      '@type': 'LiveBlogPosting',
      ...(block.coverageStartedAt ? { coverageStartTime: block.coverageStartedAt } : {}),
      ...(block.coverageEndedAt ? { coverageEndTime: block.coverageEndedAt } : {}),
      liveBlogUpdate: newest.map((entry) => ({
        '@type': 'BlogPosting' as const,
        headline: headlineOf(entry),
        articleBody: bodyTextsOf(entry.body).join('\n'),
        datePublished: entry.publishedAt,
        dateModified: entry.updatedAt,
        url: `${jsonLd.url}#entry-${entry.id}`,
        ...(entry.authors.length ? { author: entry.authors.map((a) => ({ '@type': 'Person' as const, name: a.displayName })) } : {}),
      })),
    };
  }
}

export type LiveService = ReturnType<typeof createLiveService>;
