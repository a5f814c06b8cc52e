import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createScratchPostgres } from '../../src/db/scratch-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    sqliteTemplate: string;
    postgresTemplate: string | null;
  }
}

/**
 * Migrates one template database per dialect for the whole run; each test file then copies it
 * (a file copy, or CREATE DATABASE ... TEMPLATE), which is much faster than migrating each time.
 * PostgreSQL is used when reachable; with CI=true an unreachable one fails the run.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'cms-test-'));
  const sqliteTemplate = join(dir, 'template.db');
  await migrateDatabase(`file:${sqliteTemplate}`);
  project.provide('sqliteTemplate', sqliteTemplate);

  const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';
  let template: { url: string; drop: () => Promise<void> } | null = null;
  if (await isReachable(serverUrl)) {
    template = await createScratchPostgres(serverUrl, 'cms_template');
    await migrateDatabase(template.url);
    project.provide('postgresTemplate', template.url);
  } else if (process.env.CI === 'true') {
    throw new Error(`PostgreSQL is not reachable at ${serverUrl}; with CI=true the PostgreSQL suite may not be skipped.`);
  } else {
    console.warn(`PostgreSQL is not reachable at ${serverUrl}: running the suite on SQLite only.`);
    project.provide('postgresTemplate', null);
  }

  return async () => {
    await template?.drop();
    rmSync(dir, { recursive: true, force: true });
  };
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
