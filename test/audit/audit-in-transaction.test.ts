import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../src/db/dialect.ts';
import { runWithAuditIntent, type AuditIntent } from '../../src/shared/audit-intent.ts';
import { paragraph } from '../articles/article-fixtures.ts';
import { untilSomeoneWaitsOnALock } from '../support/pg-locks.ts';
import { describeEachDialect, testedDialects, testPassword, type TestApp, useTestApp } from '../support/test-app.ts';

/** Makes every insert into the audit log fail, as a database refusing it mid-transaction would. */
function auditRefusal(dialect: Dialect): { on: string[]; off: string[] } {
  return dialect === 'sqlite'
    ? {
        // Inserting into a table that is not there: an error no API status stands for (RAISE reads as a foreign key's).
        on: [`CREATE TRIGGER "refuse_audit" BEFORE INSERT ON "AuditEvent" BEGIN INSERT INTO "audit_refused_by_the_test" VALUES (1); END`],
        off: [`DROP TRIGGER "refuse_audit"`],
      }
    : {
        on: [
          `CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused by the test'; END $$`,
          `CREATE TRIGGER refuse_audit BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
        ],
        off: [`DROP TRIGGER refuse_audit ON "AuditEvent"`],
      };
}

/** Every row an audited write or a sign-in changes: a refused one must leave all of them as they were. */
async function everything(t: TestApp): Promise<string> {
  const p = t.container.db.prisma;
  const byId = { orderBy: { id: 'asc' as const } };
  return JSON.stringify(
    await Promise.all([
      p.article.findMany(byId),
      p.articleRevision.findMany(byId),
      p.feedItem.findMany(byId),
      p.rubric.findMany(byId),
      p.tag.findMany(byId),
      p.media.findMany(byId),
      p.user.findMany(byId),
      p.refreshToken.findMany(byId),
      p.apiKey.findMany(byId),
      p.webhookSubscription.findMany(byId),
      p.webhookEvent.findMany(byId),
      p.webhookDelivery.findMany(byId),
      p.auditEvent.findMany(byId),
    ]),
  );
}

describeEachDialect('audit entries commit with their change', (dialect) => {
  const { t, admin, editor } = useTestApp(dialect, {
    roles: ['admin', 'editor'],
    env: { WEBHOOK_WORKER: 'off', WEBHOOK_ALLOW_PRIVATE: 'true' },
    mediaDir: true,
  });
  const sql = async (statements: string[]) => {
    for (const statement of statements) await t.container.db.prisma.$executeRawUnsafe(statement);
  };
  const entriesOf = async (requestId: string) =>
    t.container.db.prisma.auditEvent.findMany({ where: { requestId }, orderBy: { id: 'asc' } });
  const as = (who: { headers: Record<string, string> }, request: supertest.Test) => request.set(who.headers).set('If-Match', '*');

  it('when the audit entry cannot be written, then no audited write changes anything (nor does a sign-in start a session)', async () => {
    const http = () => t.http();
    const created = async (request: supertest.Test) => (await request.expect((r) => expect(r.status).toBeLessThan(300))).body;
    const article = await created(as(editor, http().post('/v1/admin/articles')).send({ title: 'Статья', body: [paragraph('Текст.')] }));
    const trashed = await created(as(editor, http().post('/v1/admin/articles')).send({ title: 'В корзину', body: [paragraph('Текст.')] }));
    await as(editor, http().delete(`/v1/admin/articles/${trashed.id}`)).expect(204);
    const revisions = await created(as(editor, http().get(`/v1/admin/articles/${article.id}/revisions`)));
    const rubric = await created(as(editor, http().post('/v1/admin/rubrics')).send({ name: 'Рубрика' }));
    const tag = await created(as(editor, http().post('/v1/admin/tags')).send({ name: 'Тег' }));
    const item = await created(
      as(editor, http().post('/v1/admin/feed-items')).send({ kind: 'link', headline: 'Ссылка', url: 'https://example.org' }),
    );
    const media = await created(
      as(editor, http().post('/v1/admin/media')).send({ kind: 'image', url: 'https://media.example/a.jpg', mimeType: 'image/jpeg' }),
    );
    const user = await created(
      as(admin, http().post('/v1/admin/users')).send({
        email: `${randomUUID()}@test.example`,
        password: testPassword,
        displayName: 'Новый сотрудник',
        role: 'author',
      }),
    );
    const key = await created(as(admin, http().post('/v1/admin/api-keys')).send({ name: 'Импорт', scopes: ['read'] }));
    const hook = await created(as(admin, http().post('/v1/admin/webhooks')).send({ url: 'http://127.0.0.1:9/hook', events: ['*'] }));
    const since = t.clock.now().toISOString();
    await as(editor, http().patch(`/v1/admin/rubrics/${rubric.id}`))
      .send({ name: 'Рубрика 2' })
      .expect(200);
    const deliveries = await created(as(admin, http().get(`/v1/admin/webhooks/${hook.id}/deliveries`)));
    expect(deliveries.items.length).toBeGreaterThan(0);

    const writes: [string, () => supertest.Test][] = [
      ['article.create', () => as(editor, http().post('/v1/admin/articles')).send({ title: 'Новая', body: [paragraph('Текст.')] })],
      ['article.update', () => as(editor, http().patch(`/v1/admin/articles/${article.id}`)).send({ title: 'Другая' })],
      ['article.submit', () => as(editor, http().post(`/v1/admin/articles/${article.id}/submit`))],
      ['article.publish', () => as(editor, http().post(`/v1/admin/articles/${article.id}/publish`))],
      ['article.delete', () => as(editor, http().delete(`/v1/admin/articles/${article.id}`))],
      ['article.restore', () => as(editor, http().post(`/v1/admin/articles/${trashed.id}/restore`))],
      [
        'article.revision.restore',
        () => as(editor, http().post(`/v1/admin/articles/${article.id}/revisions/${revisions.items[0].id}/restore`)),
      ],
      ['article.trash.empty', () => as(admin, http().delete('/v1/admin/trash/articles'))],
      ['rubric.create', () => as(editor, http().post('/v1/admin/rubrics')).send({ name: 'Ещё рубрика' })],
      ['rubric.update', () => as(editor, http().patch(`/v1/admin/rubrics/${rubric.id}`)).send({ name: 'Рубрика 3' })],
      ['rubric.delete', () => as(editor, http().delete(`/v1/admin/rubrics/${rubric.id}`))],
      ['tag.create', () => as(editor, http().post('/v1/admin/tags')).send({ name: 'Ещё тег' })],
      ['tag.update', () => as(editor, http().patch(`/v1/admin/tags/${tag.id}`)).send({ name: 'Тег 2' })],
      ['tag.delete', () => as(editor, http().delete(`/v1/admin/tags/${tag.id}`))],
      [
        'feed_item.create',
        () => as(editor, http().post('/v1/admin/feed-items')).send({ kind: 'link', headline: 'Ещё', url: 'https://example.org/2' }),
      ],
      ['feed_item.update', () => as(editor, http().patch(`/v1/admin/feed-items/${item.id}`)).send({ headline: 'Другая ссылка' })],
      ['feed_item.delete', () => as(editor, http().delete(`/v1/admin/feed-items/${item.id}`))],
      [
        'media.create',
        () =>
          as(editor, http().post('/v1/admin/media')).send({ kind: 'image', url: 'https://media.example/b.jpg', mimeType: 'image/jpeg' }),
      ],
      [
        'media.upload',
        () =>
          as(editor, http().post('/v1/admin/media/upload'))
            .set('Content-Type', 'application/pdf')
            .send(Buffer.concat([Buffer.from('%PDF-1.4\n%'), randomBytes(300)])),
      ],
      ['media.update', () => as(editor, http().patch(`/v1/admin/media/${media.id}`)).send({ caption: 'Подпись' })],
      ['media.delete', () => as(editor, http().delete(`/v1/admin/media/${media.id}`))],
      [
        'user.create',
        () =>
          as(admin, http().post('/v1/admin/users')).send({
            email: `${randomUUID()}@test.example`,
            password: testPassword,
            displayName: 'Ещё сотрудник',
            role: 'author',
          }),
      ],
      ['user.update', () => as(admin, http().patch(`/v1/admin/users/${user.id}`)).send({ role: 'editor' })],
      ['user.delete', () => as(admin, http().delete(`/v1/admin/users/${user.id}`))],
      ['api_key.create', () => as(admin, http().post('/v1/admin/api-keys')).send({ name: 'Ещё ключ', scopes: ['read'] })],
      ['api_key.update', () => as(admin, http().patch(`/v1/admin/api-keys/${key.id}`)).send({ name: 'Ключ 2' })],
      ['api_key.revoke', () => as(admin, http().delete(`/v1/admin/api-keys/${key.id}`))],
      ['webhook.create', () => as(admin, http().post('/v1/admin/webhooks')).send({ url: 'http://127.0.0.1:9/other', events: ['*'] })],
      ['webhook.update', () => as(admin, http().patch(`/v1/admin/webhooks/${hook.id}`)).send({ description: 'Приёмник' })],
      ['webhook.ping', () => as(admin, http().post(`/v1/admin/webhooks/${hook.id}/ping`))],
      [
        'webhook.replay (a delivery)',
        () => as(admin, http().post(`/v1/admin/webhooks/${hook.id}/deliveries/${deliveries.items[0].id}/replay`)),
      ],
      ['webhook.replay (since)', () => as(admin, http().post(`/v1/admin/webhooks/${hook.id}/replay`)).send({ since })],
      ['webhook.delete', () => as(admin, http().delete(`/v1/admin/webhooks/${hook.id}`))],
      ['auth.login', () => http().post('/v1/auth/login').send({ email: editor.user.email, password: testPassword })],
    ];

    const before = await everything(t);
    const refusal = auditRefusal(dialect);
    await sql(refusal.on);
    try {
      const answered: string[] = [];
      for (const [name, write] of writes) answered.push(`${name}: ${(await write()).status}`);
      expect(answered).toEqual(writes.map(([name]) => `${name}: 500`));
    } finally {
      await sql(refusal.off);
    }
    expect(await everything(t)).toBe(before);
  });

  it('when an article is published, then its entry, written with the change, says how, and is the only one of the request', async () => {
    const draft = await as(editor, t.http().post('/v1/admin/articles')).send({ title: 'Публикация', body: [paragraph('Текст.')] });
    const published = await as(editor, t.http().post(`/v1/admin/articles/${draft.body.id}/publish`)).expect(200);
    const entries = await entriesOf(published.headers['x-request-id']!);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'article.publish',
      targetId: draft.body.id,
      details: { status: 'published', publishedAt: published.body.publishedAt },
    });
  });

  it('when a file is uploaded, then its entry names the file, written with the media; the same file again, deduplicated', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n%'), randomBytes(300)]);
    const upload = () =>
      t.http().post('/v1/admin/media/upload').query({ filename: 'smeta.pdf' }).set(editor.headers).set('Content-Type', 'application/pdf');
    const stored = await upload().send(pdf).expect(201);
    const again = await upload().send(pdf).expect(200);
    const file = { fileName: 'smeta.pdf', mimeType: 'application/pdf', sizeBytes: pdf.length };
    expect(await entriesOf(stored.headers['x-request-id']!)).toMatchObject([
      { action: 'media.upload', targetId: stored.body.id, details: { ...file, deduplicated: false } },
    ]);
    expect(await entriesOf(again.headers['x-request-id']!)).toMatchObject([
      { action: 'media.upload', targetId: stored.body.id, details: { ...file, deduplicated: true } },
    ]);
  });

  it('when the trash is emptied, then its entry counts the articles deleted', async () => {
    const draft = await as(editor, t.http().post('/v1/admin/articles')).send({ title: 'Мусор', body: [paragraph('Текст.')] });
    await as(editor, t.http().delete(`/v1/admin/articles/${draft.body.id}`)).expect(204);
    const emptied = await as(admin, t.http().delete('/v1/admin/trash/articles')).expect(200);
    expect(emptied.body.deleted).toBeGreaterThan(0);
    const entries = await entriesOf(emptied.headers['x-request-id']!);
    expect(entries).toMatchObject([{ action: 'article.trash.empty', targetId: null, details: { deleted: emptied.body.deleted } }]);
  });

  it('when the transaction that wrote the entry rolls back and the request still succeeds, then the entry is written once, after', async () => {
    const { trail } = t.container.services.audit;
    const prisma = t.container.db.prisma;
    const requestId = `rolled-back-${randomUUID()}`;
    const intent: AuditIntent = { actor: 'system', action: 'tag.create', targetType: 'tag', requestId, details: {}, isOpen: true };
    await runWithAuditIntent(intent, async () => {
      await expect(
        prisma.$transaction(async (tx) => {
          await trail.record(tx, { type: 'tag', id: 'lost' });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      // A second transaction of the same request sees the first one's entry is gone, and writes its own.
      await prisma.$transaction((tx) => trail.record(tx, { type: 'tag', id: 'kept' }));
      // A third one finds it committed and writes nothing.
      await prisma.$transaction((tx) => trail.record(tx, { type: 'tag', id: 'again' }));
    });
    expect((await entriesOf(requestId)).map((e) => e.targetId)).toEqual(['kept']);
    // After the handler: the entry is there, so nothing more is written.
    await t.container.services.audit.record({ ...intent, targetId: 'kept' }, intent.written);
    expect((await entriesOf(requestId)).map((e) => e.targetId)).toEqual(['kept']);

    const lostRequest = `lost-${randomUUID()}`;
    const lost: AuditIntent = {
      actor: 'system',
      action: 'tag.create',
      targetType: 'tag',
      requestId: lostRequest,
      details: {},
      isOpen: true,
    };
    await runWithAuditIntent(lost, () =>
      expect(
        prisma.$transaction(async (tx) => {
          await trail.record(tx, { type: 'tag', id: 'lost' });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back'),
    );
    // The handler succeeded another way: the entry it owes is written after all.
    await t.container.services.audit.record({ ...lost, targetId: 'fallback' }, lost.written);
    expect((await entriesOf(lostRequest)).map((e) => e.targetId)).toEqual(['fallback']);
  });
});

// Another connection sees the change and its entry appear together: on PostgreSQL, where a writer can be held at a lock.
describe.skipIf(!testedDialects().includes('postgresql'))(
  'an article and its audit entry, seen from another connection [postgresql]',
  () => {
    const { t, editor } = useTestApp('postgresql', { roles: ['editor'], env: { WEBHOOK_WORKER: 'off' } });
    // One holds the audit log's lock in a transaction; the other looks (a transaction sees pg_stat_activity as it was when it began).
    const locker = () => clients[0]!;
    const observer = () => clients[1]!;
    const clients: pg.Client[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 2; i++) {
        const client = new pg.Client({ connectionString: t.container.config.databaseUrl });
        await client.connect();
        clients.push(client);
      }
    });
    afterAll(async () => {
      await Promise.all(clients.map((client) => client.end()));
    });

    it('when the entry cannot be written yet, then the article is not there yet either', async () => {
      const title = `Вместе ${randomUUID()}`;
      const articlesTitled = async () =>
        Number((await observer().query(`SELECT count(*) FROM "Article" WHERE title = $1`, [title])).rows[0].count);
      await locker().query('BEGIN');
      // Inserts into the audit log wait; reads go on.
      await locker().query('LOCK TABLE "AuditEvent" IN EXCLUSIVE MODE');
      const created = t
        .http()
        .post('/v1/admin/articles')
        .set(editor.headers)
        .send({ title, body: [paragraph('Текст.')] })
        .then((r) => r);
      try {
        await untilSomeoneWaitsOnALock(observer());
        expect(await articlesTitled()).toBe(0);
      } finally {
        await locker().query('COMMIT');
      }
      const answered = await created;
      expect(answered.status).toBe(201);
      expect(await articlesTitled()).toBe(1);
      const entries = await observer().query(`SELECT "targetId" FROM "AuditEvent" WHERE action = 'article.create' AND "requestId" = $1`, [
        answered.headers['x-request-id'],
      ]);
      expect(entries.rows).toEqual([{ targetId: answered.body.id }]);
    });
  },
);
