import type { Prisma, PrismaTx } from '../../db/database.ts';
import type { Media, MediaKind, MediaRendition } from '../../generated/sqlite/client.ts';
import { newestFirst } from '../../shared/newest-first.ts';
import { atVersion } from '../../shared/versioned-write.ts';

export type MediaRow = Media & { renditions: MediaRendition[] };

export interface MediaUsage {
  /** Articles that use it as cover, narration or a body photo, each once. */
  articles: { id: string; title: string; status: string }[];
  /** Users who have it as their avatar. */
  avatarCount: number;
}

/** The columns a media save writes (the rest are the database's or the upload's). */
type MediaData = Omit<Media, 'id' | 'createdAt' | 'updatedAt' | 'version' | 'contentHash' | 'storageKey' | 'dominantColor' | 'originUrl'>;
export type UploadedMediaData = MediaData & Pick<Media, 'contentHash' | 'storageKey' | 'dominantColor'> & { originUrl?: string | null };
export type RenditionData = Omit<MediaRendition, 'id' | 'mediaId'>;
/** Runs in the write's transaction (the webhook event): committed with it or not at all. */
export type AfterWrite = (tx: PrismaTx, row: { id: string; version: number }) => Promise<void>;

const withRenditions = { renditions: true } as const;

export function createMediaRepository({ prisma }: { prisma: Prisma }) {
  const articleRef = { select: { id: true, title: true, status: true } } as const;

  return {
    findById: (id: string): Promise<MediaRow | null> => prisma.media.findUnique({ where: { id }, include: withRenditions }),

    findByContentHash: (contentHash: string): Promise<MediaRow | null> =>
      prisma.media.findUnique({ where: { contentHash }, include: withRenditions }),

    /** The media first fetched from this address (an imported article's photo), if any. */
    findByOriginUrl: (originUrl: string): Promise<MediaRow | null> =>
      prisma.media.findFirst({ where: { originUrl }, orderBy: { createdAt: 'asc' }, include: withRenditions }),

    /** Newest first, (createdAt, id) descending, after the given key. */
    list: (take: number, kind: MediaKind | undefined, key?: [string, string]): Promise<MediaRow[]> =>
      prisma.media.findMany({ ...newestFirst(take, key, kind ? { kind } : {}), include: withRenditions }),

    create: (data: MediaData & { createdAt: Date; updatedAt: Date }, then: AfterWrite): Promise<MediaRow> =>
      prisma.$transaction(async (tx) => {
        const row = await tx.media.create({ data, include: withRenditions });
        await then(tx, row);
        return row;
      }),

    /** The media and its renditions in one statement: both exist or neither. */
    createUploaded: (
      data: UploadedMediaData & { createdAt: Date; updatedAt: Date },
      renditions: RenditionData[],
      then: AfterWrite,
    ): Promise<MediaRow> =>
      prisma.$transaction(async (tx) => {
        const row = await tx.media.create({ data: { ...data, renditions: { create: renditions } }, include: withRenditions });
        await then(tx, row);
        return row;
      }),

    /**
     * Changes the media if it is at `expected` (null: any version), bumping the version; false when it
     * was not. With `crops`, its cropped renditions are replaced by these in the same transaction.
     */
    async updateAtVersion(
      id: string,
      expected: number | null,
      data: Partial<MediaData> & { updatedAt: Date },
      crops: RenditionData[] | undefined,
      then: AfterWrite,
    ): Promise<boolean> {
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.media.updateMany({
          where: atVersion(id, expected),
          data: { ...data, version: { increment: 1 } },
        });
        if (count === 1 && crops) {
          await tx.mediaRendition.deleteMany({ where: { mediaId: id, aspectRatio: { not: 'original' } } });
          await tx.mediaRendition.createMany({ data: crops.map((crop) => ({ ...crop, mediaId: id })) });
        }
        const row = count === 1 ? await tx.media.findUnique({ where: { id }, select: { id: true, version: true } }) : null;
        if (row) await then(tx, row);
        return count === 1;
      });
    },

    /** Deletes the media (its renditions go with it) if it is at `expected`; false when it was not. */
    async deleteAtVersion(id: string, expected: number | null, then: AfterWrite): Promise<boolean> {
      return prisma.$transaction(async (tx) => {
        const row = await tx.media.findUnique({ where: { id }, select: { id: true, version: true } });
        const { count } = await tx.media.deleteMany({ where: atVersion(id, expected) });
        if (count === 1 && row) await then(tx, row);
        return count === 1;
      });
    },

    kindsOf: (ids: string[]) => prisma.media.findMany({ where: { id: { in: ids } }, select: { id: true, kind: true } }),

    /** The storage keys among those given that a media or a rendition still points at. */
    async keysInUse(keys: string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const [originals, renditions] = await Promise.all([
        prisma.media.findMany({ where: { storageKey: { in: keys } }, select: { storageKey: true } }),
        prisma.mediaRendition.findMany({ where: { storageKey: { in: keys } }, select: { storageKey: true } }),
      ]);
      return new Set([...originals, ...renditions].map((r) => r.storageKey!));
    },

    /**
     * Whether a published or scheduled article uses the media (cover, narration or body), in the trash
     * or not: what it shows is public, or becomes so again when the article is restored.
     */
    isShownByPublicArticle: async (id: string): Promise<boolean> =>
      (await prisma.article.findFirst({
        where: {
          status: { in: ['published', 'scheduled'] },
          OR: [{ coverMediaId: id }, { narrationMediaId: id }, { bodyMedia: { some: { mediaId: id } } }],
        },
        select: { id: true },
      })) !== null,

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
      const byId = new Map<string, { id: string; title: string; status: string }>();
      for (const article of [...row.coverOf, ...row.narrationOf, ...row.bodyOf.map((b) => b.article)]) byId.set(article.id, article);
      return { articles: [...byId.values()], avatarCount: row._count.avatarOf };
    },
  };
}

export type MediaRepository = ReturnType<typeof createMediaRepository>;
