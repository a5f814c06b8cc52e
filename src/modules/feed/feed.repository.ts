import type { Prisma, PrismaTx } from '../../db/database.ts';
import type { Dialect } from '../../db/dialect.ts';
import { columnsOf, jsonBoolean, jsonDate, jsonSqlFor, parseJsonValue } from '../../db/json-sql.ts';
import { Prisma as PrismaSql, type ArticleFormat, type FeedItem, type FeedItemKind } from '../../generated/sqlite/client.ts';
import type { AdMarkingColumns } from '../../shared/ad-marking.ts';
import { olderThan } from '../../shared/cursor.ts';
import { publicArticleSql } from '../../shared/article-visibility.ts';
import { atVersion } from '../../shared/versioned-write.ts';
import { mediaByIdJson, toMediaRow, type MediaWithRenditionsRow } from '../media/media.public-sql.ts';
import { rubricRefJson, toRubricRefRow, type RubricRefRow } from '../rubrics/rubrics.public-sql.ts';

/** The public sort key: pinned first, then newest, with the id as tiebreaker. */
export type PublicFeedKey = [isPinned: boolean, publishedAt: string, id: string];

const { sql, join, empty } = PrismaSql;

/** A feed item as the public sees it: with its rubric and, for an article item, the article and its cover. */
export type PublicFeedItemRow = FeedItem & {
  rubric: RubricRefRow | null;
  article: PublicFeedArticleRow | null;
};

/** What a feed item shows of its article: the link, the cover, the ad marking of a sponsored one, the comment count when asked. */
export interface PublicFeedArticleRow extends AdMarkingColumns {
  id: string;
  slug: string;
  title: string;
  lead: string | null;
  coverMedia: MediaWithRenditionsRow | null;
  isSponsored: boolean;
  /** A live item's live blog is marked live while its coverage runs. */
  format: ArticleFormat;
  coverageEndedAt: Date | null;
  commentCount?: { count: number } | null;
}

const articleColumns = [
  'id',
  'slug',
  'title',
  'lead',
  'isSponsored',
  'adErid',
  'adAdvertiserName',
  'adAdvertiserInn',
  'adAdvertiserUrl',
  'format',
  'coverageEndedAt',
] as const;

// Every column of the item, so that a column added later reaches the mapper.
const itemColumns = columnsOf('f', Object.values(PrismaSql.FeedItemScalarFieldEnum));

type FeedItemData = Omit<FeedItem, 'id' | 'createdAt' | 'updatedAt' | 'version'>;

export type FeedItemRow = FeedItem;

export function createFeedRepository({ prisma, dialect }: { prisma: Prisma; dialect: Dialect }) {
  const json = jsonSqlFor(dialect);
  const rubricJson = json.nest(sql`(SELECT ${rubricRefJson(json, 'r')} FROM "Rubric" r WHERE r."id" = f."rubricId")`);
  // The comment count only for the pages that show it (`include=commentCount`).
  const articleJsonOf = (withCommentCount: boolean) =>
    json.nest(
      sql`(SELECT ${json.object([
        ...articleColumns.map((c) => [c, sql`a.${PrismaSql.raw(`"${c}"`)}`] as const),
        ['coverMedia', mediaByIdJson(json, sql`a."coverMediaId"`)],
        ...(withCommentCount
          ? [['commentCount', sql`(SELECT cc."count" FROM "ArticleCommentCount" cc WHERE cc."articleId" = a."id")`] as const]
          : []),
      ])} FROM "Article" a WHERE a."id" = f."articleId")`,
    );
  const articleJson = articleJsonOf(false);
  const articleJsonWithCommentCount = articleJsonOf(true);

  /** "After this key" in the public order (pinned first, then newest), spelt out per isPinned value. */
  function afterPublicKey([isPinned, publishedAt, id]: PublicFeedKey) {
    const at = new Date(publishedAt);
    const older = sql`(f."publishedAt" < ${at} OR (f."publishedAt" = ${at} AND f."id" < ${id}))`;
    return isPinned ? sql`((f."isPinned" = ${true} AND ${older}) OR f."isPinned" = ${false})` : sql`(f."isPinned" = ${false} AND ${older})`;
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

    /**
     * What the public sees at `now`: inside the visibility window and, for articles, while the article is
     * public; one statement, the rubric and the article with its cover nested in it.
     */
    listVisible: async (
      take: number,
      now: Date,
      rubricSlug: string | undefined,
      key?: PublicFeedKey,
      withCommentCount = false,
    ): Promise<PublicFeedItemRow[]> => {
      const where = join(
        [
          sql`(f."visibleFrom" IS NULL OR f."visibleFrom" <= ${now})`,
          sql`(f."visibleUntil" IS NULL OR f."visibleUntil" > ${now})`,
          // An item that links an article (an article item, a live blog) shows while the article is public.
          sql`(f."articleId" IS NULL OR EXISTS (SELECT 1 FROM "Article" a WHERE a."id" = f."articleId" AND ${publicArticleSql(now, 'a')}))`,
          rubricSlug
            ? sql`EXISTS (SELECT 1 FROM "Rubric" r WHERE r."id" = f."rubricId" AND r."slug" = ${rubricSlug} AND r."isActive" = ${true})`
            : empty,
          key ? afterPublicKey(key) : empty,
        ].filter((c) => c !== empty),
        ' AND ',
      );
      const rows = await prisma.$queryRaw<(FeedItem & { rubric: unknown; article: unknown })[]>`
        SELECT ${itemColumns}, ${rubricJson} AS "rubric", ${withCommentCount ? articleJsonWithCommentCount : articleJson} AS "article" FROM "FeedItem" f
        WHERE ${where} ORDER BY f."isPinned" DESC, f."publishedAt" DESC, f."id" DESC LIMIT ${take}`;
      return rows.map(({ rubric, article, ...item }) => {
        const articleRow = parseJsonValue<
          | (Omit<PublicFeedArticleRow, 'coverMedia' | 'isSponsored' | 'coverageEndedAt' | 'commentCount'> & {
              coverMedia: never;
              isSponsored: boolean | number;
              coverageEndedAt: string | null;
              commentCount?: number | null;
            })
          | null
        >(article);
        if (!articleRow) return { ...item, rubric: toRubricRefRow(rubric), article: null };
        const { commentCount, ...articleColumnsRead } = articleRow;
        return {
          ...item,
          rubric: toRubricRefRow(rubric),
          article: {
            ...articleColumnsRead,
            isSponsored: jsonBoolean(articleRow.isSponsored),
            coverageEndedAt: jsonDate(articleRow.coverageEndedAt),
            coverMedia: toMediaRow(articleRow.coverMedia),
            ...(withCommentCount
              ? { commentCount: commentCount === null || commentCount === undefined ? null : { count: commentCount } }
              : {}),
          },
        };
      });
    },

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
