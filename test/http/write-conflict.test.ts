import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleTables, createDraft } from '../articles/article-fixtures.ts';
import { testedDialects, useTestApp } from '../support/test-app.ts';
import { untilSomeoneWaitsOnALock } from '../support/pg-locks.ts';

describe.skipIf(!testedDialects().includes('postgresql'))('a write that deadlocks with another transaction [postgresql]', () => {
  let other: pg.Client;
  const logLines: string[] = [];

  const { t, admin } = useTestApp('postgresql', { logStream: { write: (line: string) => void logLines.push(line) }, roles: ['admin'] });
  beforeAll(async () => {
    other = new pg.Client({ connectionString: t.container.config.databaseUrl });
    await other.connect();
    // The request's transaction, which waits first, is the one PostgreSQL finds in the cycle and aborts.
    await other.query(`SET deadlock_timeout = '10s'`);
  });
  afterAll(async () => {
    await other?.end();
  });

  it("when PostgreSQL aborts the request's transaction in a deadlock, then 503 write_conflict with Retry-After, nothing changed, and a retry succeeds", async () => {
    const article = await createDraft(t, { title: 'Трамвайная линия продлена до вокзала' });
    // A webhook subscription: the article's update records its event in the same transaction.
    const hook = await t
      .http()
      .post('/v1/admin/webhooks')
      .set(admin.headers)
      .send({ url: 'https://receiver.example/hook', events: ['article.*'] });
    expect(hook.status).toBe(201);
    const before = await articleTables(t);

    // Another transaction holds the subscription, which the update's outbox needs (to queue its delivery), then reaches for the article the update holds.
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM "WebhookSubscription" WHERE "id" = $1 FOR UPDATE', [hook.body.id]);
    const update = t
      .http()
      .patch(`/v1/admin/articles/${article.id}`)
      .set(admin.headers)
      .set('If-Match', `"${article.version}"`)
      .send({ title: 'Трамвайная линия дошла до вокзала' })
      .then((r) => r);
    await untilSomeoneWaitsOnALock(other);
    const otherWrite = other.query(`UPDATE "Article" SET "lead" = 'x' WHERE "id" = $1`, [article.id]);
    const res = await update;
    await otherWrite;
    await other.query('ROLLBACK');

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.type).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 503, code: 'write_conflict', requestId: res.headers['x-request-id'] });
    expect(JSON.stringify(res.body)).not.toMatch(/deadlock|Prisma|SELECT|UPDATE/i);
    expect(await articleTables(t)).toBe(before);
    // Told to retry, the client is done; the log keeps the database's error for us to look into.
    const logged = logLines
      .map((l) => JSON.parse(l) as { level: number; msg: string; requestId?: string; code?: string; err?: { message: string } })
      .find((l) => l.msg === 'request failed; the client may retry');
    expect(logged).toMatchObject({
      level: 40,
      code: 'write_conflict',
      requestId: res.headers['x-request-id'],
      err: { message: expect.stringMatching(/deadlock|write conflict/i) },
    });

    const retried = await t
      .http()
      .patch(`/v1/admin/articles/${article.id}`)
      .set(admin.headers)
      .set('If-Match', `"${article.version}"`)
      .send({ title: 'Трамвайная линия дошла до вокзала' });
    expect(retried.status).toBe(200);
  });
});
