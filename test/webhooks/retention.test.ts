import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { describeEachDialect, useTestApp, type TestApp } from '../support/test-app.ts';
import { untilSomeoneWaitsOnALock } from '../support/pg-locks.ts';

const day = 86_400_000;
type Status = 'pending' | 'succeeded' | 'failed';

/** Writes subscriptions, events and deliveries as they would be after the given times, straight into the database. */
function seederOf(t: () => TestApp) {
  const prisma = () => t().container.db.prisma;
  const ago = (days: number) => new Date(t().clock.now().getTime() - days * day);
  return {
    ago,
    async subscription(isActive = true): Promise<string> {
      const at = t().clock.now();
      const row = await prisma().webhookSubscription.create({
        data: {
          url: 'https://receiver.example/hook',
          events: ['*'],
          secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0',
          isActive,
          createdAt: at,
          updatedAt: at,
        },
      });
      return row.id;
    },
    async events(occurredDaysAgo: number[]): Promise<string[]> {
      const rows = occurredDaysAgo.map((days, i) => ({
        id: randomUUID(),
        type: 'rubric.updated',
        entityId: `rubric-${i}`,
        rubricId: null,
        data: { n: i },
        occurredAt: ago(days),
      }));
      for (let i = 0; i < rows.length; i += 500) await prisma().webhookEvent.createMany({ data: rows.slice(i, i + 500) });
      return rows.map((r) => r.id);
    },
    async deliveries(
      subscriptionId: string,
      eventIds: string[],
      fields: { status: Status; createdDaysAgo: number; completedDaysAgo?: number; attempts?: number },
    ): Promise<number[]> {
      const data = eventIds.map((eventId) => ({
        subscriptionId,
        eventId,
        status: fields.status,
        attempts: fields.attempts ?? (fields.status === 'pending' ? 0 : 1),
        createdAt: ago(fields.createdDaysAgo),
        nextAttemptAt: ago(fields.createdDaysAgo),
        completedAt: fields.completedDaysAgo === undefined ? null : ago(fields.completedDaysAgo),
        ...(fields.status === 'succeeded'
          ? { responseStatus: 200 }
          : fields.attempts
            ? { lastError: 'answered 503', responseStatus: 503 }
            : {}),
      }));
      const before = (await prisma().webhookDelivery.aggregate({ _max: { id: true } }))._max.id ?? 0;
      for (let i = 0; i < data.length; i += 500) await prisma().webhookDelivery.createMany({ data: data.slice(i, i + 500) });
      return (await prisma().webhookDelivery.findMany({ where: { id: { gt: before } }, select: { id: true }, orderBy: { id: 'asc' } })).map(
        (d) => d.id,
      );
    },
    remainingEvents: async (ids: string[]) =>
      new Set((await prisma().webhookEvent.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((e) => e.id)),
    remainingDeliveries: async (ids: number[]) =>
      new Set((await prisma().webhookDelivery.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((d) => d.id)),
  };
}

describeEachDialect('webhook retention', (dialect) => {
  const { t, admin } = useTestApp(dialect, { roles: ['admin'] });
  const seed = seederOf(() => t);

  beforeEach(async () => {
    await t.container.db.prisma.webhookSubscription.deleteMany();
    await t.container.db.prisma.webhookEvent.deleteMany();
  });
  const auth = () => ({ Authorization: `Bearer ${t.container.tokens.sign(admin.user.id, admin.sessionId)}` });
  const pruneOld = (options?: { batchSize?: number }) => t.container.webhooks.service.pruneOld(options);

  it('when finished deliveries ended more than 30 days ago, then they and the events left without a delivery go; pending, retrying and recent ones stay', async () => {
    const hook = await seed.subscription();
    const [succeededOld, failedOld, pendingAncient, retryingOld, replayedRecently, mixed, orphanOld, orphanRecent] = await seed.events([
      40, 40, 100, 40, 40, 40, 31, 29,
    ]);
    const [goneSucceeded] = await seed.deliveries(hook, [succeededOld!], { status: 'succeeded', createdDaysAgo: 40, completedDaysAgo: 40 });
    const [goneFailed] = await seed.deliveries(hook, [failedOld!], {
      status: 'failed',
      createdDaysAgo: 36,
      completedDaysAgo: 35,
      attempts: 12,
    });
    const [keptPending] = await seed.deliveries(hook, [pendingAncient!], { status: 'pending', createdDaysAgo: 100 });
    const [keptRetrying] = await seed.deliveries(hook, [retryingOld!], { status: 'pending', createdDaysAgo: 40, attempts: 3 });
    const [goneOfMixed] = await seed.deliveries(hook, [mixed!], { status: 'succeeded', createdDaysAgo: 40, completedDaysAgo: 40 });
    const [keptOfMixed] = await seed.deliveries(hook, [mixed!], { status: 'pending', createdDaysAgo: 35, attempts: 1 });
    const [keptRecent] = await seed.deliveries(hook, [replayedRecently!], { status: 'succeeded', createdDaysAgo: 2, completedDaysAgo: 2 });
    const allEvents = [succeededOld!, failedOld!, pendingAncient!, retryingOld!, replayedRecently!, mixed!, orphanOld!, orphanRecent!];
    const allDeliveries = [goneSucceeded!, goneFailed!, keptPending!, keptRetrying!, goneOfMixed!, keptOfMixed!, keptRecent!];

    expect(await pruneOld()).toEqual({ deliveries: 3, events: 3 });
    expect(await seed.remainingDeliveries(allDeliveries)).toEqual(new Set([keptPending, keptRetrying, keptOfMixed, keptRecent]));
    expect(await seed.remainingEvents(allEvents)).toEqual(new Set([pendingAncient, retryingOld, replayedRecently, mixed, orphanRecent]));
    expect(await pruneOld()).toEqual({ deliveries: 0, events: 0 });

    // The log shows what is kept; a pruned delivery is unknown, to read or to replay.
    const log = await t.http().get(`/v1/admin/webhooks/${hook}/deliveries?limit=100`).set(auth()).expect(200);
    expect(log.body.items.map((d: { id: string }) => Number(d.id)).sort((a: number, b: number) => a - b)).toEqual(
      [keptPending, keptRetrying, keptOfMixed, keptRecent].sort((a, b) => a! - b!),
    );
    for (const path of [`/deliveries/${goneSucceeded}`, `/deliveries/${goneFailed}/replay`]) {
      const res = path.endsWith('replay')
        ? await t.http().post(`/v1/admin/webhooks/${hook}${path}`).set(auth())
        : await t.http().get(`/v1/admin/webhooks/${hook}${path}`).set(auth());
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // A replay since before the pruning brings only the events still kept.
    const replayed = await t
      .http()
      .post(`/v1/admin/webhooks/${hook}/replay`)
      .set(auth())
      .send({ since: seed.ago(200).toISOString() })
      .expect(202);
    expect(replayed.body).toEqual({ queued: 5 });

    // Ages are read from the app's clock: 29 days on, the delivery that ended 2 days ago is past retention too.
    await t.container.db.prisma.webhookDelivery.deleteMany({ where: { createdAt: { gte: t.clock.now() } } });
    t.clock.advance(29 * day);
    try {
      expect(await pruneOld()).toEqual({ deliveries: 1, events: 2 });
      expect(await seed.remainingEvents(allEvents)).toEqual(new Set([pendingAncient, retryingOld, mixed]));
    } finally {
      t.clock.advance(-29 * day);
    }
  });

  it('when there are more rows than a batch, then every batch is pruned, and the kept rows between them stay', async () => {
    const hook = await seed.subscription();
    const old = await seed.events(Array.from({ length: 2500 }, (_, i) => 60 - i / 1000));
    await seed.deliveries(hook, old.slice(0, 2200), { status: 'succeeded', createdDaysAgo: 59, completedDaysAgo: 59 });
    // Pending deliveries of old events, spread through the rows: skipped by every batch, never deleted.
    const pendingEvents = old.filter((_, i) => i % 97 === 0);
    const pending = await seed.deliveries(hook, pendingEvents, { status: 'pending', createdDaysAgo: 59 });
    expect(await pruneOld()).toEqual({ deliveries: 2200, events: 2500 - pendingEvents.length });
    expect(await t.container.db.prisma.webhookDelivery.count()).toBe(pending.length);
    expect(await seed.remainingEvents(old)).toEqual(new Set(pendingEvents));

    // Small batches: the same result, batch after batch.
    const more = await seed.events(Array.from({ length: 95 }, () => 45));
    await seed.deliveries(hook, more.slice(0, 50), { status: 'failed', createdDaysAgo: 45, completedDaysAgo: 44, attempts: 9 });
    await seed.deliveries(
      hook,
      more.filter((_, i) => i % 10 === 0),
      { status: 'pending', createdDaysAgo: 44 },
    );
    expect(await pruneOld({ batchSize: 7 })).toEqual({ deliveries: 50, events: 95 - 10 });
    expect(await t.container.db.prisma.webhookDelivery.count({ where: { status: 'pending' } })).toBe(pending.length + 10);
  });

  it('when pruning is told to stop, then it stops between batches, and what it deleted stays deleted', async () => {
    const hook = await seed.subscription();
    await seed.deliveries(hook, await seed.events(Array.from({ length: 30 }, () => 40)), {
      status: 'succeeded',
      createdDaysAgo: 40,
      completedDaysAgo: 40,
    });
    // Aborted once the first batch is done (the worker's signal aborts when the server stops).
    let checks = 0;
    const stopsAfterOneBatch = {
      get aborted() {
        return ++checks > 1;
      },
    } as AbortSignal;
    expect(await t.container.webhooks.service.pruneOld({ batchSize: 10, signal: stopsAfterOneBatch })).toEqual({
      deliveries: 10,
      events: 0,
    });
    expect(await t.container.db.prisma.webhookDelivery.count()).toBe(20);
  });

  it(`when two ${dialect === 'postgresql' ? 'instances' : 'calls'} prune the same database at once, then both succeed and each row is deleted once`, async () => {
    const hook = await seed.subscription();
    const old = await seed.events(Array.from({ length: 1500 }, () => 90));
    await seed.deliveries(hook, old.slice(0, 1200), { status: 'succeeded', createdDaysAgo: 90, completedDaysAgo: 90 });
    const kept = await seed.deliveries(hook, old.slice(1200, 1300), { status: 'pending', createdDaysAgo: 90, attempts: 5 });
    // PostgreSQL: a second instance with its own connections; SQLite has one writer, the same app calls twice.
    const other = dialect === 'postgresql' ? t.startInstance(t.clock).container : t.container;
    const results = await Promise.all([pruneOld({ batchSize: 50 }), other.webhooks.service.pruneOld({ batchSize: 50 })]);
    expect(results[0]!.deliveries + results[1]!.deliveries).toBe(1200);
    expect(results[0]!.events + results[1]!.events).toBe(1500 - 100);
    expect(await seed.remainingDeliveries(kept)).toEqual(new Set(kept));
    expect(await t.container.db.prisma.webhookEvent.count()).toBe(100);
  });

  it.skipIf(dialect !== 'postgresql')(
    'when an event is pruned while a replay queues it, then the replay answers 404 or leaves it out, and no delivery is lost',
    async () => {
      const hook = await seed.subscription();
      const [replayed, orphan, kept] = await seed.events([40, 40, 20]);
      const [delivery] = await seed.deliveries(hook, [replayed!], { status: 'succeeded', createdDaysAgo: 40, completedDaysAgo: 40 });
      const pruner = new pg.Client({ connectionString: t.container.config.databaseUrl });
      await pruner.connect();
      // Another instance's pruning, caught between its delete and its commit: the replay's insert waits for it.
      const whileDeleting = async (sql: string[], request: () => Promise<{ status: number; body: unknown }>) => {
        await pruner.query('BEGIN');
        for (const statement of sql) await pruner.query(statement);
        const response = request();
        await untilSomeoneWaitsOnALock(pruner);
        await pruner.query('COMMIT');
        return response;
      };
      try {
        const one = await whileDeleting(
          [`DELETE FROM "WebhookDelivery" WHERE "id" = ${delivery}`, `DELETE FROM "WebhookEvent" WHERE "id" = '${replayed}'`],
          async () => t.http().post(`/v1/admin/webhooks/${hook}/deliveries/${delivery}/replay`).set(auth()),
        );
        expect(one.status).toBe(404);
        const since = await whileDeleting([`DELETE FROM "WebhookEvent" WHERE "id" = '${orphan}'`], async () =>
          t
            .http()
            .post(`/v1/admin/webhooks/${hook}/replay`)
            .set(auth())
            .send({ since: seed.ago(50).toISOString() }),
        );
        expect(since.status).toBe(202);
        expect(since.body).toEqual({ queued: 1 });
        expect((await t.container.db.prisma.webhookDelivery.findMany({ select: { eventId: true } })).map((d) => d.eventId)).toEqual([kept]);
      } finally {
        await pruner.end();
      }
    },
  );

  it.skipIf(dialect !== 'postgresql')(
    'when a delivery of an old event is being queued while pruning runs, then the pruner passes over the event without waiting, and the new delivery stays',
    async () => {
      const hook = await seed.subscription();
      const [queuing, orphan] = await seed.events([40, 40]);
      const replay = new pg.Client({ connectionString: t.container.config.databaseUrl });
      await replay.connect();
      try {
        await replay.query('BEGIN');
        const at = t.clock.now().toISOString();
        await replay.query(
          `INSERT INTO "WebhookDelivery" ("subscriptionId", "eventId", "nextAttemptAt", "createdAt") VALUES ($1, $2, $3, $3)`,
          [hook, queuing, at],
        );
        expect(await pruneOld()).toEqual({ deliveries: 0, events: 1 });
        await replay.query('COMMIT');
      } finally {
        await replay.end();
      }
      expect(await seed.remainingEvents([queuing!, orphan!])).toEqual(new Set([queuing]));
      expect(await t.container.db.prisma.webhookDelivery.count({ where: { eventId: queuing!, status: 'pending' } })).toBe(1);
    },
  );
});

describeEachDialect('webhook retention in the delivery worker', (dialect) => {
  const written: string[] = [];
  const seed = seederOf(() => t);
  const prunedLines = () =>
    written
      .map((l) => JSON.parse(l) as { msg: string; deletedDeliveries?: number; deletedEvents?: number })
      .filter((l) => l.msg === 'webhook log pruned');

  const { t } = useTestApp(dialect, {
    env: { WEBHOOK_WORKER: 'on', WEBHOOK_POLL_INTERVAL_MS: '20', WEBHOOK_RETENTION_DAYS: '7' },
    logStream: { write: (line: string) => void written.push(line) },
  });
  beforeAll(async () => {
    // The worker pruned at start (an empty database); stopping waits for that, so the rows seeded next are not touched yet.
    await t.container.webhooks.worker!.stop();
  });

  it("when the worker starts, then it prunes, and again an hour later by the app's clock, logging what it removed and nothing when there was nothing", async () => {
    // An inactive subscription: the worker leaves its pending delivery alone.
    const hook = await seed.subscription(false);
    const events = await seed.events([8, 8, 6, 30]);
    await seed.deliveries(hook, events.slice(0, 2), { status: 'succeeded', createdDaysAgo: 8, completedDaysAgo: 8 });
    const [pending] = await seed.deliveries(hook, [events[3]!], { status: 'pending', createdDaysAgo: 30 });
    // The first worker pruned at start, found nothing, and said nothing.
    expect(prunedLines()).toEqual([]);

    await t.restart();
    await vi.waitFor(() => expect(prunedLines()).toHaveLength(1), { timeout: 10_000, interval: 20 });
    expect(prunedLines()[0]).toMatchObject({ deletedDeliveries: 2, deletedEvents: 2 });
    expect(await seed.remainingEvents(events)).toEqual(new Set([events[2], events[3]]));

    // Not due yet: rows past retention wait for the next hour.
    const later = await seed.events([10]);
    t.container.webhooks.worker!.wake();
    await t.container.webhooks.worker!.nextPass();
    expect(await seed.remainingEvents(later)).toEqual(new Set(later));

    t.clock.advance(3_600_000);
    t.container.webhooks.worker!.wake();
    await vi.waitFor(() => expect(prunedLines()).toHaveLength(2), { timeout: 10_000, interval: 20 });
    expect(prunedLines()[1]).toMatchObject({ deletedDeliveries: 0, deletedEvents: 1 });
    expect(await seed.remainingDeliveries([pending!])).toEqual(new Set([pending]));
  });
});

describe('WEBHOOK_RETENTION_DAYS', () => {
  it('when it is unset, then finished deliveries are kept 30 days; 0 is refused', () => {
    expect(loadConfig({}).webhooks.retentionMs).toBe(30 * day);
    expect(loadConfig({ WEBHOOK_RETENTION_DAYS: '7' }).webhooks.retentionMs).toBe(7 * day);
    for (const value of ['0', '-1', '1.5', 'a month']) {
      expect(() => loadConfig({ WEBHOOK_RETENTION_DAYS: value }), value).toThrow(ConfigError);
    }
    expect(() => loadConfig({ WEBHOOK_RETENTION_DAYS: '0' })).toThrow(/WEBHOOK_RETENTION_DAYS/);
  });
});
