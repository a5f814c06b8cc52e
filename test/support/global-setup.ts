import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createScratchPostgres } from '../../src/db/scratch-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    sqliteTemplate: string;
    postgresTemplate: string | null;
    /** The Redis server the tests of purges between instances use, or null when they are skipped. */
    redisUrl: string | null;
  }
}

/**
 * Migrates one template database per dialect for the whole run; each test file then copies it
 * (a file copy, or CREATE DATABASE ... TEMPLATE), which is much faster than migrating each time.
 * PostgreSQL and Redis are used when reachable. When one is not, its tests are skipped and the run
 * ends with one loud line for each saying so; with CI=true an unreachable one fails the run instead.
 */
export default async function setup(project: TestProject) {
  const isCi = process.env.CI === 'true';
  const skipped: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cms-test-'));
  const sqliteTemplate = join(dir, 'template.db');
  await migrateDatabase(`file:${sqliteTemplate}`);
  project.provide('sqliteTemplate', sqliteTemplate);

  const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const [hasPostgres, hasRedis] = await Promise.all([isReachable(serverUrl), isRedisReachable(redisUrl)]);
  if (isCi && !hasPostgres)
    throw new Error(`PostgreSQL is not reachable at ${serverUrl}; with CI=true the PostgreSQL suite may not be skipped.`);
  if (isCi && !hasRedis) throw new Error(`Redis is not reachable at ${redisUrl}; with CI=true the Redis tests may not be skipped.`);

  let template: { url: string; drop: () => Promise<void> } | null = null;
  if (hasPostgres) {
    template = await createScratchPostgres(serverUrl, 'cms_template');
    await migrateDatabase(template.url);
    project.provide('postgresTemplate', template.url);
  } else {
    skipped.push(`PostgreSQL not reachable at ${serverUrl}: the PostgreSQL variants are SKIPPED (every suite runs on SQLite only)`);
    project.provide('postgresTemplate', null);
  }
  project.provide('redisUrl', hasRedis ? redisUrl : null);
  if (!hasRedis) skipped.push(`Redis not reachable at ${redisUrl}: the tests of purges between instances are SKIPPED`);

  return async () => {
    await template?.drop();
    rmSync(dir, { recursive: true, force: true });
    // Under the summary, where it cannot scroll away unseen.
    for (const line of skipped) warnLoudly(line);
  };
}

function warnLoudly(line: string): void {
  const text = `!!! ${line}; set CI=true to make that a failure.`;
  process.stderr.write(process.stderr.isTTY ? `\x1b[1;33m${text}\x1b[0m\n` : `${text}\n`);
}

async function isReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function isRedisReachable(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
