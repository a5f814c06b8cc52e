import type { Prisma, PrismaTx } from '../../db/database.ts';
import { publicArticleWhere } from '../../shared/article-visibility.ts';
import { olderThan } from '../../shared/cursor.ts';

const correctionSelect = { id: true, articleId: true, kind: true, text: true, publishedAt: true } as const;

/** The only file that touches prisma.articleCorrection: corrections are inserted, never updated or deleted. */
export function createCorrectionsRepository({ prisma }: { prisma: Prisma }) {
  return {
    create: (tx: PrismaTx, data: { articleId: string; kind: string; text: string; actor: string; publishedAt: Date }) =>
      tx.articleCorrection.create({ data, select: correctionSelect }),

    /** An article's corrections, oldest first. */
    listOf: (articleId: string) =>
      prisma.articleCorrection.findMany({
        where: { articleId },
        orderBy: [{ publishedAt: 'asc' }, { id: 'asc' }],
        select: correctionSelect,
      }),

    findOne: (articleId: string, id: string) => prisma.articleCorrection.findFirst({ where: { id, articleId }, select: correctionSelect }),

    /** Corrections of articles public at `now`, newest first, (publishedAt, id) descending after the key: the site's log. */
    listPublic: (take: number, now: Date, key?: [string, string]) =>
      prisma.articleCorrection.findMany({
        where: { AND: [{ article: { is: publicArticleWhere(now) } }, key ? olderThan('publishedAt', key) : {}] },
        orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
        take,
        select: { ...correctionSelect, article: { select: { id: true, slug: true, title: true } } },
      }),
  };
}

export type CorrectionsRepository = ReturnType<typeof createCorrectionsRepository>;
