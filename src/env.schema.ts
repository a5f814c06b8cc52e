import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
// `5/1m`: at most 5 in a minute (the window in s, m or h; seconds when bare); `off` for no limit.
const rateLimit = z
  .string()
  .regex(/^(off|[1-9]\d{0,6}\/[1-9]\d{0,5}[smh]?)$/, 'Use count/window such as 5/1m, 100/15m or 600/60s, or off')
  .transform((v) => {
    if (v === 'off') return null;
    const [, points, window, unit] = /^(\d+)\/(\d+)([smh]?)$/.exec(v)!;
    return { points: Number(points), windowSeconds: Number(window) * ({ s: 1, m: 60, h: 3600 }[unit || 's'] ?? 1) };
  });

// A hop count, or proxy addresses and ranges (CIDR) or express's names for ranges; `false`: none.
const trustedProxies = z.string().transform((v, ctx) => {
  if (v === 'false' || v === '0') return false as const;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const entries = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !isProxyAddress(entry));
  if (bad.length || !entries.length) {
    ctx.addIssue({
      code: 'custom',
      message: `Use a hop count or addresses and CIDR ranges (or loopback, linklocal, uniquelocal); not: ${bad.join(', ') || v}`,
    });
    return z.NEVER;
  }
  return entries;
});

function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  return (
    ipaddr.IPv4.isValidFourPartDecimal(entry) ||
    ipaddr.IPv4.isValidCIDRFourPartDecimal(entry) ||
    ipaddr.IPv6.isValid(entry) ||
    ipaddr.IPv6.isValidCIDR(entry)
  );
}

