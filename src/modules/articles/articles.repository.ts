import type { Prisma, PrismaNamespace, PrismaTx } from '../../db/database.ts';
import type { ArticleStatus } from '../../generated/sqlite/client.ts';
import { olderThan } from '../../shared/cursor.ts';

type ArticleWhere = PrismaNamespace.ArticleWhereInput;

const byPosition = { position: 'asc' as const };

// The management shape: the article with its author and tag ids in byline order.
const adminInclude = {
  authors: { select: { userId: true }, orderBy: byPosition },
  tags: { select: { tagId: true }, orderBy: byPosition },
} satisfies PrismaNamespace.ArticleInclude;

// Everything a public list item shows, loaded per page in a fixed number of queries whatever its size.
const summaryInclude = {
  rubric: { select: { id: true, name: true, slug: true, isActive: true } },
  authors: { select: { user: { select: { id: true, displayName: true, slug: true } } }, orderBy: byPosition },
  tags: { select: { tag: { select: { id: true, name: true, slug: true } } }, orderBy: byPosition },
  coverMedia: { include: { renditions: true } },
} satisfies PrismaNamespace.ArticleInclude;

const publicInclude = {
  ...summaryInclude,
  narrationMedia: { include: { renditions: true } },
  bodyMedia: { select: { media: { include: { renditions: true } } } },
} satisfies PrismaNamespace.ArticleInclude;

export type ArticleRow = PrismaNamespace.ArticleGetPayload<{ include: typeof adminInclude }>;
export type ArticleSummaryRow = PrismaNamespace.ArticleGetPayload<{ include: typeof summaryInclude }>;
export type PublicArticleRow = PrismaNamespace.ArticleGetPayload<{ include: typeof publicInclude }>;

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
  seoTitle: string | null;
  seoDescription: string | null;
  showInFeed: boolean;
  searchText: string;
}

export interface ArticleRelations {
  authorIds?: string[];
  tagIds?: string[];
  /** The distinct media of the body's image blocks; given whenever the body is saved. */
  bodyMediaIds?: string[];
}

export interface AdminListFilter {
  visible: ArticleWhere;
  status?: ArticleStatus;
  rubricId?: string;
  authorId?: string;
  /** Already folded like searchText. */
  text?: string;
}

export interface PublicListFilter {
  /** The rubric and its direct sub-rubrics. */
  rubricId?: string;
  tagId?: string;
  authorSlug?: string;
  from?: Date;
  to?: Date;
}

export function createArticlesRepository(prisma: Prisma) {
  async function writeRelations(tx: PrismaTx, articleId: string, relations: ArticleRelations): Promise<void> {
    if (relations.authorIds) {
      await tx.articleAuthor.deleteMany({ where: { articleId } });
      if (relations.authorIds.length) await tx.articleAuthor.createMany({ data: relations.authorIds.map((userId, position) => ({ articleId, userId, position })) });
    }
    if (relations.tagIds) {
      await tx.articleTag.deleteMany({ where: { articleId } });
      if (relations.tagIds.length) await tx.articleTag.createMany({ data: relations.tagIds.map((tagId, position) => ({ articleId, tagId, position })) });
    }
    if (relations.bodyMediaIds) {
      await tx.articleBodyMedia.deleteMany({ where: { articleId } });
      if (relations.bodyMediaIds.length) await tx.articleBodyMedia.createMany({ data: relations.bodyMediaIds.map((mediaId) => ({ articleId, mediaId })) });
    }
  }

  const published = { status: 'published' as const };

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
            filter.rubricId ? { rubricId: filter.rubricId } : {},
            filter.authorId ? { authors: { some: { userId: filter.authorId } } } : {},
            filter.text ? { searchText: { contains: filter.text } } : {},
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

    create: async (tx: PrismaTx, data: ArticleData & { createdById: string | null; at: Date }, relations: ArticleRelations): Promise<string> => {
      const { at, ...columns } = data;
      const row = await tx.article.create({ data: { ...columns, status: 'draft', createdAt: at, updatedAt: at }, select: { id: true } });
      await writeRelations(tx, row.id, relations);
      return row.id;
    },

    update: async (tx: PrismaTx, id: string, data: Partial<ArticleData> & { updatedAt: Date }, relations: ArticleRelations): Promise<void> => {
      await tx.article.update({ where: { id }, data, select: { id: true } });
      await writeRelations(tx, id, relations);
    },

    /** Moves the current slug to the redirects; a former slug of the same article taken back stops redirecting. */
    recordSlugChange: async (tx: PrismaTx, id: string, oldSlug: string, newSlug: string, at: Date): Promise<void> => {
      await tx.articleSlugRedirect.deleteMany({ where: { slug: newSlug, articleId: id } });
      await tx.articleSlugRedirect.upsert({ where: { slug: oldSlug }, create: { slug: oldSlug, articleId: id, createdAt: at }, update: { articleId: id } });
    },

    setStatus: (tx: PrismaTx, id: string, data: { status: ArticleStatus; publishedAt: Date | null; updatedAt: Date }) =>
      tx.article.update({ where: { id }, data, select: { id: true, title: true, rubricId: true, publishedAt: true, showInFeed: true } }),

    delete: async (tx: PrismaTx, id: string): Promise<void> => {
      await tx.article.delete({ where: { id }, select: { id: true } });
    },

    /** Published only, newest first, (publishedAt, id) descending, after the given key. */
    listPublished: (take: number, filter: PublicListFilter, key?: [string, string]): Promise<ArticleSummaryRow[]> =>
      prisma.article.findMany({
        where: {
          AND: [
            published,
            filter.rubricId ? { OR: [{ rubricId: filter.rubricId }, { rubric: { is: { parentId: filter.rubricId } } }] } : {},
            filter.tagId ? { tags: { some: { tagId: filter.tagId } } } : {},
            filter.authorSlug ? { authors: { some: { user: { slug: filter.authorSlug } } } } : {},
            filter.from ? { publishedAt: { gte: filter.from } } : {},
            filter.to ? { publishedAt: { lte: filter.to } } : {},
            key ? olderThan('publishedAt', key) : {},
          ],
        },
        orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
        take,
        include: summaryInclude,
      }),

    findPublishedBySlug: (slug: string): Promise<PublicArticleRow | null> =>
      prisma.article.findFirst({ where: { slug, ...published }, include: publicInclude }),

    /** The current slug of the published article a former slug belongs to; null for a draft or an unknown slug. */
    findRedirectTarget: async (slug: string): Promise<string | null> => {
      const redirect = await prisma.articleSlugRedirect.findUnique({ where: { slug }, select: { article: { select: { slug: true, status: true } } } });
      return redirect?.article.status === 'published' ? redirect.article.slug : null;
    },
  };
}

export type ArticlesRepository = ReturnType<typeof createArticlesRepository>;
