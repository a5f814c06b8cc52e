import type { Prisma, PrismaTx } from '../../db/database.ts';
import type { Tag } from '../../generated/sqlite/client.ts';

export type TagRow = Tag;

export function createTagsRepository({ prisma }: { prisma: Prisma }) {
  // Alphabetical, with the id as tiebreaker for tags of the same name.
  const afterKey = (key: [string, string] | undefined) =>
    key ? { OR: [{ name: { gt: key[0] } }, { name: key[0], id: { gt: key[1] } }] } : {};
  const alphabetical = [{ name: 'asc' as const }, { id: 'asc' as const }];

  return {
    inTransaction: <T>(fn: (tx: PrismaTx) => Promise<T>): Promise<T> => prisma.$transaction(fn),
    findById: (id: string, db: Prisma | PrismaTx = prisma) => db.tag.findUnique({ where: { id } }),
    findBySlug: (slug: string) => prisma.tag.findUnique({ where: { slug } }),
    slugsOf: (ids: string[]) => prisma.tag.findMany({ where: { id: { in: ids } }, select: { id: true, slug: true } }),
    findIds: async (ids: string[]) => (await prisma.tag.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((t) => t.id),
    isSlugTaken: async (slug: string, exceptId?: string) =>
      (await prisma.tag.count({ where: { slug, ...(exceptId ? { id: { not: exceptId } } : {}) } })) > 0,
    list: (take: number, key?: [string, string]) => prisma.tag.findMany({ where: afterKey(key), orderBy: alphabetical, take }),
    create: (data: { name: string; slug: string }, db: Prisma | PrismaTx = prisma) => db.tag.create({ data }),
    /** Changes the tag only while it is at the expected version (any when null); answers whether it did. */
    updateAtVersion: async (
      id: string,
      expectedVersion: number | null,
      data: { name?: string; slug?: string },
      db: Prisma | PrismaTx = prisma,
    ) =>
      (
        await db.tag.updateMany({
          where: { id, ...(expectedVersion === null ? {} : { version: expectedVersion }) },
          data: { ...data, version: { increment: 1 } },
        })
      ).count === 1,
    deleteAtVersion: async (id: string, expectedVersion: number | null, db: Prisma | PrismaTx = prisma) =>
      (await db.tag.deleteMany({ where: { id, ...(expectedVersion === null ? {} : { version: expectedVersion }) } })).count === 1,
  };
}

export type TagsRepository = ReturnType<typeof createTagsRepository>;
