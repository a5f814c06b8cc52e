import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { dialectOf } from '../../src/db/dialect.ts';
import { MigrationError, migrateDatabase, migrationsDirFor } from '../../src/db/migrate.ts';
import { createScratchPostgres } from '../../src/db/scratch-postgres.ts';
import { describeEachDialect } from '../support/test-app.ts';

const work = mkdtempSync(join(tmpdir(), 'cms-migrations-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function emptyDatabase(dialect: 'sqlite' | 'postgresql') {
  if (dialect === 'sqlite') return { url: `file:${join(mkdtempSync(join(work, 'db-')), 'm.db')}`, drop: async () => undefined };
  return createScratchPostgres(process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres', 'cms_migration_test');
}

async function tableNames(url: string): Promise<string[]> {
  if (dialectOf(url) === 'sqlite') {
    const db = new Sqlite(url.replace(/^file:/, ''));
    try {
      return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
        (r) => r.name,
      );
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (
      await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    ).rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

describeEachDialect('migrations', (dialect) => {
  it('when applied to an empty database, then every table exists and the history is in _prisma_migrations; a second run applies nothing', async () => {
    const db = await emptyDatabase(dialect);
    try {
      expect((await migrateDatabase(db.url)).length).toBeGreaterThan(0);
      expect(await tableNames(db.url)).toEqual(
        expect.arrayContaining(['_prisma_migrations', 'Article', 'Rubric', 'FeedItem', 'Media', 'User', 'ApiKey', 'Tag']),
      );
      expect(await migrateDatabase(db.url)).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('when a pending migration fails, then start-up stops with a clear message and the database is as it was', async () => {
    const db = await emptyDatabase(dialect);
    const dir = join(mkdtempSync(join(work, 'dir-')), dialect);
    cpSync(migrationsDirFor(dialect), dir, { recursive: true });
    try {
      await migrateDatabase(db.url, dir);
      const before = await tableNames(db.url);
      mkdirSync(join(dir, '99990101000000_broken'));
      writeFileSync(
        join(dir, '99990101000000_broken', 'migration.sql'),
        'CREATE TABLE "Half" ("id" TEXT PRIMARY KEY);\nALTER TABLE "NoSuchTable" ADD COLUMN "x" TEXT;\n',
      );
      const failure = await migrateDatabase(db.url, dir).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(MigrationError);
      expect((failure as Error).message).toMatch(
        /Migration 99990101000000_broken failed, so none was applied and the database is unchanged/,
      );
      expect(await tableNames(db.url)).toEqual(before);
    } finally {
      await db.drop();
    }
  });
});

it('when the migrations are applied, then the database matches prisma/schema.prisma exactly (npm run db:diff writes what is missing)', async () => {
  const { openSchemaEngine } = await import('../../src/db/schema-engine.ts');
  const { projectRoot, schemaForDialect } = await import('../../src/db/schema-source.ts');
  const db = await emptyDatabase('sqlite');
  await migrateDatabase(db.url);
  const schema = schemaForDialect('sqlite');
  const { engine, close } = await openSchemaEngine(db.url, 'schema.prisma', schema);
  try {
    const { stdout } = await engine.diff({
      from: { tag: 'schemaDatasource', files: [{ path: 'schema.prisma', content: schema }], configDir: projectRoot },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    expect(stdout ?? '').toMatch(/^-- This is an empty migration\.\s*$/);
  } finally {
    await close();
  }
});