const listOf = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Every setting the server reads from the environment; the README's table lists the same keys. */
export const EnvSchema = z.object({
  /** production, development or test; production refuses a missing or weak JWT_SECRET. */
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  /** TCP port to listen on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. */
  HOST: z.string().default('127.0.0.1'),
  /** SQLite file (`file:./data/cms.db`, the default) or a `postgresql://` URL. */
  DATABASE_URL: z.string().min(1).default('file:./data/cms.db'),
  /** PostgreSQL: longest wait for a connection (a new one, or a free one from the pool), in milliseconds. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** PostgreSQL: longest a statement may run, in milliseconds; 0 turns it off. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** PostgreSQL: longest a transaction may sit idle before the server ends it, in milliseconds; 0 turns it off. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /**
   * PostgreSQL: a statement running this long makes the server check, with a `SELECT 1`, that the database still
   * answers; if it does not, requests fail at once with 503 `database_unavailable` until it does. 0 turns the check off
   * (requests then wait for the statement timeout). In milliseconds.
   */
  DATABASE_PROBE_AFTER_MS: z.coerce.number().int().min(0).max(600_000).default(1000),
  /** PostgreSQL: how long that check waits for its answer, and how often it checks again while the database is away. */
  DATABASE_PROBE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** HMAC key for access tokens; at least 32 characters in production. */
  JWT_SECRET: z.string().optional(),
  /** Lifetime of an access token, in seconds. */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  /** Lifetime of a refresh token, in seconds. */
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .default(30 * 86_400),
  /** Lifetime of an article preview link, in seconds. */
  PREVIEW_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(3600),
  /** E-mail of the first admin, created at start-up when no user exists. */
  CMS_ADMIN_EMAIL: z.string().email().optional(),
  /** Password of the first admin (at least 12 characters). */
  CMS_ADMIN_PASSWORD: z.string().min(12, 'CMS_ADMIN_PASSWORD must have at least 12 characters').optional(),
  /** Folder for uploaded media files (with MEDIA_STORAGE=local). */
  MEDIA_DIR: z.string().default('./data/media'),
  /** Where uploaded media files are kept: `local` (MEDIA_DIR) or `s3` (an S3-compatible bucket, S3_* keys). */
  MEDIA_STORAGE: z.enum(['local', 's3']).default('local'),
  /** S3-compatible endpoint URL (MinIO, R2…); unset for AWS S3 itself. */
  S3_ENDPOINT: z.url().optional(),
  /** S3 region. */
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** S3 bucket for media files; required with MEDIA_STORAGE=s3. */
  S3_BUCKET: z.string().min(1).optional(),
  /** S3 access key id; required with MEDIA_STORAGE=s3. */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  /** S3 secret access key; required with MEDIA_STORAGE=s3. */
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Address buckets by path (`endpoint/bucket/key`), as MinIO and most self-hosted stores need. */
  S3_FORCE_PATH_STYLE: booleanFlag.optional(),
  /** Origin put before `/v1/media/files/…` in media URLs (a CDN in front of the API); unset: URLs are paths on this API. */
  MEDIA_PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  /** Largest accepted image upload, in bytes (20 MB). */
  MEDIA_MAX_IMAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(20 * 1024 * 1024),
  /** Largest accepted audio upload, in bytes (100 MB). */
  MEDIA_MAX_AUDIO_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(100 * 1024 * 1024),
  /** Largest accepted video upload, in bytes (500 MB). */
  MEDIA_MAX_VIDEO_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(500 * 1024 * 1024),
  /** Largest accepted document (PDF) upload, in bytes (50 MB). */
  MEDIA_MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(50 * 1024 * 1024),
  /** Widths of the image renditions made at upload, comma-separated (those below the original's width, plus the original's). */
  MEDIA_RENDITION_WIDTHS: listOf
    .pipe(z.array(z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(16).max(10_000))).min(1))
    .default([320, 640, 1024, 1600]),
  /** Aspect ratios every image is also cropped to around its focal point, comma-separated `w:h`, or `none`. */
  MEDIA_ASPECT_RATIOS: z
    .string()
    .regex(/^(none|(\s*[1-9]\d{0,2}:[1-9]\d{0,2}\s*(,|$))+)$/, 'Use w:h pairs such as 16:9,1:1, or none')
    .transform((v) =>
      v === 'none'
        ? []
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    )
    .default(['16:9', '1:1']),
  /** Images of more pixels (width × height) are refused with 422 image_too_large, from their header (40 megapixels). */
  MEDIA_MAX_IMAGE_PIXELS: z.coerce.number().int().min(1).default(40_000_000),
  /** Images decoded and encoded at once per instance; further uploads wait their turn (2). */
  MEDIA_PROCESSING_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Renditions one image may get, at most: start-up refuses widths × (1 + aspect ratios) × 3 formats beyond it (36). */
  MEDIA_MAX_RENDITIONS_PER_IMAGE: z.coerce.number().int().min(3).default(36),
  /** Uploads received at once per instance; more answer 503 with Retry-After (4). */
  MEDIA_MAX_UPLOADS_IN_FLIGHT: z.coerce.number().int().min(1).default(4),
  /** Folder for uploads' temporary files until they are stored; unset: the OS's temporary folder. */
  MEDIA_UPLOAD_TEMP_DIR: z.string().min(1).optional(),
  /** The public site's origin: article, rubric and feed links in feeds, sitemaps and JSON-LD start with it. */
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .transform((v) => v.replace(/\/+$/, ''))
    .default('http://localhost:3000'),
  /** The site's name in feeds, JSON-LD and the Google News sitemap (as registered with Google News). */
  SITE_NAME: z.string().trim().min(1).max(200).default('Newsroom'),
  /** The site's language (ISO 639, as Google News wants it) in feeds and the Google News sitemap. */
  SITE_LANGUAGE: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Use a language code such as ru or en')
    .default('ru'),
  /** The copyright notice of the articles in ninjs (`copyrightnotice`); unset: `© ` and SITE_NAME. */
  SITE_COPYRIGHT_NOTICE: z.string().trim().min(1).max(500).optional(),
  /** The page of the newsroom's editorial principles: JSON-LD `publishingPrinciples` of the publisher (a Trust Project indicator). */
  SITE_PUBLISHING_PRINCIPLES_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The page of the corrections policy: JSON-LD `correctionsPolicy` of the publisher. */
  SITE_CORRECTIONS_POLICY_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The masthead (who runs the newsroom): JSON-LD `masthead` of the publisher. */
  SITE_MASTHEAD_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Who owns and funds the site: JSON-LD `ownershipFundingInfo` of the publisher. */
  SITE_OWNERSHIP_FUNDING_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** An article's discussion page, `{slug}` and `{id}` filled in (e.g. `https://site/articles/{slug}#comments`): JSON-LD `discussionUrl`. */
  COMMENTS_URL_TEMPLATE: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'An http(s) URL with {slug} or {id} in it')
    .refine((v) => v.includes('{slug}') || v.includes('{id}'), 'Put {slug} or {id} in it')
    .optional(),
  /** Most URLs in one sitemap file; above it /v1/sitemap.xml is an index of /v1/sitemaps/{n}.xml pages. */
  SITEMAP_PAGE_SIZE: z.coerce.number().int().min(1).max(50_000).default(50_000),
  /** Load demo content into an empty database at start-up; on by default outside production, `false` turns it off. */
  CMS_DEMO: booleanFlag.optional(),
  /** Browser origins allowed by CORS, comma-separated; `*` allows any. */
  CORS_ORIGINS: listOf.default([]),
  /** Largest accepted JSON body. */
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i)
    .default('1mb'),
  /** Log level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Longest a client may take to send a request's headers, in milliseconds (slow-header clients are cut off). */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  /** Longest a client may take to send a whole request, body included, in milliseconds; 0 turns it off. */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  /** How long an idle keep-alive connection stays open, in milliseconds (above a load balancer's own idle timeout). */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** Longest a graceful shutdown waits for in-flight requests, in milliseconds. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** `off` keeps no public answer in process (the caching headers are still sent). */
  PUBLIC_CACHE: z.enum(['on', 'off']).default('on'),
  /** Longest a public answer is kept in process, in seconds (writes purge it at once). */
  PUBLIC_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Most memory the in-process cache's bodies take, in megabytes; the oldest answers go first. */
  PUBLIC_CACHE_MAX_MB: z.coerce.number().min(1).max(65_536).default(64),
  /** Cache-Control max-age of public answers (browsers), in seconds; a route may set its own. */
  PUBLIC_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(30),
  /** Cache-Control s-maxage of public answers (CDNs, shared caches), in seconds. */
  PUBLIC_CACHE_S_MAXAGE_SECONDS: z.coerce.number().int().min(0).default(60),
  /** Cache-Control stale-while-revalidate of public answers, in seconds. */
  PUBLIC_CACHE_STALE_WHILE_REVALIDATE_SECONDS: z.coerce.number().int().min(0).default(300),
  /** Redis (`redis://…`) through which instances share purges and rate-limit counts; unset, each instance keeps its own. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** The Redis channel of cache purges; instances of one site share it, other sites on the same Redis use another. */
  REDIS_CHANNEL: z.string().min(1).max(200).default('newsroom-cms:cache-purge'),
  /** Start of the Redis keys of rate-limit counters (with REDIS_URL); instances of one site share it. */
  RATE_LIMIT_REDIS_PREFIX: z.string().min(1).max(200).default('newsroom-cms:rate-limit'),
  /** Failed sign-ins per e-mail and client address, then 429 until the window ends (`count/window`, or `off`). */
  RATE_LIMIT_LOGIN: rateLimit.default({ points: 5, windowSeconds: 60 }),
  /** Failed sign-ins per client address, whatever the e-mail. */
  RATE_LIMIT_LOGIN_PER_ADDRESS: rateLimit.default({ points: 100, windowSeconds: 900 }),
  /** Failed refresh-token and preview-link uses per client address. */
  RATE_LIMIT_TOKENS_PER_ADDRESS: rateLimit.default({ points: 50, windowSeconds: 900 }),
  /** Management API calls per API key or user. */
  RATE_LIMIT_MANAGEMENT: rateLimit.default({ points: 600, windowSeconds: 60 }),
  /** Public reads per client address; `off` by default (behind a CDN its few edge addresses send every request). */
  RATE_LIMIT_PUBLIC_PER_ADDRESS: rateLimit.default(null),
  /** Proxies whose X-Forwarded-For names the client: a hop count, or addresses and CIDR ranges; `false` (default): none. */
  TRUST_PROXY: trustedProxies.default(false),
  /** Password hashes computed at once (sign-ins, new passwords); default: half the libuv thread pool, below the CPU count. */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /**
   * Password hashes waiting for a turn, at most (a hash takes about 50 ms of a thread): one more sign-in or new password
   * answers 503 `server_busy` with Retry-After at once, instead of waiting behind a flood until every caller times out.
   */
  PASSWORD_HASH_MAX_WAITING: z.coerce.number().int().min(0).max(100_000).default(200),
  /** `on` runs the webhook delivery worker in this process; `off` leaves it to other instances. Default on, off with NODE_ENV=test. */
  WEBHOOK_WORKER: z.enum(['on', 'off']).optional(),
  /** How often the worker looks for deliveries when nothing woke it, in milliseconds. */
  WEBHOOK_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  /** How long a receiver has to answer a delivery, in milliseconds. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Delay before the first retry, in seconds; each next one doubles (with jitter) up to WEBHOOK_RETRY_MAX_DELAY_SECONDS. */
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  /** Longest delay between two attempts, in seconds. */
  WEBHOOK_RETRY_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  /** How long a delivery is retried before it is marked failed, in seconds (a day). */
  WEBHOOK_RETRY_FOR_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(86_400),
  /** Deliveries finally failed in a row after which a subscription is turned off (and the audit log says so). */
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** Allow receivers on private, loopback and link-local addresses (a receiver inside your network; tests). */
  WEBHOOK_ALLOW_PRIVATE: booleanFlag.default(false),
  /** Real-time stream (GET /v1/stream) connections this instance holds at most; one more answers 503 with Retry-After. */
  STREAM_MAX_CLIENTS: z.coerce.number().int().min(0).max(1_000_000).default(5000),
  /** Seconds between the stream's heartbeat comments, which keep proxies from closing an idle connection. */
  STREAM_HEARTBEAT_SECONDS: z.coerce.number().min(0.01).max(300).default(15),
  /** Minutes the stream's events are kept for clients that reconnect with Last-Event-ID (15 at least). */
  STREAM_RETENTION_MINUTES: z.coerce.number().int().min(15).max(10_080).default(30),
  /** How often an instance reads new stream events from the database, in milliseconds (with REDIS_URL, a safety net). */
  STREAM_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(500),
  /** Bytes a stream client may leave unread before it is dropped (it reconnects with Last-Event-ID). */
  STREAM_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).max(1_073_741_824).default(1_048_576),
  /** Days a finished delivery (and an event left with none) is kept before the worker deletes it. */
  WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
  /** `on` runs the narration worker in this process; `off` leaves it to other instances. Default on, off with NODE_ENV=test. */
  NARRATION_WORKER: z.enum(['on', 'off']).optional(),
  /** Narrations this instance synthesises at once. */
  NARRATION_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  /** Whether articles are narrated on publish and on edits when neither they nor their rubric say (`narration`). Default auto, off with NODE_ENV=test. */
  NARRATION_DEFAULT: z.enum(['auto', 'off']).optional(),
  /** The voice: `builtin` (offline, eSpeak-NG's Russian voice) or `http` (a vendor's service at NARRATION_HTTP_URL). */
  NARRATION_PROVIDER: z.enum(['builtin', 'http']).default('builtin'),
  /** The voice's name: an eSpeak-NG voice for `builtin` (default `ru`), the vendor's voice id for `http`. */
  NARRATION_VOICE: z.string().min(1).max(100).optional(),
  /** Speaking rate of the builtin voice, in words per minute. */
  NARRATION_WORDS_PER_MINUTE: z.coerce.number().int().min(80).max(450).default(165),
  /** Where the `http` provider POSTs `{ text, ssml, voice, language, format }`; it answers with the audio. */
  NARRATION_HTTP_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Sent to NARRATION_HTTP_URL as a bearer token. */
  NARRATION_HTTP_KEY: z.string().min(1).optional(),
  /** How long the voice service has to answer, in milliseconds. */
  NARRATION_HTTP_TIMEOUT_MS: z.coerce.number().int().min(50).max(600_000).default(120_000),
  /** Tries after the first for a timeout, a network error or a 5xx answer of the voice service, within one attempt of the job. */
  NARRATION_HTTP_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** Quiet time after a save of a published article before it is narrated again: ten quick saves make one job. */
  NARRATION_DEBOUNCE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Attempts of a job before its narration is marked failed; each retry waits twice as long as the last. */
  NARRATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  /** Delay before a failed job's first retry, in seconds. */
  NARRATION_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  /** How long a worker holds a job; a job of a killed worker is taken over after it. */
  NARRATION_LEASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** How often the worker looks for due jobs when nothing woke it, in milliseconds. */
  NARRATION_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
  /** `on` runs the wire poller (agency feeds) in this process; `off` leaves it to other instances. Default on, off with NODE_ENV=test. */
  WIRE_WORKER: z.enum(['on', 'off']).optional(),
  /** How often the poller looks for sources due when nothing woke it, in milliseconds. */
  WIRE_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(5000),
  /** Sources one instance polls at once. */
  WIRE_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** How long a poller holds a source while it fetches and imports it; a killed poller's source is taken over after it. */
  WIRE_LEASE_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
  /** How long a feed has to answer (headers and body), in milliseconds. */
  WIRE_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Largest feed read, in bytes (after decompression); a larger one fails the poll. */
  WIRE_MAX_FEED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1_073_741_824)
    .default(20 * 1024 * 1024),
  /** Allow wire sources and photos on private, loopback and link-local addresses (a feed inside your network; tests). */
  WIRE_ALLOW_PRIVATE: booleanFlag.default(false),
  /** How long a photo named by URL in an imported article has to arrive (headers and body), in milliseconds. */
  WIRE_PHOTO_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
});
