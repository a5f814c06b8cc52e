import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const listOf = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

/** Every setting the server reads from the environment; the README's table lists the same keys. */
const EnvSchema = z.object({
  /** production, development or test; production refuses a missing or weak JWT_SECRET. */
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  /** TCP port to listen on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. */
  HOST: z.string().default('127.0.0.1'),
  /** SQLite file (`file:./data/cms.db`, the default) or a `postgresql://` URL. */
  DATABASE_URL: z.string().min(1).default('file:./data/cms.db'),
  /** HMAC key for access tokens; at least 32 characters in production. */
  JWT_SECRET: z.string().optional(),
  /** Lifetime of an access token, in seconds. */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  /** Lifetime of a refresh token, in seconds. */
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(300).default(30 * 86_400),
  /** E-mail of the first admin, created at start-up when no user exists. */
  CMS_ADMIN_EMAIL: z.string().email().optional(),
  /** Password of the first admin (at least 12 characters). */
  CMS_ADMIN_PASSWORD: z.string().min(12, 'CMS_ADMIN_PASSWORD must have at least 12 characters').optional(),
  /** Folder for uploaded media files. */
  MEDIA_DIR: z.string().default('./data/media'),
  /** Load demo content into an empty database at start-up; on by default outside production, `false` turns it off. */
  CMS_DEMO: booleanFlag.optional(),
  /** Browser origins allowed by CORS, comma-separated; `*` allows any. */
  CORS_ORIGINS: listOf.default([]),
  /** Largest accepted JSON body. */
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i).default('1mb'),
  /** Log level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Longest a graceful shutdown waits for in-flight requests, in milliseconds. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
});

export interface Config {
  env: 'production' | 'development' | 'test';
  port: number;
  host: string;
  databaseUrl: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  admin?: { email: string; password: string };
  mediaDir: string;
  loadDemoContent: boolean;
  corsOrigins: string[];
  bodyLimit: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  shutdownTimeoutMs: number;
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
    throw new ConfigError('JWT_SECRET must be set to a random string of at least 32 characters (with at least 10 distinct characters) when NODE_ENV=production.');
  }
  if (Boolean(e.CMS_ADMIN_EMAIL) !== Boolean(e.CMS_ADMIN_PASSWORD)) {
    throw new ConfigError('CMS_ADMIN_EMAIL and CMS_ADMIN_PASSWORD must be set together.');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    jwtSecret: e.JWT_SECRET ?? developmentJwtSecret,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    ...(e.CMS_ADMIN_EMAIL && e.CMS_ADMIN_PASSWORD ? { admin: { email: e.CMS_ADMIN_EMAIL, password: e.CMS_ADMIN_PASSWORD } } : {}),
    mediaDir: e.MEDIA_DIR,
    loadDemoContent: e.CMS_DEMO ?? e.NODE_ENV !== 'production',
    corsOrigins: e.CORS_ORIGINS,
    bodyLimit: e.BODY_LIMIT,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}

function isStrongSecret(secret: string | undefined): boolean {
  return !!secret && secret.length >= 32 && new Set(secret).size >= 10 && secret !== developmentJwtSecret;
}
