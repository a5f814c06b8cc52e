import { availableParallelism } from 'node:os';
import { EnvSchema } from './env.schema.ts';

/** How public answers are cached (the in-process store and the headers sent to CDNs and browsers). */
export interface PublicCacheSettings {
  /** Longest an answer is kept in process, in seconds; 0 keeps none (the headers are still sent). */
  ttlSeconds: number;
  /** Answers kept in process (bodies and key headers), in bytes at most; the oldest go first. */
  maxBytes: number;
  maxAgeSeconds: number;
  sMaxAgeSeconds: number;
  staleWhileRevalidateSeconds: number;
}

/** How the webhook worker delivers and retries. */
export interface WebhookWorkerSettings {
  pollIntervalMs: number;
  timeoutMs: number;
  /** The first retry's delay; each next one doubles, up to retryMaxDelayMs, with ±25 % jitter. */
  retryBaseMs: number;
  retryMaxDelayMs: number;
  /** How long after it was queued a delivery is retried before it is marked failed. */
  retryForMs: number;
  /** Deliveries finally failed in a row after which the subscription is turned off. */
  disableAfterFailures: number;
  allowPrivateAddresses: boolean;
}

/** How long the server waits on PostgreSQL before giving up (SQLite is a file in process: none apply); 0 turns a limit off. */
export interface DatabaseTimeouts {
  connectMs: number;
  /** Longest a statement runs: PostgreSQL cancels it, and the client gives up a little later if the server does not answer. */
  statementMs: number;
  /** Longest a transaction may sit idle, holding its locks, before PostgreSQL ends its session. */
  idleInTransactionMs: number;
}

/** How long the HTTP server gives a client (a slow or stalled one is cut off, not left to hold a connection). */
export interface HttpServerTimeouts {
  headersMs: number;
  /** The whole request, body included; 0 turns it off. */
  requestMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveMs: number;
}

/** At most `points` in `windowSeconds` (a fixed window). */
export interface RateLimit {
  points: number;
  windowSeconds: number;
}

/** The rate limits; null turns one off. */
export interface RateLimitSettings {
  /** Failed sign-ins per e-mail and client address. */
  loginPerAccount: RateLimit | null;
  /** Failed sign-ins per client address, whatever the e-mail. */
  loginPerAddress: RateLimit | null;
  /** Failed uses of a refresh token or a preview link per client address. */
  tokenPerAddress: RateLimit | null;
  /** Management API calls per API key or user. */
  managementPerCaller: RateLimit | null;
  /** Public reads per client address (off by default: behind a CDN, a few edge addresses send them all). */
  publicPerAddress: RateLimit | null;
}

/** The newsroom's policy pages, named in the JSON-LD publisher as the Trust Project asks. */
export interface SitePolicies {
  publishingPrinciples?: string;
  correctionsPolicy?: string;
  masthead?: string;
  ownershipFundingInfo?: string;
}

export interface Config {
  env: 'production' | 'development' | 'test';
  port: number;
  host: string;
  databaseUrl: string;
  databaseTimeouts: DatabaseTimeouts;
  /** PostgreSQL: when a slow statement makes the server check that the database answers (0: never), and how long it waits. */
  databaseAnswerWatch: { probeAfterMs: number; probeTimeoutMs: number };
  httpServer: HttpServerTimeouts;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  previewTtlSeconds: number;
  admin?: { email: string; password: string };
  mediaDir: string;
  /** The media file store: a folder (mediaDir) or an S3-compatible bucket. */
  mediaStorage:
    | { driver: 'local' }
    | {
        driver: 's3';
        endpoint?: string;
        region: string;
        bucket: string;
        accessKeyId: string;
        secretAccessKey: string;
        forcePathStyle: boolean;
      };
  mediaPublicBaseUrl?: string;
  /** Largest accepted upload per kind of media, in bytes. */
  mediaMaxBytes: { image: number; audio: number; video: number; document: number };
  mediaRenditionWidths: number[];
  mediaAspectRatios: string[];
  /** The cost bounds of uploads and their images (see the README's Security section). */
  mediaUploads: {
    maxImagePixels: number;
    processingConcurrency: number;
    maxRenditionsPerImage: number;
    maxUploadsInFlight: number;
    /** Unset: the OS's temporary folder. */
    tempDir?: string;
  };
  loadDemoContent: boolean;
  /** The public site's origin, without a trailing slash. */
  publicBaseUrl: string;
  siteName: string;
  siteLanguage: string;
  /** The copyright notice of articles syndicated as ninjs. */
  siteCopyrightNotice: string;
  /** The Trust Project pages the JSON-LD publisher links (each only when configured). */
  sitePolicies: SitePolicies;
  /** An article's discussion page with `{slug}` and `{id}` in it; unset: no discussionUrl. */
  commentsUrlTemplate?: string;
  sitemapPageSize: number;
  corsOrigins: string[];
  bodyLimit: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  shutdownTimeoutMs: number;
  publicCache: PublicCacheSettings;
  redis?: { url: string; channel: string };
  rateLimits: RateLimitSettings;
  /** Where rate-limit counters are kept in Redis (with REDIS_URL): keys start with it. */
  rateLimitRedisPrefix: string;
  /** Express's `trust proxy`: the proxies whose X-Forwarded-For names the client (false: none, the socket's address). */
  trustProxy: false | number | string[];
  /** Password hashes computed at once, at most (each holds a thread of the pool that file reads need too). */
  passwordHashConcurrency: number;
  /** Password hashes waiting for a turn, at most; one more answers 503 server_busy. */
  passwordHashMaxWaiting: number;
  webhooks: WebhookWorkerSettings & { isWorkerEnabled: boolean; retentionMs: number };
  narration: NarrationSettings;
  stream: StreamSettings;
  wire: WireSettings;
}

