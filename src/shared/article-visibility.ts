import type { PrismaNamespace } from '../db/database.ts';
import { Prisma } from '../generated/sqlite/client.ts';

/**
 * What makes an article public at `now`: published (or scheduled for a time that has come), not under
 * embargo and not in the trash. Every public read filters by this instead of waiting for a timer to flip
 * a status, so a scheduled article appears on every instance at its time, across restarts.
 */
export function publicArticleWhere(now: Date): PrismaNamespace.ArticleWhereInput {
  return {
    status: { in: ['published', 'scheduled'] },
    publishedAt: { lte: now },
    deletedAt: null,
    OR: [{ embargoUntil: null }, { embargoUntil: { lte: now } }],
  };
}

/**
 * The same rule as a SQL condition on the `Article` row under `alias`, for the few reads written in SQL
 * (search ranking); test/search checks that the two agree on every kind of article.
 */
export function publicArticleSql(now: Date, alias: string): PrismaNamespace.Sql {
  const a = Prisma.raw(`"${alias}"`);
  return Prisma.sql`(${a}."status" IN ('published', 'scheduled') AND ${a}."publishedAt" <= ${now} AND ${a}."deletedAt" IS NULL AND (${a}."embargoUntil" IS NULL OR ${a}."embargoUntil" <= ${now}))`;
}
