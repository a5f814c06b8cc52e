import type { Prisma } from '../../db/database.ts';
import type { Tag } from '../../generated/sqlite/client.ts';

export type TagRow = Tag;

export function createTagsRepository(prisma: Prisma) {
  // Alphabetical, with the id as tiebreaker for tags of the same name.
  const afterKey = (key: [string, string] | undefined) =>
    key ? { OR: [{ name: { gt: key[0] } }, { name: key[0], id: { gt: key[1] } }] } : {};
  const alphabetical = [{ name: 'asc' as const }, { id: 'asc' as const }];

  return {
    findById: (id: string) => prisma.tag.findUnique({ where: { id } }),
    findBySlug: (slug: string) => prisma.tag.findUnique({ where: { slug }, select: { id: true } }),
    findIds: async (ids: string[]) => (await prisma.tag.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((t) => t.id),
    isSlugTaken: async (slug: string, exceptId?: string) =>
      (await prisma.tag.count({ where: { slug, ...(exceptId ? { id: { not: exceptId } } : {}) } })) > 0,
    list: (take: number, key?: [string, string]) => prisma.tag.findMany({ where: afterKey(key), orderBy: alphabetical, take }),
    create: (data: { name: string; slug: string }) => prisma.tag.create({ data }),
    update: (id: string, data: { name?: string; slug?: string }) => prisma.tag.update({ where: { id }, data }),
    delete: (id: string) => prisma.tag.delete({ where: { id } }),
  };
}

export type TagsRepository = ReturnType<typeof createTagsRepository>;
