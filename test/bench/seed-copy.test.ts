import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cmsContainer } from '../../bench/cms-container.ts';
import { copySqliteIntoPostgres, createPostgresDatabase, type PostgresDatabase } from '../../bench/databases.ts';
import { createLimitApp, type LimitApp } from '../../bench/limit-server.ts';
import { seedContent, type SeededContent } from '../../bench/seed.ts';
import type { Container } from '../../src/container.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';

// The bench seeds SQLite through the services once and copies the rows into PostgreSQL: both must then answer alike.
describe.skipIf(!inject('postgresTemplate'))('the bench seed copied into PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cms-bench-test-'));
  const sqliteFile = join(dir, 'seed.db');
  let postgres: PostgresDatabase;
  let seeded: SeededContent;
  const containers: Container[] = [];
  const limits: LimitApp[] = [];

  beforeAll(async () => {
    await migrateDatabase(`file:${sqliteFile}`);
    let fixedTime: Date | null = null;
    const seeder = cmsContainer(`file:${sqliteFile}`, dir, { logLevel: 'silent', now: () => fixedTime ?? new Date() }).container;
    try {
      seeded = await seedContent(seeder, { articles: 8, setClock: (at) => (fixedTime = at) });
    } finally {
      await seeder.close();
    }
    postgres = await createPostgresDatabase(process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres', 'test');
    await copySqliteIntoPostgres(sqliteFile, postgres.url);
    for (const url of [`file:${sqliteFile}`, postgres.url])
      containers.push(cmsContainer(url, dir, { logLevel: 'silent', env: { PUBLIC_CACHE: 'off', WEBHOOK_WORKER: 'off' } }).container);
    limits.push(createLimitApp('sqlite', sqliteFile), createLimitApp('postgresql', postgres.url));
  }, 120_000);

  afterAll(async () => {
    for (const container of containers) await container.close();
    for (const limit of limits) await limit.close();
    await postgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const publicPaths = () => [
    `/v1/articles/${seeded.articleSlugs[3]}`,
    `/v1/articles?rubric=${seeded.rubricSlugs[1]}&limit=20`,
    `/v1/articles?tag=${seeded.tagSlugs[0]}`,
    '/v1/feed',
    `/v1/search?q=${encodeURIComponent('бюджета')}`,
  ];

  it('then the CMS answers every public read on PostgreSQL as on SQLite', async () => {
    for (const path of publicPaths()) {
      const [onSqlite, onPostgres] = await Promise.all(containers.map((c) => supertest(c.app).get(path)));
      expect(onSqlite!.status, path).toBe(200);
      expect(onPostgres!.status, path).toBe(200);
      expect(onPostgres!.body, path).toEqual(onSqlite!.body);
    }
  });

  it('then the stack-limit servers answer the same article and list on both, with the CMS answer’s references', async () => {
    const article = `/v1/articles/${seeded.articleSlugs[3]}`;
    const list = `/v1/articles?rubric=${seeded.rubricSlugs[1]}&limit=20`;
    const cms = (await supertest(containers[0]!.app).get(article)).body as Record<string, { id: string } | null>;
    const cmsList = (await supertest(containers[0]!.app).get(list)).body as { items: Array<{ id: string }> };
    for (const limit of limits) {
      const answer = await supertest(limit.app).get(article);
      expect(answer.status).toBe(200);
      for (const field of ['id', 'slug', 'title', 'lead', 'rubric', 'authors', 'tags', 'publishedAt'])
        expect(answer.body[field], field).toEqual(cms[field]);
      expect(answer.body.cover.id).toBe(cms.cover!.id);
      const listAnswer = await supertest(limit.app).get(list);
      expect(listAnswer.body.items.map((i: { id: string }) => i.id)).toEqual(cmsList.items.map((i) => i.id));
    }
  });
});
