import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createContainer } from '../src/container.ts';
import { createLogger } from '../src/http/logger.ts';

export interface BenchCmsOptions {
  logLevel: string;
  /** Configuration on top of the production defaults. */
  env?: Record<string, string>;
  /** The app's clock (the seeder moves it); the real one when left out. */
  now?: () => Date;
}

/** The CMS as the bench runs it: production configuration on `databaseUrl`, demo content off, media under `dir`. */
export function cmsContainer(databaseUrl: string, dir: string, { logLevel, env, now }: BenchCmsOptions) {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MEDIA_DIR: join(dir, 'media'),
    LOG_LEVEL: logLevel,
    CMS_DEMO: 'false',
    ...env,
  });
  return { config, container: createContainer(config, { logger: createLogger(config.logLevel), now: now ?? (() => new Date()) }) };
}
