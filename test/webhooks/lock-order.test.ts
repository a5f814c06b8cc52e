import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhooksRepository } from '../../src/modules/webhooks/webhooks.repository.ts';
import { testedDialects, useTestApp } from '../support/test-app.ts';
import { untilSomeoneWaitsOnALock } from '../support/pg-locks.ts';

/**
 * Deleting a subscription locks its row, then (by the cascade) its deliveries' rows. Every write of
 * the worker and of replays that touches both takes them in that order too; in the other order, a
 * delete that comes in the middle deadlocks with it, and PostgreSQL aborts one of the two. A write
 * that queues a delivery for a subscription deleted meanwhile leaves it out (the outbox) or answers 404.
 */
describe.skipIf(!testedDialects().includes('postgresql'))('webhook writes beside a subscription delete [postgresql]', () => {
  const { t, admin } = useTestApp('postgresql', { roles: ['admin'] });
  let deleter: pg.Client;
  const prisma = () => t.container.db.prisma;
  const auth = () => ({ Authorization: `Bearer ${t.container.tokens.sign(admin.user.id, admin.sessionId)}` });

  beforeAll(async () => {
    deleter = new pg.Client({ connectionString: t.container.config.databaseUrl });
    await deleter.connect();
  });
  afterAll(async () => {
    await deleter?.end();
  });
  beforeEach(async () => {
    await prisma().webhookSubscription.deleteMany();
    await prisma().webhookEvent.deleteMany();
  });

  async function subscriptionWithDelivery(lockedBy: string | null) {
    const at = t.clock.now();
    const subscription = await prisma().webhookSubscription.create({
      data: {
        url: 'https://receiver.example/hook',
        events: ['*'],
        secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0',
        lockedBy,
        lockedUntil: lockedBy ? new Date(at.getTime() + 60_000) : null,
        createdAt: at,
        updatedAt: at,
      },
    });
    const event = await prisma().webhookEvent.create({
      data: { type: 'rubric.updated', entityId: 'r1', rubricId: null, data: {}, occurredAt: at },
    });
    const delivery = await prisma().webhookDelivery.create({
      data: {
        subscriptionId: subscription.id,
        eventId: event.id,
        status: 'succeeded',
        attempts: 1,
        nextAttemptAt: at,
        createdAt: at,
        completedAt: at,
      },
    });
    return { subscriptionId: subscription.id, deliveryId: delivery.id };
  }

  /** A delete caught after it locked the subscription: `write` starts, waits on that lock, and the delete finishes with its cascade. */
  async function deleteAround<T>(subscriptionId: string, write: () => Promise<T>): Promise<T> {
    await deleter.query('BEGIN');
    await deleter.query('SELECT 1 FROM "WebhookSubscription" WHERE "id" = $1 FOR UPDATE', [subscriptionId]);
    const written = write();
    written.catch(() => undefined);
    await untilSomeoneWaitsOnALock(deleter);
    await deleter.query('DELETE FROM "WebhookSubscription" WHERE "id" = $1', [subscriptionId]);
    await deleter.query('COMMIT');
    return written;
  }

  it('when the worker records an attempt while the subscription is deleted, then both finish: the delete wins and the attempt updates nothing', async () => {
    const repo = createWebhooksRepository({ prisma: prisma(), dialect: 'postgresql' });
    const { subscriptionId, deliveryId } = await subscriptionWithDelivery('worker-1');
    await prisma().webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'pending', completedAt: null } });
    const at = t.clock.now();
    const counts = await deleteAround(subscriptionId, () =>
      repo.recordAttempt(
        { id: deliveryId, subscriptionId },
        'worker-1',
        {
          status: 'succeeded',
          attempts: 1,
          nextAttemptAt: at,
          lastAttemptAt: at,
          responseStatus: 200,
          responseTimeMs: 5,
          lastError: null,
          completedAt: at,
        },
        { consecutiveFailures: 'reset', lockedUntil: at },
      ),
    );
    expect(counts).toBeNull();
    expect(await prisma().webhookDelivery.count()).toBe(0);
  });

  it('when a delivery is replayed or a ping sent while the subscription is deleted, then 404 and nothing is left behind', async () => {
    const first = await subscriptionWithDelivery(null);
    const replay = await deleteAround(first.subscriptionId, async () =>
      t.http().post(`/v1/admin/webhooks/${first.subscriptionId}/deliveries/${first.deliveryId}/replay`).set(auth()),
    );
    expect(replay.status).toBe(404);

    const second = await subscriptionWithDelivery(null);
    const ping = await deleteAround(second.subscriptionId, async () =>
      t.http().post(`/v1/admin/webhooks/${second.subscriptionId}/ping`).set(auth()),
    );
    expect(ping.status).toBe(404);
    expect(ping.body).toMatchObject({ code: 'not_found' });
    expect(await prisma().webhookDelivery.count()).toBe(0);
    // The ping's own event went with its rolled-back transaction; only the two seeded events remain.
    expect(await prisma().webhookEvent.count()).toBe(2);

    const third = await subscriptionWithDelivery(null);
    const since = new Date(t.clock.now().getTime() - 60_000).toISOString();
    const replaySince = await deleteAround(third.subscriptionId, async () =>
      t.http().post(`/v1/admin/webhooks/${third.subscriptionId}/replay`).set(auth()).send({ since }),
    );
    expect(replaySince.status).toBe(404);
    expect(await prisma().webhookDelivery.count()).toBe(0);
  });

  it('when a content write records its event while a subscription that wants it is deleted, then the write succeeds and queues nothing for it', async () => {
    const { subscriptionId } = await subscriptionWithDelivery(null);
    const created = await deleteAround(subscriptionId, async () =>
      t.http().post('/v1/admin/rubrics').set(auth()).send({ name: 'Рубрика во время удаления подписки' }),
    );
    expect(created.status).toBe(201);
    expect(await prisma().webhookEvent.count({ where: { type: 'rubric.created', entityId: created.body.id } })).toBe(1);
    expect(await prisma().webhookDelivery.count()).toBe(0);
  });
});
