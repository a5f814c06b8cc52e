import type { Prisma, PrismaNamespace, PrismaTx } from '../../db/database.ts';
import type { Dialect } from '../../db/dialect.ts';
import { Prisma as PrismaSql, type WebhookDelivery, type WebhookEvent, type WebhookSubscription } from '../../generated/sqlite/client.ts';
import { pingEventType } from './webhooks.events.ts';

export type SubscriptionRow = WebhookSubscription;
export type DeliveryRow = WebhookDelivery & { event: Pick<WebhookEvent, 'type'> };
export type HeadDelivery = WebhookDelivery & {
  event: WebhookEvent;
  subscription: Pick<WebhookSubscription, 'url' | 'secret' | 'isActive'>;
};

type SubscriptionData = Pick<WebhookSubscription, 'url' | 'description' | 'rubricId' | 'isActive'> & { events: string[] };

/** Runs in the write's transaction (its audit entry): committed with it or not at all. */
export type AfterWebhookWrite = (tx: PrismaTx, id: string) => Promise<void>;

// Claimable: active, not leased by a live worker, its head not waiting for a retry.
const claimable = (at: Date) => ({
  isActive: true,
  AND: [{ OR: [{ lockedUntil: null }, { lockedUntil: { lt: at } }] }, { OR: [{ blockedUntil: null }, { blockedUntil: { lte: at } }] }],
});

const isForeignKeyViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2003';

