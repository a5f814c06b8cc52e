import type { Prisma, PrismaNamespace, PrismaTx } from '../../db/database.ts';
import type { Dialect } from '../../db/dialect.ts';
import { jsonSqlFor } from '../../db/json-sql.ts';
import type { ArticleStatus } from '../../generated/sqlite/client.ts';
import type { AdMarkingColumns } from '../../shared/ad-marking.ts';
import { publicArticleWhere } from '../../shared/article-visibility.ts';
import { olderThan } from '../../shared/cursor.ts';
import { containsLiterally } from '../../shared/like-pattern.ts';
import type { PublicInclude } from './articles.public.schemas.ts';
import { createPublicArticleSql, type PublicListFilter, type RawArticleRow } from './articles.public-sql.ts';

export type { PublicListFilter } from './articles.public-sql.ts';

type ArticleWhere = PrismaNamespace.ArticleWhereInput;

const byPosition = { position: 'asc' as const };

// The management shape: the article with its author and tag ids in byline order.
const adminInclude = {
  authors: { select: { userId: true }, orderBy: byPosition },
  tags: { select: { tagId: true }, orderBy: byPosition },
  narrationJob: true,
} satisfies PrismaNamespace.ArticleInclude;

// The shapes of the public reads (articles.public-sql.ts reads them in one statement each): a list item,
// and the whole page with its narration and body photos.
const summaryInclude = {
  rubric: { select: { id: true, name: true, slug: true, isActive: true } },
  authors: { select: { user: { select: { id: true, displayName: true, slug: true } } }, orderBy: byPosition },
  tags: { select: { tag: { select: { id: true, name: true, slug: true } } }, orderBy: byPosition },
  coverMedia: { include: { renditions: true } },
} satisfies PrismaNamespace.ArticleInclude;

/** The comment count, read only for answers that ask for it (`include=commentCount`, the page's JSON-LD). */
interface WithCommentCount {
  commentCount?: { count: number } | null;
}

/** An article page's corrections, oldest first. */
const correctionsInclude = {
  select: { id: true, kind: true, text: true, publishedAt: true },
  orderBy: [{ publishedAt: 'asc' as const }, { id: 'asc' as const }],
} satisfies PrismaNamespace.Article$correctionsArgs;

const publicInclude = {
  ...summaryInclude,
  corrections: correctionsInclude,
  narrationMedia: { include: { renditions: true } },
  bodyMedia: { select: { media: { include: { renditions: true } } } },
} satisfies PrismaNamespace.ArticleInclude;

// Columns a public read never shows: the admin text filter's folded copy, and for list items the body.
const publicOmit = { searchText: true } satisfies PrismaNamespace.ArticleOmit;
const summaryOmit = { ...publicOmit, body: true, keyPoints: true } satisfies PrismaNamespace.ArticleOmit;

/** Every embeddable relation: the shape of previews, related lists, search hits and syndication items. */
const allRelations: ReadonlySet<PublicInclude> = new Set(['rubric', 'authors', 'tags', 'cover']);

export type ArticleRow = PrismaNamespace.ArticleGetPayload<{ include: typeof adminInclude }>;
export type ArticleSummaryRow = PrismaNamespace.ArticleGetPayload<{ include: typeof summaryInclude; omit: typeof summaryOmit }> &
  WithCommentCount;
export type PublicArticleRow = PrismaNamespace.ArticleGetPayload<{ include: typeof publicInclude; omit: typeof publicOmit }> &
  WithCommentCount;

/** The columns an article save writes; relations are written from the id lists beside them. */
export interface ArticleData {
  title: string;
  slug: string;
  lead: string | null;
  body: PrismaNamespace.InputJsonValue;
  keyPoints: PrismaNamespace.InputJsonValue;
  rubricId: string | null;
  coverMediaId: string | null;
  narrationMediaId: string | null;
  narration?: string | null;
  seoTitle: string | null;
  seoDescription: string | null;
  showInFeed: boolean;
  embargoUntil: Date | null;
  searchText: string;
  isSponsored: boolean;
  commentsEnabled: boolean;
  commentsClosedAt: Date | null;
  /** Set on creation only: a live blog starts its coverage when it is created. */
  format?: 'standard' | 'live';
  coverageStartedAt?: Date | null;
}

