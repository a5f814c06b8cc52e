import type { Prisma, PrismaNamespace, PrismaTx } from '../../db/database.ts';
import { Prisma as PrismaValues, type WireSource } from '../../generated/sqlite/client.ts';

export type WireSourceRow = WireSource;

type SourceData = Pick<WireSource, 'name' | 'url' | 'format' | 'pollSeconds' | 'rubricId' | 'isActive'> & {
  credentials: PrismaNamespace.InputJsonValue | null;
};

/** Runs in the write's transaction (its audit entry): committed with it or not at all. */
export type AfterWireWrite = (tx: PrismaTx, id: string) => Promise<void>;

// Due, active, and not leased by a live poller.
const claimable = (at: Date) => ({
  isActive: true,
  nextPollAt: { lte: at },
  OR: [{ lockedUntil: null }, { lockedUntil: { lt: at } }],
});

/** What a poll did, written with the lease let go. */
export interface PollOutcome {
  at: Date;
  status: 'ok' | 'not_modified' | 'failed';
  error: string | null;
  imported: number;
  nextPollAt: Date;
  /** The validators of a 200, kept for the next poll; left out: kept as they are. */
  validators?: { etag: string | null; lastModified: string | null };
  consecutiveFailures: 'reset' | 'increment';
}

// No credentials: the column's SQL NULL (not the JSON value null).
const credentialsValue = (value: PrismaNamespace.InputJsonValue | null) => value ?? PrismaValues.DbNull;

export function createWireRepository({ prisma }: { prisma: Prisma }) {
  return {
    find: (id: string) => prisma.wireSource.findUnique({ where: { id } }),
    list: (take: number, key?: [string, string]) =>
      prisma.wireSource.findMany({
        where: key ? { OR: [{ createdAt: { lt: new Date(key[0]) } }, { createdAt: new Date(key[0]), id: { lt: key[1] } }] } : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take,
      }),
    create: (data: SourceData & { at: Date }, then: AfterWireWrite) => {
      const { at, credentials, ...fields } = data;
      return prisma.$transaction(async (tx) => {
        const row = await tx.wireSource.create({
          data: { ...fields, credentials: credentialsValue(credentials), nextPollAt: at, createdAt: at, updatedAt: at },
        });
        await then(tx, row.id);
        return row;
      });
    },
    updateAtVersion: (
      id: string,
      expectedVersion: number | null,
      data: Partial<SourceData> & {
        updatedAt: Date;
        nextPollAt?: Date;
        consecutiveFailures?: number;
        etag?: null;
        lastModified?: null;
        lockedBy?: null;
        lockedUntil?: null;
      },
      then: AfterWireWrite,
    ): Promise<boolean> =>
      prisma.$transaction(async (tx) => {
        const { credentials, ...rest } = data;
        const { count } = await tx.wireSource.updateMany({
          where: { id, ...(expectedVersion === null ? {} : { version: expectedVersion }) },
          data: {
            ...rest,
            ...(credentials !== undefined ? { credentials: credentialsValue(credentials) } : {}),
            version: { increment: 1 },
          },
        });
        if (count === 1) await then(tx, id);
        return count === 1;
      }),
    deleteAtVersion: (id: string, expectedVersion: number | null, then: AfterWireWrite): Promise<boolean> =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.wireSource.deleteMany({
          where: { id, ...(expectedVersion === null ? {} : { version: expectedVersion }) },
        });
        if (count === 1) await then(tx, id);
        return count === 1;
      }),

    // --- the poller. Every read runs in a transaction: on SQLite one connection serves everything, and only
    // a transaction waits for another to end, so the poller never reads rows not yet committed.

    /** Sources due and free, the longest waiting first. */
    dueIds: async (at: Date, take: number): Promise<string[]> =>
      (
        await prisma.$transaction((tx) =>
          tx.wireSource.findMany({ where: claimable(at), orderBy: { nextPollAt: 'asc' }, select: { id: true }, take }),
        )
      ).map((r) => r.id),
    /** Takes the source for `leaseMs` if it is still due and free: a conditional update, one winner across instances. */
    claim: (id: string, workerId: string, at: Date, leaseMs: number): Promise<WireSourceRow | null> =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.wireSource.updateMany({
          where: { id, ...claimable(at) },
          data: { lockedBy: workerId, lockedUntil: new Date(at.getTime() + leaseMs) },
        });
        return count === 1 ? tx.wireSource.findUnique({ where: { id } }) : null;
      }),
    /** Holds the lease longer (a long import); false when this poller lost it. */
    extendLease: async (id: string, workerId: string, until: Date): Promise<boolean> =>
      (await prisma.$transaction((tx) => tx.wireSource.updateMany({ where: { id, lockedBy: workerId }, data: { lockedUntil: until } })))
        .count === 1,
    /** Records the poll and lets go of the lease; nothing when another poller holds it now. */
    finish: async (id: string, workerId: string, outcome: PollOutcome): Promise<void> => {
      await prisma.$transaction((tx) =>
        tx.wireSource.updateMany({
          where: { id, lockedBy: workerId },
          data: {
            lastPolledAt: outcome.at,
            lastStatus: outcome.status,
            lastError: outcome.error,
            itemsImported: { increment: outcome.imported },
            nextPollAt: outcome.nextPollAt,
            consecutiveFailures: outcome.consecutiveFailures === 'reset' ? 0 : { increment: 1 },
            ...(outcome.validators ?? {}),
            lockedBy: null,
            lockedUntil: null,
          },
        }),
      );
    },
    /** Lets go of the source without recording a poll (the poller is stopping): another takes it at once. */
    release: async (id: string, workerId: string): Promise<void> => {
      await prisma.$transaction((tx) =>
        tx.wireSource.updateMany({ where: { id, lockedBy: workerId }, data: { lockedBy: null, lockedUntil: null } }),
      );
    },
  };
}

export type WireRepository = ReturnType<typeof createWireRepository>;
