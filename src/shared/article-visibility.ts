import type { PrismaNamespace } from '../db/database.ts';

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
