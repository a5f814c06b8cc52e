import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { createTestDatabase, testedDialects } from '../support/test-app.ts';
import { startReceiver } from './receiver.ts';
import { admin, call, startServer, type ServerProcess } from './server-process.ts';

const events = 1000;

describe.skipIf(!testedDialects().includes('postgresql'))('webhooks from two server processes on one PostgreSQL', () => {
  it(`when ${events} events are committed through both processes, then each subscription gets every one once, in order, never two at once`, async () => {
    const database = await createTestDatabase('postgresql');
    const cwd = mkdtempSync(join(tmpdir(), 'cms-two-'));
    const receiver = await startReceiver();
    const servers: ServerProcess[] = [];
    try {
      // One after the other: the first creates the admin from the environment, the second finds it.
      servers.push(await startServer(database.url, cwd, { WEBHOOK_WORKER: 'on', WEBHOOK_TIMEOUT_MS: '2000' }));
      servers.push(await startServer(database.url, cwd, { WEBHOOK_WORKER: 'on', WEBHOOK_TIMEOUT_MS: '2000' }));
      const [a, b] = servers as [ServerProcess, ServerProcess];
      const token = (await call(a.port, 'POST', '/v1/auth/login', admin)).body.accessToken as string;
      for (const path of ['/one', '/two']) {
        expect(
          (await call(a.port, 'POST', '/v1/admin/webhooks', { url: receiver.url(path), events: ['rubric.created'] }, token)).status,
        ).toBe(201);
      }
      // Every change commits its event in its own transaction, half of them through each process, a few at a time.
      const created: string[] = [];
      for (let n = 0; n < events; n += 10) {
        const batch = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            call((n + i) % 2 ? b.port : a.port, 'POST', '/v1/admin/rubrics', { name: `Рубрика ${n + i}` }, token),
          ),
        );
        for (const res of batch) {
          expect(res.status).toBe(201);
          created.push(res.body.id as string);
        }
      }
      await vi.waitFor(() => expect(receiver.requests.length).toBeGreaterThanOrEqual(2 * events), { timeout: 120_000, interval: 200 });
      const db = new pg.Client({ connectionString: database.url });
      await db.connect();
      try {
        // Nothing left to send and no queue held by a worker (one statement, one snapshot); then both processes
        // stopped. Every send they made, a duplicate too, has arrived by now, and no other can come.
        await vi.waitFor(
          async () => {
            const outbox = await db.query(
              `SELECT (SELECT count(*)::int FROM "WebhookDelivery" WHERE "status" = 'pending') AS "pending",
                      (SELECT count(*)::int FROM "WebhookSubscription" WHERE "lockedBy" IS NOT NULL) AS "held"`,
            );
            expect(outbox.rows[0]).toEqual({ pending: 0, held: 0 });
          },
          { timeout: 30_000, interval: 50 },
        );
        for (const server of servers) {
          server.child.kill('SIGTERM');
          await server.exited;
        }

        expect(receiver.requests).toHaveLength(2 * events);
        for (const path of ['/one', '/two']) {
          const received = receiver.requests.filter((r) => r.path === path);
          const ids = received.map((r) => r.headers['webhook-id'] as string);
          expect(new Set(ids).size).toBe(events);
          expect(new Set(received.map((r) => r.json.data.id))).toEqual(new Set(created));
          // In order: the subscription's queue order (its deliveries by id), whichever process sent each.
          const queue = await db.query<{ eventId: string }>(
            `SELECT d."eventId" FROM "WebhookDelivery" d JOIN "WebhookSubscription" s ON s."id" = d."subscriptionId" WHERE s."url" = $1 ORDER BY d."id"`,
            [receiver.url(path)],
          );
          expect(ids).toEqual(queue.rows.map((row) => row.eventId));
        }
      } finally {
        await db.end();
      }
      expect(receiver.mostInFlightForOnePath()).toBe(1);
    } finally {
      for (const server of servers) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      await receiver.close();
      await database.drop();
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 180_000);
});