/** Agency feeds: how the wire poller runs, and what it may fetch. */
export interface WireSettings {
  isWorkerEnabled: boolean;
  pollIntervalMs: number;
  concurrency: number;
  leaseMs: number;
  fetchTimeoutMs: number;
  maxFeedBytes: number;
  /** Feeds and photos on private, loopback and link-local addresses are allowed (WIRE_ALLOW_PRIVATE). */
  allowPrivateAddresses: boolean;
  /** How long a photo named by URL has to arrive; its size is bounded by the media upload limit for images. */
  photoTimeoutMs: number;
}

/** Generated narration: when articles are narrated, by which voice, and how its worker runs. */
export interface NarrationSettings {
  isWorkerEnabled: boolean;
  concurrency: number;
  defaultMode: 'auto' | 'off';
  provider:
    | { name: 'builtin'; voice: string; wordsPerMinute: number }
    | { name: 'http'; url: string; key?: string; voice: string; timeoutMs: number; retries: number };
  debounceMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  leaseMs: number;
  pollIntervalMs: number;
}

/** The real-time stream's limits and timings. */
export interface StreamSettings {
  maxClients: number;
  heartbeatMs: number;
  retentionMs: number;
  pollIntervalMs: number;
  maxBufferedBytes: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

// Used only outside production, so a newcomer can start without configuring anything.
const developmentJwtSecret = 'development-only-secret-do-not-use-in-production';

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !isStrongSecret(e.JWT_SECRET)) {
    throw new ConfigError(
      'JWT_SECRET must be set to a random string of at least 32 characters (with at least 10 distinct characters) ' +
        'when NODE_ENV=production.',
    );
  }
  if (Boolean(e.CMS_ADMIN_EMAIL) !== Boolean(e.CMS_ADMIN_PASSWORD)) {
    throw new ConfigError('CMS_ADMIN_EMAIL and CMS_ADMIN_PASSWORD must be set together.');
  }
  if (e.MEDIA_STORAGE === 's3' && !(e.S3_BUCKET && e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError('MEDIA_STORAGE=s3 needs S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY.');
  }
  // Every width of the whole picture and of each crop, in AVIF, WebP and the fallback format.
  const renditionsPerImage = new Set(e.MEDIA_RENDITION_WIDTHS).size * (1 + new Set(e.MEDIA_ASPECT_RATIOS).size) * 3;
  if (renditionsPerImage > e.MEDIA_MAX_RENDITIONS_PER_IMAGE) {
    throw new ConfigError(
      `MEDIA_RENDITION_WIDTHS and MEDIA_ASPECT_RATIOS would make up to ${renditionsPerImage} renditions of an image, ` +
        `more than MEDIA_MAX_RENDITIONS_PER_IMAGE (${e.MEDIA_MAX_RENDITIONS_PER_IMAGE}): configure fewer, or raise the limit.`,
    );
  }
  if (e.NARRATION_PROVIDER === 'http' && !e.NARRATION_HTTP_URL) {
    throw new ConfigError('NARRATION_PROVIDER=http needs NARRATION_HTTP_URL.');
  }
  if (e.HTTP_REQUEST_TIMEOUT_MS && e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS may not be longer than HTTP_REQUEST_TIMEOUT_MS.');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseTimeouts: {
      connectMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionMs: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    databaseAnswerWatch: { probeAfterMs: e.DATABASE_PROBE_AFTER_MS, probeTimeoutMs: e.DATABASE_PROBE_TIMEOUT_MS },
    httpServer: {
      headersMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    jwtSecret: e.JWT_SECRET ?? developmentJwtSecret,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    previewTtlSeconds: e.PREVIEW_TTL_SECONDS,
    ...(e.CMS_ADMIN_EMAIL && e.CMS_ADMIN_PASSWORD ? { admin: { email: e.CMS_ADMIN_EMAIL, password: e.CMS_ADMIN_PASSWORD } } : {}),
    mediaDir: e.MEDIA_DIR,
    mediaStorage:
      e.MEDIA_STORAGE === 's3'
        ? {
            driver: 's3',
            ...(e.S3_ENDPOINT ? { endpoint: e.S3_ENDPOINT } : {}),
            region: e.S3_REGION,
            bucket: e.S3_BUCKET!,
            accessKeyId: e.S3_ACCESS_KEY_ID!,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
            forcePathStyle: e.S3_FORCE_PATH_STYLE ?? false,
          }
        : { driver: 'local' },
    ...(e.MEDIA_PUBLIC_BASE_URL ? { mediaPublicBaseUrl: e.MEDIA_PUBLIC_BASE_URL } : {}),
    mediaMaxBytes: {
      image: e.MEDIA_MAX_IMAGE_BYTES,
      audio: e.MEDIA_MAX_AUDIO_BYTES,
      video: e.MEDIA_MAX_VIDEO_BYTES,
      document: e.MEDIA_MAX_DOCUMENT_BYTES,
    },
    mediaRenditionWidths: [...new Set(e.MEDIA_RENDITION_WIDTHS)].sort((a, b) => a - b),
    mediaAspectRatios: [...new Set(e.MEDIA_ASPECT_RATIOS)],
    mediaUploads: {
      maxImagePixels: e.MEDIA_MAX_IMAGE_PIXELS,
      processingConcurrency: e.MEDIA_PROCESSING_CONCURRENCY,
      maxRenditionsPerImage: e.MEDIA_MAX_RENDITIONS_PER_IMAGE,
      maxUploadsInFlight: e.MEDIA_MAX_UPLOADS_IN_FLIGHT,
      ...(e.MEDIA_UPLOAD_TEMP_DIR ? { tempDir: e.MEDIA_UPLOAD_TEMP_DIR } : {}),
    },
    loadDemoContent: e.CMS_DEMO ?? e.NODE_ENV !== 'production',
    publicBaseUrl: e.PUBLIC_BASE_URL,
    siteName: e.SITE_NAME,
    siteLanguage: e.SITE_LANGUAGE,
    siteCopyrightNotice: e.SITE_COPYRIGHT_NOTICE ?? `© ${e.SITE_NAME}`,
    sitePolicies: {
      ...(e.SITE_PUBLISHING_PRINCIPLES_URL ? { publishingPrinciples: e.SITE_PUBLISHING_PRINCIPLES_URL } : {}),
      ...(e.SITE_CORRECTIONS_POLICY_URL ? { correctionsPolicy: e.SITE_CORRECTIONS_POLICY_URL } : {}),
      ...(e.SITE_MASTHEAD_URL ? { masthead: e.SITE_MASTHEAD_URL } : {}),
      ...(e.SITE_OWNERSHIP_FUNDING_URL ? { ownershipFundingInfo: e.SITE_OWNERSHIP_FUNDING_URL } : {}),
    },
    ...(e.COMMENTS_URL_TEMPLATE ? { commentsUrlTemplate: e.COMMENTS_URL_TEMPLATE } : {}),
    sitemapPageSize: e.SITEMAP_PAGE_SIZE,
    corsOrigins: e.CORS_ORIGINS,
    bodyLimit: e.BODY_LIMIT,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    publicCache: {
      ttlSeconds: e.PUBLIC_CACHE === 'off' ? 0 : e.PUBLIC_CACHE_TTL_SECONDS,
      maxBytes: Math.round(e.PUBLIC_CACHE_MAX_MB * 1024 * 1024),
      maxAgeSeconds: e.PUBLIC_CACHE_MAX_AGE_SECONDS,
      sMaxAgeSeconds: e.PUBLIC_CACHE_S_MAXAGE_SECONDS,
      staleWhileRevalidateSeconds: e.PUBLIC_CACHE_STALE_WHILE_REVALIDATE_SECONDS,
    },
    ...(e.REDIS_URL ? { redis: { url: e.REDIS_URL, channel: e.REDIS_CHANNEL } } : {}),
    rateLimits: {
      loginPerAccount: e.RATE_LIMIT_LOGIN,
      loginPerAddress: e.RATE_LIMIT_LOGIN_PER_ADDRESS,
      tokenPerAddress: e.RATE_LIMIT_TOKENS_PER_ADDRESS,
      managementPerCaller: e.RATE_LIMIT_MANAGEMENT,
      publicPerAddress: e.RATE_LIMIT_PUBLIC_PER_ADDRESS,
    },
    rateLimitRedisPrefix: e.RATE_LIMIT_REDIS_PREFIX,
    trustProxy: e.TRUST_PROXY,
    // Half the libuv thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), and a core left for the rest.
    passwordHashConcurrency:
      e.PASSWORD_HASH_CONCURRENCY ??
      Math.max(1, Math.min(Math.floor((Number(env.UV_THREADPOOL_SIZE) || 4) / 2), availableParallelism() - 1)),
    passwordHashMaxWaiting: e.PASSWORD_HASH_MAX_WAITING,
    narration: {
      // Like the webhook worker: tests start it only where they test it.
      isWorkerEnabled: (e.NARRATION_WORKER ?? (e.NODE_ENV === 'test' ? 'off' : 'on')) === 'on',
      concurrency: e.NARRATION_CONCURRENCY,
      defaultMode: e.NARRATION_DEFAULT ?? (e.NODE_ENV === 'test' ? 'off' : 'auto'),
      provider:
        e.NARRATION_PROVIDER === 'http'
          ? {
              name: 'http',
              url: e.NARRATION_HTTP_URL!,
              ...(e.NARRATION_HTTP_KEY ? { key: e.NARRATION_HTTP_KEY } : {}),
              voice: e.NARRATION_VOICE ?? 'default',
              timeoutMs: e.NARRATION_HTTP_TIMEOUT_MS,
              retries: e.NARRATION_HTTP_RETRIES,
            }
          : { name: 'builtin', voice: e.NARRATION_VOICE ?? 'ru', wordsPerMinute: e.NARRATION_WORDS_PER_MINUTE },
      debounceMs: e.NARRATION_DEBOUNCE_SECONDS * 1000,
      maxAttempts: e.NARRATION_MAX_ATTEMPTS,
      retryBaseMs: e.NARRATION_RETRY_BASE_SECONDS * 1000,
      leaseMs: e.NARRATION_LEASE_SECONDS * 1000,
      pollIntervalMs: e.NARRATION_POLL_INTERVAL_MS,
    },
    webhooks: {
      // Tests start the worker only where they test it, so that no background query runs elsewhere.
      isWorkerEnabled: (e.WEBHOOK_WORKER ?? (e.NODE_ENV === 'test' ? 'off' : 'on')) === 'on',
      pollIntervalMs: e.WEBHOOK_POLL_INTERVAL_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_SECONDS * 1000,
      retryMaxDelayMs: e.WEBHOOK_RETRY_MAX_DELAY_SECONDS * 1000,
      retryForMs: e.WEBHOOK_RETRY_FOR_SECONDS * 1000,
      disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
      allowPrivateAddresses: e.WEBHOOK_ALLOW_PRIVATE,
      retentionMs: e.WEBHOOK_RETENTION_DAYS * 86_400_000,
    },
    wire: {
      // Like the other workers: tests start it only where they test it.
      isWorkerEnabled: (e.WIRE_WORKER ?? (e.NODE_ENV === 'test' ? 'off' : 'on')) === 'on',
      pollIntervalMs: e.WIRE_POLL_INTERVAL_MS,
      concurrency: e.WIRE_CONCURRENCY,
      leaseMs: e.WIRE_LEASE_MS,
      fetchTimeoutMs: e.WIRE_FETCH_TIMEOUT_MS,
      maxFeedBytes: e.WIRE_MAX_FEED_BYTES,
      allowPrivateAddresses: e.WIRE_ALLOW_PRIVATE,
      photoTimeoutMs: e.WIRE_PHOTO_TIMEOUT_MS,
    },
    stream: {
      maxClients: e.STREAM_MAX_CLIENTS,
      heartbeatMs: Math.round(e.STREAM_HEARTBEAT_SECONDS * 1000),
      retentionMs: e.STREAM_RETENTION_MINUTES * 60_000,
      pollIntervalMs: e.STREAM_POLL_INTERVAL_MS,
      maxBufferedBytes: e.STREAM_MAX_BUFFERED_BYTES,
    },
  };
}

function isStrongSecret(secret: string | undefined): boolean {
  return !!secret && secret.length >= 32 && new Set(secret).size >= 10 && secret !== developmentJwtSecret;
}
