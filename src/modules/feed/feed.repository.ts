import type { Prisma, PrismaTx } from '../../db/database.ts';
import type { FeedItem, FeedItemKind } from '../../generated/sqlite/client.ts';
import { olderThan } from '../../shared/cursor.ts';
import { publicArticleWhere } from '../../shared/article-visibility.ts';
import { atVersion } from '../../shared/versioned-write.ts';

/** The public sort key: pinned first, then newest, with the id as tiebreaker. */
export type PublicFeedKey = [isPinned: boolean, publishedAt: string, id: string];

const publicInclude = {
  rubric: { select: { id: true, name: true, slug: true, isActive: true } },
  article: {
    select: {
      id: true,
      slug: true,
      title: true,
      lead: true,
      coverMedia: { include: { renditions: true } },
      // A live item's live blog is marked live while its coverage runs.
      format: true,
      coverageEndedAt: true,
    },
  },
} as const;

type FeedItemData = Omit<FeedItem, 'id' | 'createdAt' | 'updatedAt' | 'version'>;

export type FeedItemRow = FeedItem;

export function createFeedRepository({ prisma }: { prisma: Prisma }) {
  // Prisma has no lt/gt on booleans, so "after this key" is spelt out per isPinned value.
  function afterPublicKey([isPinned, publishedAt, id]: PublicFeedKey) {
    const older = olderThan('publishedAt', [publishedAt, id]);
    return isPinned ? { OR: [{ isPinned: true, ...older }, { isPinned: false }] } : { isPinned: false, ...older };
  }

  return {
    findById: (id: string) => prisma.feedItem.findUnique({ where: { id } }),
    hasItemForArticle: async (articleId: string) => (await prisma.feedItem.count({ where: { articleId } })) > 0,
    rubricExists: async (id: string) => (await prisma.rubric.count({ where: { id } })) > 0,
    // The articles module depends on this one (it puts articles in the feed), so the feed reads the
    // little it needs of an article itself rather than through the articles service.
    findArticle: (id: string) =>
      prisma.article.findUnique({ where: { id }, select: { id: true, status: true, rubricId: true, format: true, deletedAt: true } }),

    /** Newest first, (publishedAt, id) descending, after the given key. */
    list: (take: number, kind: FeedItemKind | undefined, key?: [string, string]) =>
      prisma.feedItem.findMany({
        where: { ...(kind ? { kind } : {}), ...(key ? olderThan('publishedAt', key) : {}) },
        orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
        take,
      }),

    /** The earliest start or end of a visibility window after `now`, or null. */
    nextWindowChange: async (now: Date): Promise<Date | null> => {
      const [starting, ending] = await Promise.all([
        prisma.feedItem.aggregate({ where: { visibleFrom: { gt: now } }, _min: { visibleFrom: true } }),
        prisma.feedItem.aggregate({ where: { visibleUntil: { gt: now } }, _min: { visibleUntil: true } }),
      ]);
      const times = [starting._min.visibleFrom, ending._min.visibleUntil].filter((t): t is Date => t !== null);
      return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
    },

    /** What the public sees at `now`: inside the visibility window and, for articles, while the article is public; two queries per page. */
    listVisible: (take: number, now: Date, rubricSlug: string | undefined, key?: PublicFeedKey) =>
      prisma.feedItem.findMany({
        where: {
          AND: [
            { OR: [{ visibleFrom: null }, { visibleFrom: { lte: now } }] },
            { OR: [{ visibleUntil: null }, { visibleUntil: { gt: now } }] },
            // An item that links an article (an article item, a live blog) shows while the article is public.
            { OR: [{ articleId: null }, { article: { is: publicArticleWhere(now) } }] },
            ...(rubricSlug ? [{ rubric: { is: { slug: rubricSlug, isActive: true } } }] : []),
            ...(key ? [afterPublicKey(key)] : []),
          ],
        },
        orderBy: [{ isPinned: 'desc' }, { publishedAt: 'desc' }, { id: 'desc' }],
        take,
        include: publicInclude,
      }),

    /** Writes run in a transaction so that `then` (the webhook event) is committed with them or not at all. */
    create: (data: FeedItemData & { createdAt: Date; updatedAt: Date }, then: (tx: PrismaTx, row: FeedItem) => Promise<void>) =>
      prisma.$transaction(async (tx) => {
        const row = await tx.feedItem.create({ data });
        await then(tx, row);
        return row;
      }),
    /** Changes the item only while it is at the expected version (any when null); answers whether it did. */
    updateAtVersion: (
      id: string,
      expectedVersion: number | null,
      data: Partial<Omit<FeedItemData, 'kind' | 'articleId'>> & { updatedAt: Date },
      then: (tx: PrismaTx, row: FeedItem) => Promise<void>,
    ) =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.feedItem.updateMany({
          where: atVersion(id, expectedVersion),
          data: { ...data, version: { increment: 1 } },
        });
        const row = count === 1 ? await tx.feedItem.findUnique({ where: { id } }) : null;
        if (row) await then(tx, row);
        return row !== null;
      }),
    deleteAtVersion: (id: string, expectedVersion: number | null, then: (tx: PrismaTx, row: FeedItem) => Promise<void>) =>
      prisma.$transaction(async (tx) => {
        const row = await tx.feedItem.findUnique({ where: { id } });
        const { count } = await tx.feedItem.deleteMany({
          where: atVersion(id, expectedVersion),
        });
        if (count === 1 && row) await then(tx, row);
        return count === 1;
      }),

    upsertForArticle: async (
      tx: PrismaTx,
      article: { id: string; title: string; rubricId: string | null; publishedAt: Date },
      at: Date,
    ) => {
      // A live blog goes in the feed as a live item («Прямой эфир»), marked live while its coverage runs.
      const format = (await tx.article.findUnique({ where: { id: article.id }, select: { format: true } }))?.format;
      return tx.feedItem.upsert({
        where: { articleId: article.id },
        create: {
          kind: format === 'live' ? 'live' : 'article',
          headline: article.title,
          rubricId: article.rubricId,
          articleId: article.id,
          publishedAt: article.publishedAt,
          createdAt: at,
          updatedAt: at,
        },
        // isPinned and the visibility window are the editors' choice and survive a re-publish.
        update: {
          headline: article.title,
          rubricId: article.rubricId,
          publishedAt: article.publishedAt,
          updatedAt: at,
          version: { increment: 1 },
        },
      });
    },

    deleteForArticle: (tx: PrismaTx, articleId: string) => tx.feedItem.deleteMany({ where: { articleId } }),
  };
}

export type FeedRepository = ReturnType<typeof createFeedRepository>;
export type PublicFeedItemRow = Awaited<ReturnType<FeedRepository['listVisible']>>[number];
