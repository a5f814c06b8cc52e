import type { Prisma, PrismaNamespace, PrismaTx } from '../../db/database.ts';
import { publicArticleWhere } from '../../shared/article-visibility.ts';
import { olderThan } from '../../shared/cursor.ts';

/** What entry writes and reads need of their live article. */
const articleSelect = {
  id: true,
  slug: true,
  format: true,
  status: true,
  rubricId: true,
  publishedAt: true,
  embargoUntil: true,
  deletedAt: true,
  version: true,
  coverageStartedAt: true,
  coverageEndedAt: true,
  liveSequence: true,
  authors: { select: { userId: true } },
} satisfies PrismaNamespace.ArticleSelect;

export type LiveArticleRow = PrismaNamespace.ArticleGetPayload<{ select: typeof articleSelect }>;
export type LiveEntryRow = PrismaNamespace.LiveEntryGetPayload<object>;

export interface EntryData {
  title: string | null;
  body: PrismaNamespace.InputJsonValue;
  isKeyEvent: boolean;
  isPinned: boolean;
  authorIds: string[];
}

const newestFirst = [{ publishedAt: 'desc' as const }, { id: 'desc' as const }];

/** The only file that touches prisma.liveEntry; it reads and bumps the coverage columns of its articles. */
export function createLiveRepository({ prisma }: { prisma: Prisma }) {
  return {
    inTransaction: <T>(fn: (tx: PrismaTx) => Promise<T>): Promise<T> => prisma.$transaction(fn),

    findArticle: (id: string): Promise<LiveArticleRow | null> => prisma.article.findUnique({ where: { id }, select: articleSelect }),

    /** The coverage of a live article public at `now` (one indexed read; null for any other article). */
    findPublicLiveArticle: (id: string, now: Date) =>
      prisma.article.findFirst({
        where: { AND: [{ id, format: 'live' }, publicArticleWhere(now)] },
        select: { id: true, coverageStartedAt: true, coverageEndedAt: true, liveSequence: true, publishedAt: true },
      }),

    findPublicLiveArticleBySlug: (slug: string, now: Date) =>
      prisma.article.findFirst({
        where: { AND: [{ slug, format: 'live' }, publicArticleWhere(now)] },
        select: { id: true, liveSequence: true },
      }),

    /** Is the article public at `now`, as this transaction sees it. */
    isPublicInTx: async (tx: PrismaTx, id: string, now: Date): Promise<boolean> =>
      (await tx.article.count({ where: { AND: [{ id }, publicArticleWhere(now)] } })) === 1,

    /**
     * Takes the article's next change number. The update holds the article's row lock until the commit, so
     * entry writes of one article commit in the order of their numbers.
     */
    nextSequence: async (tx: PrismaTx, articleId: string, at: Date): Promise<number> =>
      (
        await tx.article.update({
          where: { id: articleId },
          data: { liveSequence: { increment: 1 }, updatedAt: at },
          select: { liveSequence: true },
        })
      ).liveSequence,

    /** Sets the end of coverage (null: resumes) if the article is still at the version; answers whether it did. */
    setCoverageEnd: async (tx: PrismaTx, id: string, expectedVersion: number, endedAt: Date | null, at: Date): Promise<boolean> =>
      (
        await tx.article.updateMany({
          where: { id, version: expectedVersion, deletedAt: null, format: 'live' },
          data: { coverageEndedAt: endedAt, updatedAt: at, version: { increment: 1 } },
        })
      ).count === 1,

    createEntry: (tx: PrismaTx, data: EntryData & { articleId: string; createdById: string | null; at: Date; sequence: number }) => {
      const { at, ...columns } = data;
      return tx.liveEntry.create({ data: { ...columns, publishedAt: at, createdAt: at, updatedAt: at } });
    },

    /** Changes the entry while it is at the version and not deleted; answers the row after, or null. */
    updateEntryIf: async (
      tx: PrismaTx,
      id: string,
      expectedVersion: number,
      data: Partial<EntryData> & { updatedAt: Date; sequence: number; deletedAt?: Date },
    ): Promise<LiveEntryRow | null> => {
      const { count } = await tx.liveEntry.updateMany({
        where: { id, version: expectedVersion, deletedAt: null },
        data: { ...data, version: { increment: 1 } },
      });
      return count === 1 ? tx.liveEntry.findUnique({ where: { id } }) : null;
    },

    /** Unpins the article's other entries (at most one is pinned); each unpinned one is a change for `since`. */
    unpinOthers: async (tx: PrismaTx, articleId: string, exceptId: string, sequence: number, at: Date): Promise<string[]> => {
      const pinned = await tx.liveEntry.findMany({
        where: { articleId, isPinned: true, deletedAt: null, id: { not: exceptId } },
        select: { id: true },
      });
      if (pinned.length)
        await tx.liveEntry.updateMany({
          where: { id: { in: pinned.map((p) => p.id) } },
          data: { isPinned: false, sequence, updatedAt: at, version: { increment: 1 } },
        });
      return pinned.map((p) => p.id);
    },

    addRevision: async (
      tx: PrismaTx,
      revision: { entryId: string; number: number; actor: string; content: PrismaNamespace.InputJsonValue; at: Date },
    ): Promise<void> => {
      const { at, ...data } = revision;
      await tx.liveEntryRevision.create({ data: { ...data, createdAt: at }, select: { id: true } });
    },

    /** Newest first, by number, before the given one. */
    listRevisions: (entryId: string, take: number, beforeNumber?: number) =>
      prisma.liveEntryRevision.findMany({
        where: { entryId, ...(beforeNumber === undefined ? {} : { number: { lt: beforeNumber } }) },
        orderBy: { number: 'desc' },
        take,
      }),

    findEntry: (articleId: string, id: string): Promise<LiveEntryRow | null> =>
      prisma.liveEntry.findFirst({ where: { id, articleId, deletedAt: null } }),

    findEntryInTx: (tx: PrismaTx, id: string): Promise<LiveEntryRow | null> => tx.liveEntry.findUnique({ where: { id } }),

    /** Newest first, (publishedAt, id) descending, after the given key. */
    listEntries: (articleId: string, take: number, options: { key?: [string, string]; keyEventsOnly?: boolean } = {}) =>
      prisma.liveEntry.findMany({
        where: {
          articleId,
          deletedAt: null,
          ...(options.keyEventsOnly ? { isKeyEvent: true } : {}),
          ...(options.key ? olderThan('publishedAt', options.key) : {}),
        },
        orderBy: newestFirst,
        take,
      }),

    findPinned: (articleId: string) => prisma.liveEntry.findFirst({ where: { articleId, isPinned: true, deletedAt: null } }),

    listKeyEvents: (articleId: string, take: number) =>
      prisma.liveEntry.findMany({
        where: { articleId, isKeyEvent: true, deletedAt: null },
        orderBy: newestFirst,
        take,
        select: { id: true, title: true, body: true, publishedAt: true },
      }),

    countEntries: (articleId: string) => prisma.liveEntry.count({ where: { articleId, deletedAt: null } }),

    /** The entries written after change `sequence`, oldest change first; tombstones included. */
    listChangedSince: (articleId: string, sequence: number, take: number) =>
      prisma.liveEntry.findMany({ where: { articleId, sequence: { gt: sequence } }, orderBy: [{ sequence: 'asc' }, { id: 'asc' }], take }),

    /** The users of these ids as the public sees authors (in the transaction given, which SQLite's single writer needs). */
    findAuthors: async (ids: string[], db: PrismaTx = prisma) =>
      ids.length ? db.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true, slug: true } }) : [],

    findMedia: async (ids: string[], db: PrismaTx = prisma) =>
      ids.length ? db.media.findMany({ where: { id: { in: ids } }, include: { renditions: true } }) : [],

    /** Live articles public at `now` among these ids (the feed marks them). */
    findRunningCoverage: (ids: string[], now: Date) =>
      ids.length
        ? prisma.article.findMany({
            where: { AND: [{ id: { in: ids }, format: 'live', coverageEndedAt: null }, publicArticleWhere(now)] },
            select: { id: true },
          })
        : [],
  };
}

export type LiveRepository = ReturnType<typeof createLiveRepository>;
