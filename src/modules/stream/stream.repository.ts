import type { Prisma, PrismaNamespace, PrismaTx } from '../../db/database.ts';
import type { StreamEventInput } from '../../shared/stream-events.ts';

export interface LoggedEvent {
  id: number;
  topic: string;
  type: string;
  data: PrismaNamespace.JsonValue;
}

const eventSelect = { id: true, topic: true, type: true, data: true } as const;

/** The only file that touches prisma.streamEvent: the stream's log. */
export function createStreamRepository({ prisma }: { prisma: Prisma }) {
  return {
    insert: async (tx: PrismaTx, event: StreamEventInput, at: Date): Promise<void> => {
      await tx.streamEvent.create({
        data: { topic: event.topic, type: event.type, data: event.data as object, createdAt: at },
        select: { id: true },
      });
    },

    /** Writes an event outside any transaction (a change whose own transaction is over). */
    insertNow: async (event: StreamEventInput, at: Date): Promise<void> => {
      await prisma.streamEvent.create({ data: { ...event, data: event.data as object, createdAt: at }, select: { id: true } });
    },

    /** Writes an event that several instances may try to write at once; the first one wins, the others change nothing. */
    insertOnce: async (event: StreamEventInput, dedupeKey: string, at: Date): Promise<boolean> => {
      try {
        await prisma.streamEvent.create({ data: { ...event, data: event.data as object, createdAt: at, dedupeKey }, select: { id: true } });
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002') return false;
        throw error;
      }
    },

    maxId: async (): Promise<number> => (await prisma.streamEvent.aggregate({ _max: { id: true } }))._max.id ?? 0,
    minId: async (): Promise<number | null> => (await prisma.streamEvent.aggregate({ _min: { id: true } }))._min.id,

    /** Every event after `id`, in id order. */
    listAfter: (id: number, take: number): Promise<LoggedEvent[]> =>
      prisma.streamEvent.findMany({ where: { id: { gt: id } }, orderBy: { id: 'asc' }, take, select: eventSelect }),

    /** The events of these topics in (after, upTo], in id order: what a reconnecting client missed. */
    listBetween: (after: number, upTo: number, topics: string[], take: number): Promise<LoggedEvent[]> =>
      prisma.streamEvent.findMany({
        where: { id: { gt: after, lte: upTo }, topic: { in: topics } },
        orderBy: { id: 'asc' },
        take,
        select: eventSelect,
      }),

    prune: async (before: Date): Promise<number> => (await prisma.streamEvent.deleteMany({ where: { createdAt: { lt: before } } })).count,
  };
}

export type StreamRepository = ReturnType<typeof createStreamRepository>;