export interface ArticleRelations {
  authorIds?: string[];
  tagIds?: string[];
  /** The distinct media of the body's image blocks; given whenever the body is saved. */
  bodyMediaIds?: string[];
}

/** Where an article came from when it was not written here (wire copy, an import), and the version last imported. */
export interface OriginColumns {
  origin: string;
  source: string;
  externalId: string;
  externalVersion: string | null;
  importedVersion: number;
}

export interface AdminListFilter {
  visible: ArticleWhere;
  status?: ArticleStatus;
  /** Only articles that came in this way (the incoming desk: `wire`). */
  origin?: string;
  rubricId?: string;
  authorId?: string;
  /** Already folded like searchText. */
  text?: string;
  /** true: only articles in the trash; false: only those not in it. */
  inTrash: boolean;
}

/** What a link to an article (a sitemap entry) needs. */
const linkSelect = { id: true, slug: true, title: true, publishedAt: true, updatedAt: true } satisfies PrismaNamespace.ArticleSelect;

export function createArticlesRepository({ prisma, dialect }: { prisma: Prisma; dialect: Dialect }) {
  // A new article has no relations to clear.
  async function writeRelations(tx: PrismaTx, articleId: string, relations: ArticleRelations, isNew = false): Promise<void> {
    if (relations.authorIds) {
      if (!isNew) await tx.articleAuthor.deleteMany({ where: { articleId } });
      if (relations.authorIds.length)
        await tx.articleAuthor.createMany({ data: relations.authorIds.map((userId, position) => ({ articleId, userId, position })) });
    }
    if (relations.tagIds) {
      if (!isNew) await tx.articleTag.deleteMany({ where: { articleId } });
      if (relations.tagIds.length)
        await tx.articleTag.createMany({ data: relations.tagIds.map((tagId, position) => ({ articleId, tagId, position })) });
    }
    if (relations.bodyMediaIds) {
      if (!isNew) await tx.articleBodyMedia.deleteMany({ where: { articleId } });
      if (relations.bodyMediaIds.length)
        await tx.articleBodyMedia.createMany({ data: relations.bodyMediaIds.map((mediaId) => ({ articleId, mediaId })) });
    }
  }

  const publicSql = createPublicArticleSql(jsonSqlFor(dialect));
  /** Runs a public read's statement and gives its rows in the shape Prisma gives with the same relations. */
  const readRows = async <R>(query: PrismaNamespace.Sql): Promise<R[]> =>
    (await prisma.$queryRaw<RawArticleRow[]>(query)).map((row) => publicSql.toRow(row) as unknown as R);

  return {
    /** Runs the writes of one use case atomically; the callback gets the transaction to pass on. */
    inTransaction: <T>(fn: (tx: PrismaTx) => Promise<T>): Promise<T> => prisma.$transaction(fn),

    findVisible: (id: string, visible: ArticleWhere): Promise<ArticleRow | null> =>
      prisma.article.findFirst({ where: { AND: [{ id }, visible] }, include: adminInclude }),

    /** Newest-updated first, (updatedAt, id) descending, after the given key. */
    list: (take: number, filter: AdminListFilter, key?: [string, string]): Promise<ArticleRow[]> =>
      prisma.article.findMany({
        where: {
          AND: [
            filter.visible,
            filter.status ? { status: filter.status } : {},
            filter.origin ? { origin: filter.origin } : {},
            filter.rubricId ? { rubricId: filter.rubricId } : {},
            filter.authorId ? { authors: { some: { userId: filter.authorId } } } : {},
            filter.text ? { searchText: containsLiterally(filter.text) } : {},
            { deletedAt: filter.inTrash ? { not: null } : null },
            key ? olderThan('updatedAt', key) : {},
          ],
        },
        orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
        take,
        include: adminInclude,
      }),

    /** A slug is taken when it is another article's slug or one of another article's former slugs. */
    isSlugTaken: async (slug: string, exceptArticleId?: string): Promise<boolean> => {
      const other = exceptArticleId ? { id: { not: exceptArticleId } } : {};
      const [articles, redirects] = await Promise.all([
        prisma.article.count({ where: { slug, ...other } }),
        prisma.articleSlugRedirect.count({ where: { slug, ...(exceptArticleId ? { articleId: { not: exceptArticleId } } : {}) } }),
      ]);
      return articles + redirects > 0;
    },

    create: async (
      tx: PrismaTx,
      data: ArticleData & Partial<AdMarkingColumns> & Partial<OriginColumns> & { createdById: string | null; at: Date },
      relations: ArticleRelations,
    ): Promise<string> => {
      const { at, ...columns } = data;
      const row = await tx.article.create({ data: { ...columns, status: 'draft', createdAt: at, updatedAt: at }, select: { id: true } });
      await writeRelations(tx, row.id, relations, true);
      return row.id;
    },

    /**
     * Changes the article only while it matches `where` and is at the expected version (any when null),
     * bumping the version; answers whether it did. Every write to an article goes through here.
     */
    updateIf: async (
      tx: PrismaTx,
      id: string,
      condition: { expectedVersion: number | null; where?: ArticleWhere },
      data: PrismaNamespace.ArticleUncheckedUpdateManyInput,
      relations: ArticleRelations = {},
    ): Promise<boolean> => {
      const version = condition.expectedVersion === null ? {} : { version: condition.expectedVersion };
      const { count } = await tx.article.updateMany({
        where: { id, ...version, ...condition.where },
        data: { ...data, version: { increment: 1 } },
      });
      if (count === 1) await writeRelations(tx, id, relations);
      return count === 1;
    },

    /** The article that came from this source under this id, in or out of the trash. */
    findByOrigin: (source: string, externalId: string): Promise<ArticleRow | null> =>
      prisma.article.findUnique({ where: { source_externalId: { source, externalId } }, include: adminInclude }),

    /** The stored version of the article from this source under this id, if there is one: the cheap check before an import. */
    findOriginVersion: (source: string, externalId: string) =>
      prisma.article.findUnique({
        where: { source_externalId: { source, externalId } },
        select: { id: true, externalVersion: true, deletedAt: true },
      }),

    /** Whether a save stored a revision after the given version (an editor's, since the last import). */
    hasRevisionAfter: async (articleId: string, number: number): Promise<boolean> =>
      (await prisma.articleRevision.count({ where: { articleId, number: { gt: number } } })) > 0,

    /** The article as a transaction sees it, for the revision of what it just saved. */
    findInTx: (tx: PrismaTx, id: string): Promise<ArticleRow | null> => tx.article.findUnique({ where: { id }, include: adminInclude }),

    /** Scheduled articles whose time has come are published; the version stays, as nobody changed the article. */
    promoteDue: async (now: Date): Promise<void> => {
      await prisma.article.updateMany({ where: { status: 'scheduled', publishedAt: { lte: now } }, data: { status: 'published' } });
    },

    /** Moves the current slug to the redirects; a former slug of the same article taken back stops redirecting. */
    recordSlugChange: async (tx: PrismaTx, id: string, oldSlug: string, newSlug: string, at: Date): Promise<void> => {
      await tx.articleSlugRedirect.deleteMany({ where: { slug: newSlug, articleId: id } });
      await tx.articleSlugRedirect.upsert({
        where: { slug: oldSlug },
        create: { slug: oldSlug, articleId: id, createdAt: at },
        update: { articleId: id },
      });
    },

    /** Deletes every article in the trash for good (its revisions, feed item and redirects go with it). */
    emptyTrash: async (tx: PrismaTx): Promise<number> => (await tx.article.deleteMany({ where: { deletedAt: { not: null } } })).count,

    addRevision: async (
      tx: PrismaTx,
      revision: { articleId: string; number: number; actor: string; content: PrismaNamespace.InputJsonValue; at: Date },
    ): Promise<void> => {
      const { at, ...data } = revision;
      await tx.articleRevision.create({ data: { ...data, createdAt: at }, select: { id: true } });
    },

    /** Newest first, by number. */
    listRevisions: (articleId: string, take: number, beforeNumber?: number) =>
      prisma.articleRevision.findMany({
        where: { articleId, ...(beforeNumber === undefined ? {} : { number: { lt: beforeNumber } }) },
        orderBy: { number: 'desc' },
        take,
        select: { id: true, number: true, actor: true, createdAt: true },
      }),

    findRevision: (articleId: string, revisionId: string) => prisma.articleRevision.findFirst({ where: { id: revisionId, articleId } }),

    findLatestRevision: (articleId: string) => prisma.articleRevision.findFirst({ where: { articleId }, orderBy: { number: 'desc' } }),

    /** Public at `now` only, newest first, (publishedAt, id) descending, after the given key: one statement. */
    listPublished: async (
      take: number,
      now: Date,
      filter: PublicListFilter,
      key: [string, string] | undefined,
      include: ReadonlySet<PublicInclude>,
    ): Promise<ArticleSummaryRow[]> => readRows(publicSql.listPublished(take, now, filter, key, include)),

    /** Public at `now` in the full public shape, newest first: a syndication feed's items, in one statement. */
    listPublishedInFull: (take: number, now: Date, rubricId: string | undefined): Promise<PublicArticleRow[]> =>
      readRows(publicSql.listPublishedInFull(take, now, rubricId, allRelations)),

    countPublished: (now: Date): Promise<number> => prisma.article.count({ where: publicArticleWhere(now) }),

    /** The earliest scheduled time or embargo end after `now` of an article on its way to the public, or null. */
    nextVisibilityChange: async (now: Date): Promise<Date | null> => {
      const onTheWay = { status: { in: ['published', 'scheduled'] as ArticleStatus[] }, deletedAt: null };
      const [publishing, embargo] = await Promise.all([
        prisma.article.aggregate({ where: { ...onTheWay, publishedAt: { gt: now } }, _min: { publishedAt: true } }),
        prisma.article.aggregate({ where: { ...onTheWay, embargoUntil: { gt: now } }, _min: { embargoUntil: true } }),
      ]);
      const times = [publishing._min.publishedAt, embargo._min.embargoUntil].filter((t): t is Date => t !== null);
      return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
    },

    /**
     * Links to articles public at `now`, oldest first by (publishedAt, id): an order new articles only
     * extend. Starts `skip` rows in, or right after the key of the previous chunk.
     */
    listPublishedLinks: (take: number, now: Date, start: { skip: number } | { after: [Date, string] }) =>
      prisma.article.findMany({
        where: {
          AND: [
            publicArticleWhere(now),
            'after' in start
              ? { OR: [{ publishedAt: { gt: start.after[0] } }, { publishedAt: start.after[0], id: { gt: start.after[1] } }] }
              : {},
          ],
        },
        orderBy: [{ publishedAt: 'asc' }, { id: 'asc' }],
        ...('skip' in start && start.skip > 0 ? { skip: start.skip } : {}),
        take,
        select: linkSelect,
      }),

    /** Links to articles public at `now` and published at or after `since`, newest first. */
    listRecentLinks: (take: number, now: Date, since: Date) =>
      prisma.article.findMany({
        where: { AND: [publicArticleWhere(now), { publishedAt: { gte: since } }] },
        orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
        take,
        select: linkSelect,
      }),

    /** The articles of these ids that are public at `now`, in the summary shape with their body (search snippets), any order. */
    listPublishedByIds: (ids: string[], now: Date): Promise<(ArticleSummaryRow & { body: PrismaNamespace.JsonValue })[]> =>
      readRows(publicSql.listPublishedByIds(ids, now, allRelations)),

    /** The public article of the slug with the relations of `include` (its media always): one statement. */
    findPublishedBySlug: async (slug: string, now: Date, include: ReadonlySet<PublicInclude>): Promise<PublicArticleRow | null> =>
      (await readRows<PublicArticleRow>(publicSql.findPublishedBySlug(slug, now, include)))[0] ?? null,

    /** Public articles of the same rubric or with a tag in common, newest first: one statement. */
    listRelated: (article: { id: string; rubricId: string | null }, now: Date, take: number): Promise<ArticleSummaryRow[]> =>
      readRows(publicSql.listRelated(article, now, take, allRelations)),

    /** An article in the public shape whatever its status (a preview); null when missing or in the trash. */
    findForPreview: async (id: string): Promise<PublicArticleRow | null> =>
      (await readRows<PublicArticleRow>(publicSql.findForPreview(id, allRelations)))[0] ?? null,

    /** The current slug of the public article a former slug belongs to; null for a draft or an unknown slug. */
    findRedirectTarget: async (slug: string, now: Date): Promise<string | null> => {
      const redirect = await prisma.articleSlugRedirect.findFirst({
        where: { slug, article: { is: publicArticleWhere(now) } },
        select: { article: { select: { slug: true } } },
      });
      return redirect?.article.slug ?? null;
    },
  };
}

export type ArticlesRepository = ReturnType<typeof createArticlesRepository>;
