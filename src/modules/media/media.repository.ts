import type { Prisma } from '../../db/database.ts';
import type { Media, MediaKind } from '../../generated/sqlite/client.ts';
import { olderThan } from '../../shared/cursor.ts';

export type MediaRow = Media;

export interface MediaUsage {
  /** Articles that use it as cover, narration or a body photo, each once. */
  articles: { id: string; title: string }[];
  /** Users who have it as their avatar. */
  avatarCount: number;
}

type MediaData = Omit<Media, 'id' | 'createdAt' | 'updatedAt' | 'version' | 'contentHash' | 'storageKey' | 'focalX' | 'focalY' | 'dominantColor'>;

export function createMediaRepository(prisma: Prisma) {
  const articleRef = { select: { id: true, title: true } } as const;

  return {
    findById: (id: string) => prisma.media.findUnique({ where: { id } }),

    /** Newest first, (createdAt, id) descending, after the given key. */
    list: (take: number, kind: MediaKind | undefined, key?: [string, string]) =>
      prisma.media.findMany({
        where: { ...(kind ? { kind } : {}), ...(key ? olderThan('createdAt', key) : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take,
      }),

    create: (data: MediaData & { createdAt: Date; updatedAt: Date }) => prisma.media.create({ data }),
    update: (id: string, data: Partial<MediaData> & { updatedAt: Date }) => prisma.media.update({ where: { id }, data }),
    delete: (id: string) => prisma.media.delete({ where: { id } }),

    kindsOf: (ids: string[]) => prisma.media.findMany({ where: { id: { in: ids } }, select: { id: true, kind: true } }),

    /** What refers to the media, through its own relations, in one query. */
    async usage(id: string): Promise<MediaUsage> {
      const row = await prisma.media.findUnique({
        where: { id },
        select: {
          coverOf: articleRef,
          narrationOf: articleRef,
          bodyOf: { select: { article: articleRef } },
          _count: { select: { avatarOf: true } },
        },
      });
      if (!row) return { articles: [], avatarCount: 0 };
      const byId = new Map<string, { id: string; title: string }>();
      for (const article of [...row.coverOf, ...row.narrationOf, ...row.bodyOf.map((b) => b.article)]) byId.set(article.id, article);
      return { articles: [...byId.values()], avatarCount: row._count.avatarOf };
    },
  };
}

export type MediaRepository = ReturnType<typeof createMediaRepository>;
