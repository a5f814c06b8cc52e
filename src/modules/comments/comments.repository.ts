import type { Prisma } from '../../db/database.ts';
import { publicArticleWhere } from '../../shared/article-visibility.ts';

/** The only file that touches prisma.articleCommentCount. */
export function createCommentsRepository({ prisma }: { prisma: Prisma }) {
  return {
    /** The ids, of those given, that name an article. */
    existingArticleIds: async (ids: string[]): Promise<Set<string>> =>
      new Set((await prisma.article.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((a) => a.id)),

    /** Sets each article's count, in one transaction. */
    setCounts: (counts: { articleId: string; count: number }[], at: Date) =>
      prisma.$transaction(async (tx) => {
        for (const { articleId, count } of counts) {
          await tx.articleCommentCount.upsert({
            where: { articleId },
            create: { articleId, count, updatedAt: at },
            update: { count, updatedAt: at },
            select: { articleId: true },
          });
        }
      }),

    /** The articles of these ids public at `now`, with their count and whether they take comments. */
    listPublic: (ids: string[], now: Date) =>
      prisma.article.findMany({
        where: { AND: [{ id: { in: ids } }, publicArticleWhere(now)] },
        select: { id: true, commentsEnabled: true, commentsClosedAt: true, commentCount: { select: { count: true } } },
      }),
  };
}

export type CommentsRepository = ReturnType<typeof createCommentsRepository>;
