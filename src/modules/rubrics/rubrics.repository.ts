import type { Prisma, PrismaTx } from '../../db/database.ts';
import type { Rubric } from '../../generated/sqlite/client.ts';
import { atVersion } from '../../shared/versioned-write.ts';

const publicInclude = {
  parent: { select: { id: true, name: true, slug: true, isActive: true } },
  children: {
    where: { isActive: true },
    select: { id: true, name: true, slug: true },
    orderBy: [{ position: 'asc' as const }, { id: 'asc' as const }],
  },
};

export type RubricRow = Rubric;
export type PublicRubricRow = Rubric & {
  parent: { id: string; name: string; slug: string; isActive: boolean } | null;
  children: { id: string; name: string; slug: string }[];
};

export function createRubricsRepository({ prisma }: { prisma: Prisma }) {
  /** Rubrics in their display order, (position, id) ascending, after the given key. */
  const afterKey = (key: [number, string] | undefined) =>
    key ? { OR: [{ position: { gt: key[0] } }, { position: key[0], id: { gt: key[1] } }] } : {};
  const displayOrder = [{ position: 'asc' as const }, { id: 'asc' as const }];

  return {
    findById: (id: string) => prisma.rubric.findUnique({ where: { id } }),
    findBySlug: (slug: string) => prisma.rubric.findUnique({ where: { slug } }),
    isSlugTaken: async (slug: string, exceptId?: string) =>
      (await prisma.rubric.count({ where: { slug, ...(exceptId ? { id: { not: exceptId } } : {}) } })) > 0,
    list: (take: number, key?: [number, string]) => prisma.rubric.findMany({ where: afterKey(key), orderBy: displayOrder, take }),
    listActive: (take: number, key?: [number, string]): Promise<PublicRubricRow[]> =>
      prisma.rubric.findMany({ where: { isActive: true, ...afterKey(key) }, orderBy: displayOrder, take, include: publicInclude }),
    findActiveBySlug: (slug: string): Promise<PublicRubricRow | null> =>
      prisma.rubric.findFirst({ where: { slug, isActive: true }, include: publicInclude }),
    /** Writes run in a transaction so that `then` (the webhook event) is committed with them or not at all. */
    create: (
      data: {
        name: string;
        slug: string;
        description: string | null;
        parentId: string | null;
        position: number;
        isActive: boolean;
        narration: string | null;
      },
      then: (tx: PrismaTx, row: Rubric) => Promise<void>,
    ) =>
      prisma.$transaction(async (tx) => {
        const row = await tx.rubric.create({ data });
        await then(tx, row);
        return row;
      }),
    /** Changes the rubric only while it is at the expected version (any when null); answers whether it did. */
    updateAtVersion: (
      id: string,
      expectedVersion: number | null,
      data: Partial<Omit<Rubric, 'id' | 'createdAt' | 'updatedAt' | 'version'>>,
      then: (tx: PrismaTx, row: Rubric) => Promise<void>,
    ) =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.rubric.updateMany({
          where: atVersion(id, expectedVersion),
          data: { ...data, version: { increment: 1 } },
        });
        const row = count === 1 ? await tx.rubric.findUnique({ where: { id } }) : null;
        if (row) await then(tx, row);
        return row !== null;
      }),
    deleteAtVersion: (id: string, expectedVersion: number | null, then: (tx: PrismaTx, row: Rubric) => Promise<void>) =>
      prisma.$transaction(async (tx) => {
        const row = await tx.rubric.findUnique({ where: { id } });
        const { count } = await tx.rubric.deleteMany({ where: atVersion(id, expectedVersion) });
        if (count === 1 && row) await then(tx, row);
        return count === 1;
      }),
    /** Ids of the ancestors of a rubric, nearest first (for refusing cycles). */
    ancestorIds: async (id: string): Promise<string[]> => {
      const ids: string[] = [];
      let current = await prisma.rubric.findUnique({ where: { id }, select: { parentId: true } });
      while (current?.parentId && !ids.includes(current.parentId)) {
        ids.push(current.parentId);
        current = await prisma.rubric.findUnique({ where: { id: current.parentId }, select: { parentId: true } });
      }
      return ids;
    },
  };
}

export type RubricsRepository = ReturnType<typeof createRubricsRepository>;