export function createWebhooksRepository({ prisma, dialect }: { prisma: Prisma; dialect: Dialect }) {
  const { sql, empty, join } = PrismaSql;
  // PostgreSQL: the rows to delete are locked as they are picked, and rows another transaction holds
  // (another instance pruning, a replay queuing the event) are passed over rather than waited for, so
  // two pruners never wait on each other. SQLite has one writer at a time: its transaction is the lock.
  const lockedAsPicked = dialect === 'postgresql' ? sql` FOR UPDATE SKIP LOCKED` : empty;

  return {
    /**
     * Every read of the worker runs in a transaction: on SQLite, one connection serves everything, and
     * only a transaction waits for another to end, so the worker never reads rows not yet committed.
     */
    inTransaction: <T>(fn: (tx: PrismaTx) => Promise<T>): Promise<T> => prisma.$transaction(fn),

    // --- the outbox, in the caller's transaction

    activeSubscriptions: (tx: PrismaTx) =>
      tx.webhookSubscription.findMany({ where: { isActive: true }, select: { id: true, events: true, rubricId: true } }),
    insertEvent: (
      tx: PrismaTx,
      event: { type: string; entityId: string | null; rubricId: string | null; data: PrismaNamespace.InputJsonValue; occurredAt: Date },
    ) => tx.webhookEvent.create({ data: event, select: { id: true } }),
    /**
     * Of these subscriptions, the ones that still exist, each held (FOR KEY SHARE on PostgreSQL) until
     * the caller's transaction ends: a delete that committed since they were read is left out rather
     * than failing the delivery's foreign key, and a delete that comes later waits and takes the new
     * deliveries with it. SQLite has one writer at a time: what was read is still there.
     */
    holdSubscriptions: async (tx: PrismaTx, ids: string[]): Promise<string[]> => {
      if (dialect !== 'postgresql' || ids.length === 0) return ids;
      const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "WebhookSubscription" WHERE "id" IN (${join(ids)}) FOR KEY SHARE`;
      const held = new Set(rows.map((r) => r.id));
      return ids.filter((id) => held.has(id));
    },
    insertDeliveries: async (tx: PrismaTx, eventId: string, subscriptionIds: string[], at: Date) => {
      if (subscriptionIds.length) {
        await tx.webhookDelivery.createMany({
          data: subscriptionIds.map((subscriptionId) => ({ subscriptionId, eventId, nextAttemptAt: at, createdAt: at })),
        });
      }
    },

    // --- subscriptions

    findSubscription: (id: string) => prisma.webhookSubscription.findUnique({ where: { id } }),
    listSubscriptions: (take: number, key?: [string, string]) =>
      prisma.webhookSubscription.findMany({
        where: key ? { OR: [{ createdAt: { lt: new Date(key[0]) } }, { createdAt: new Date(key[0]), id: { lt: key[1] } }] } : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take,
      }),
    createSubscription: (data: SubscriptionData & { secret: string; createdById: string | null; at: Date }, then: AfterWebhookWrite) => {
      const { at, ...fields } = data;
      return prisma.$transaction(async (tx) => {
        const row = await tx.webhookSubscription.create({ data: { ...fields, createdAt: at, updatedAt: at } });
        await then(tx, row.id);
        return row;
      });
    },
    updateSubscriptionAtVersion: async (
      id: string,
      expectedVersion: number | null,
      data: Partial<SubscriptionData> & {
        updatedAt: Date;
        consecutiveFailures?: number;
        disabledAt?: Date | null;
        blockedUntil?: Date | null;
      },
      then: AfterWebhookWrite,
    ): Promise<boolean> =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.webhookSubscription.updateMany({
          where: { id, ...(expectedVersion === null ? {} : { version: expectedVersion }) },
          data: { ...data, version: { increment: 1 } },
        });
        if (count === 1) await then(tx, id);
        return count === 1;
      }),
    deleteSubscriptionAtVersion: (id: string, expectedVersion: number | null, then: AfterWebhookWrite): Promise<boolean> =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.webhookSubscription.deleteMany({
          where: { id, ...(expectedVersion === null ? {} : { version: expectedVersion }) },
        });
        if (count === 1) await then(tx, id);
        return count === 1;
      }),

    // --- the delivery log and replays

    /** Newest first, by id, after the given id. */
    listDeliveries: (subscriptionId: string, take: number, beforeId?: number, status?: WebhookDelivery['status']): Promise<DeliveryRow[]> =>
      prisma.webhookDelivery.findMany({
        where: { subscriptionId, ...(beforeId !== undefined ? { id: { lt: beforeId } } : {}), ...(status ? { status } : {}) },
        orderBy: { id: 'desc' },
        take,
        include: { event: { select: { type: true } } },
      }),
    findDelivery: (subscriptionId: string, id: number): Promise<DeliveryRow | null> =>
      prisma.webhookDelivery.findFirst({ where: { id, subscriptionId }, include: { event: { select: { type: true } } } }),
    /** Queues the event again for the subscription, at the end of its queue; null when the event has been pruned meanwhile. */
    requeue: async (subscriptionId: string, eventId: string, at: Date, then: AfterWebhookWrite): Promise<DeliveryRow | null> => {
      try {
        // The subscription's row before the new delivery's (see recordAttempt).
        return await prisma.$transaction(async (tx) => {
          await tx.webhookSubscription.updateMany({ where: { id: subscriptionId }, data: { blockedUntil: null } });
          const row = await tx.webhookDelivery.create({
            data: { subscriptionId, eventId, nextAttemptAt: at, createdAt: at },
            include: { event: { select: { type: true } } },
          });
          await then(tx, String(row.id));
          return row;
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) return null;
        throw error;
      }
    },
    eventsSince: (since: Date, take: number) =>
      prisma.webhookEvent.findMany({
        where: { occurredAt: { gte: since }, type: { not: pingEventType } },
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
        select: { id: true, type: true, rubricId: true },
        take,
      }),
    /**
     * Queues the events that still exist (one pruned since it was read is left out); answers how many,
     * or null when the subscription itself has been deleted meanwhile.
     */
    queueMany: async (subscriptionId: string, eventIds: string[], at: Date, then: AfterWebhookWrite): Promise<number | null> => {
      const insert = (ids: string[]) =>
        prisma.$transaction(async (tx) => {
          const { count } = await tx.webhookDelivery.createMany({
            data: ids.map((eventId) => ({ subscriptionId, eventId, nextAttemptAt: at, createdAt: at })),
          });
          if (count > 0) await then(tx, subscriptionId);
          return count;
        });
      try {
        return await insert(eventIds);
      } catch (error) {
        if (!isForeignKeyViolation(error)) throw error;
        // One statement: nothing was inserted. The delete or the pruner has committed by now (the insert waited for its lock).
        if (!(await prisma.webhookSubscription.count({ where: { id: subscriptionId } }))) return null;
        const existing = new Set(
          (await prisma.webhookEvent.findMany({ where: { id: { in: eventIds } }, select: { id: true } })).map((e) => e.id),
        );
        return insert(eventIds.filter((id) => existing.has(id)));
      }
    },
    /** A ping: an event of its own, queued for this subscription only; null when the subscription has been deleted meanwhile. */
    queuePing: (
      subscriptionId: string,
      data: PrismaNamespace.InputJsonValue,
      at: Date,
      then: AfterWebhookWrite,
    ): Promise<DeliveryRow | null> =>
      prisma.$transaction(async (tx) => {
        // The subscription's row before the new delivery's (see recordAttempt).
        if ((await tx.webhookSubscription.updateMany({ where: { id: subscriptionId }, data: { blockedUntil: null } })).count === 0)
          return null;
        const event = await tx.webhookEvent.create({
          data: { type: pingEventType, entityId: subscriptionId, rubricId: null, data, occurredAt: at },
          select: { id: true },
        });
        const row = await tx.webhookDelivery.create({
          data: { subscriptionId, eventId: event.id, nextAttemptAt: at, createdAt: at },
          include: { event: { select: { type: true } } },
        });
        await then(tx, String(row.id));
        return row;
      }),

    // --- the worker

    /** Subscriptions with deliveries waiting that no live worker holds. */
    claimableSubscriptionIds: async (at: Date, take: number): Promise<string[]> =>
      prisma.$transaction(async (tx) =>
        (
          await tx.webhookSubscription.findMany({
            where: { ...claimable(at), deliveries: { some: { status: 'pending' } } },
            select: { id: true },
            take,
          })
        ).map((s) => s.id),
      ),
    /** Takes the subscription's queue for `leaseMs` if no live worker holds it: a conditional update, one winner. */
    claim: async (id: string, workerId: string, at: Date, leaseMs: number): Promise<boolean> =>
      (
        await prisma.$transaction((tx) =>
          tx.webhookSubscription.updateMany({
            where: { id, ...claimable(at) },
            data: { lockedBy: workerId, lockedUntil: new Date(at.getTime() + leaseMs) },
          }),
        )
      ).count === 1,
    release: async (id: string, workerId: string, blockedUntil: Date | null = null) => {
      await prisma.$transaction((tx) =>
        tx.webhookSubscription.updateMany({ where: { id, lockedBy: workerId }, data: { lockedBy: null, lockedUntil: null, blockedUntil } }),
      );
    },
    /** The oldest delivery still waiting in the subscription's queue. */
    head: (subscriptionId: string): Promise<HeadDelivery | null> =>
      prisma.$transaction((tx) =>
        tx.webhookDelivery.findFirst({
          where: { subscriptionId, status: 'pending' },
          orderBy: { id: 'asc' },
          include: { event: true, subscription: { select: { url: true, secret: true, isActive: true } } },
        }),
      ),
    /** Writes an attempt's outcome and the subscription's failure count, and extends the lease. */
    recordAttempt: (
      delivery: { id: number; subscriptionId: string },
      workerId: string,
      outcome: Pick<
        WebhookDelivery,
        'status' | 'attempts' | 'nextAttemptAt' | 'lastAttemptAt' | 'responseStatus' | 'responseTimeMs' | 'lastError' | 'completedAt'
      >,
      subscription: { consecutiveFailures: 'reset' | 'increment' | 'keep'; lockedUntil: Date },
    ): Promise<{ consecutiveFailures: number } | null> =>
      prisma.$transaction(async (tx) => {
        // The subscription's row first, then its delivery's: the order in which deleting a subscription
        // (and its cascade) locks them. The other order deadlocks with a delete on PostgreSQL.
        const change =
          subscription.consecutiveFailures === 'reset'
            ? { consecutiveFailures: 0 }
            : subscription.consecutiveFailures === 'increment'
              ? { consecutiveFailures: { increment: 1 } }
              : {};
        await tx.webhookSubscription.updateMany({
          where: { id: delivery.subscriptionId, lockedBy: workerId },
          data: { ...change, lockedUntil: subscription.lockedUntil },
        });
        await tx.webhookDelivery.updateMany({ where: { id: delivery.id }, data: outcome });
        return tx.webhookSubscription.findUnique({ where: { id: delivery.subscriptionId }, select: { consecutiveFailures: true } });
      }),
    // --- retention: each batch is one short transaction

    /**
     * Deletes up to `take` deliveries that ended (succeeded or finally failed) before `cutoff`, in
     * (completedAt, id) order after the cursor's: an index range that stops at the cutoff, so the
     * rows kept are never walked. `seen` below `take` means there are no more.
     */
    pruneFinishedDeliveries: (
      cutoff: Date,
      take: number,
      after?: { completedAt: Date; id: number },
    ): Promise<{ seen: number; deleted: number; last?: { completedAt: Date; id: number } }> =>
      prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ id: unknown; completedAt: unknown }[]>`SELECT "id", "completedAt" FROM "WebhookDelivery"
          WHERE "completedAt" < ${cutoff}
            ${after ? sql`AND ("completedAt" > ${after.completedAt} OR ("completedAt" = ${after.completedAt} AND "id" > ${after.id}))` : empty}
            AND "status" IN ('succeeded', 'failed')
          ORDER BY "completedAt", "id" LIMIT ${take}${lockedAsPicked}`;
        if (!rows.length) return { seen: 0, deleted: 0 };
        // The condition again: a pending delivery is never deleted, whatever was picked.
        const { count } = await tx.webhookDelivery.deleteMany({
          where: { id: { in: rows.map((r) => Number(r.id)) }, status: { in: ['succeeded', 'failed'] }, completedAt: { lt: cutoff } },
        });
        const last = rows.at(-1)!;
        return { seen: rows.length, deleted: count, last: { completedAt: toDate(last.completedAt), id: Number(last.id) } };
      }),
    /**
     * Deletes up to `take` events older than `cutoff` that no delivery refers to, in (occurredAt, id)
     * order after the cursor's. On PostgreSQL the picked events are locked, so no delivery can be queued
     * for them any more, and the delete (a new statement, a fresh snapshot) checks again that none was
     * committed in between: a replay's new delivery is never lost to the cascade.
     */
    pruneOrphanedEvents: (
      cutoff: Date,
      take: number,
      after?: { occurredAt: Date; id: string },
    ): Promise<{ seen: number; deleted: number; last?: { occurredAt: Date; id: string } }> =>
      prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ id: string; occurredAt: unknown }[]>`SELECT e."id", e."occurredAt" FROM "WebhookEvent" e
          WHERE e."occurredAt" < ${cutoff}
            ${after ? sql`AND (e."occurredAt" > ${after.occurredAt} OR (e."occurredAt" = ${after.occurredAt} AND e."id" > ${after.id}))` : empty}
            AND NOT EXISTS (SELECT 1 FROM "WebhookDelivery" d WHERE d."eventId" = e."id")
          ORDER BY e."occurredAt", e."id" LIMIT ${take}${lockedAsPicked}`;
        if (!rows.length) return { seen: 0, deleted: 0 };
        const { count } = await tx.webhookEvent.deleteMany({
          where: { id: { in: rows.map((r) => r.id) }, occurredAt: { lt: cutoff }, deliveries: { none: {} } },
        });
        const last = rows.at(-1)!;
        return { seen: rows.length, deleted: count, last: { occurredAt: toDate(last.occurredAt), id: last.id } };
      }),

    /** Turns a subscription off after too many failures; false when it was already off. */
    /** Turns the subscription off if it is on; `then` runs in the same transaction (the audit event). */
    disable: (id: string, at: Date, then: (tx: PrismaTx) => Promise<void>): Promise<boolean> =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.webhookSubscription.updateMany({
          where: { id, isActive: true },
          data: { isActive: false, disabledAt: at, version: { increment: 1 } },
        });
        if (count === 1) await then(tx);
        return count === 1;
      }),
  };
}

/** A timestamp read by raw SQL: a Date on PostgreSQL, the stored text or number on SQLite. */
function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string | number);
}

export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
