import type { Prisma, PrismaTx } from '../../db/database.ts';

/** What a placement row holds besides its id. */
export interface PlacementData {
  subjectType: string;
  subjectId: string;
  erid: string;
  advertiserName: string;
  advertiserInn: string | null;
  advertiserUrl: string | null;
  title: string;
  url: string;
  firstPublicAt: Date;
  lastPublicAt: Date | null;
}

export function createAdsRepository({ prisma }: { prisma: Prisma }) {
  return {
    /** The subject's newest placement: the one a change continues, ends or replaces. */
    findLatest: (tx: PrismaTx, subjectType: string, subjectId: string) =>
      tx.adPlacement.findFirst({ where: { subjectType, subjectId }, orderBy: [{ firstPublicAt: 'desc' }, { id: 'desc' }] }),

    create: async (tx: PrismaTx, data: PlacementData): Promise<void> => {
      await tx.adPlacement.create({ data, select: { id: true } });
    },

    update: async (tx: PrismaTx, id: string, data: Partial<PlacementData>): Promise<void> => {
      await tx.adPlacement.update({ where: { id }, data, select: { id: true } });
    },

    remove: async (tx: PrismaTx, id: string): Promise<void> => {
      await tx.adPlacement.delete({ where: { id }, select: { id: true } });
    },

    /** Placements public at some moment of [from, to] (and before `now`), in the order they went public. */
    listShownBetween: (from: Date, to: Date, now: Date) =>
      prisma.adPlacement.findMany({
        where: {
          AND: [{ firstPublicAt: { lte: to < now ? to : now } }, { OR: [{ lastPublicAt: null }, { lastPublicAt: { gte: from } }] }],
        },
        orderBy: [{ firstPublicAt: 'asc' }, { id: 'asc' }],
        take: 10_000,
      }),
  };
}

export type AdsRepository = ReturnType<typeof createAdsRepository>;
