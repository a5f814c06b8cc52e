import type { Prisma, PrismaTx } from '../../db/database.ts';
import type { ArticleNarration, Pronunciation } from '../../generated/sqlite/client.ts';

export type NarrationRow = ArticleNarration;
export type PronunciationRow = Pronunciation;

/** What a job reads of its article. */
export interface ArticleForNarration {
  id: string;
  slug: string;
  version: number;
  title: string;
  lead: string | null;
  body: unknown;
  status: string;
  deletedAt: Date | null;
  rubricId: string | null;
  narration: string | null;
  narrationMediaId: string | null;
  rubric: { narration: string | null } | null;
  narrationJob: NarrationRow | null;
}

const articleSelect = {
  id: true,
  slug: true,
  version: true,
  title: true,
  lead: true,
  body: true,
  status: true,
  deletedAt: true,
  rubricId: true,
  narration: true,
  narrationMediaId: true,
  rubric: { select: { narration: true } },
  narrationJob: true,
} as const;

// Due, and not leased by a live worker.
const claimable = (at: Date) => ({
  dueAt: { lte: at },
  OR: [{ lockedUntil: null }, { lockedUntil: { lt: at } }],
});

export interface CompletedNarration {
  provider: string;
  voice: string;
  textHash: string;
  durationSeconds: number | null;
  mediaId: string;
}

export function createNarrationRepository({ prisma }: { prisma: Prisma }) {
  return {
    inTransaction: <T>(fn: (tx: PrismaTx) => Promise<T>): Promise<T> => prisma.$transaction(fn),

    articleIn: (tx: PrismaTx, id: string): Promise<ArticleForNarration | null> =>
      tx.article.findUnique({ where: { id }, select: articleSelect }),
    article: (id: string): Promise<ArticleForNarration | null> =>
      prisma.$transaction((tx) => tx.article.findUnique({ where: { id }, select: articleSelect })),

    /**
     * Queues the article's job for `dueAt` (or keeps it queued and moves it there), in the caller's
     * transaction: one row an article, so ten quick saves make one job.
     */
    requestIn: async (tx: PrismaTx, articleId: string, at: Date, dueAt: Date, state: string): Promise<void> => {
      await tx.articleNarration.upsert({
        where: { articleId },
        create: { articleId, state, dueAt, requests: 1, updatedAt: at },
        update: { state, dueAt, requests: { increment: 1 }, attempts: 0, error: null, updatedAt: at },
      });
    },

    /** Articles whose job is due and not held by a live worker, the longest waiting first. */
    dueArticleIds: async (at: Date, take: number): Promise<string[]> =>
      (
        await prisma.$transaction((tx) =>
          tx.articleNarration.findMany({ where: claimable(at), orderBy: { dueAt: 'asc' }, select: { articleId: true }, take }),
        )
      ).map((r) => r.articleId),

    /** Takes the job for `leaseMs` if it is still due and free: a conditional update, one winner across instances. */
    claim: (articleId: string, workerId: string, at: Date, leaseMs: number): Promise<NarrationRow | null> =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.articleNarration.updateMany({
          where: { articleId, ...claimable(at) },
          data: { lockedBy: workerId, lockedUntil: new Date(at.getTime() + leaseMs), state: 'processing', updatedAt: at },
        });
        return count === 1 ? tx.articleNarration.findUnique({ where: { articleId } }) : null;
      }),

    /**
     * Records the new audio and makes it the article's narration, unless someone set another one by hand
     * (the article's narration is then neither empty nor the audio this pipeline made before). A request
     * that came while the job ran leaves it due, to run again; `then` runs in the same transaction.
     */
    complete: (
      job: { articleId: string; requests: number; previousMediaId: string | null },
      workerId: string,
      at: Date,
      done: CompletedNarration,
      then: (tx: PrismaTx, isNarrationSet: boolean) => Promise<void>,
    ): Promise<boolean> =>
      prisma.$transaction(async (tx) => {
        const current = await tx.articleNarration.findUnique({ where: { articleId: job.articleId } });
        if (!current || current.lockedBy !== workerId) return false;
        const isRequestedAgain = current.requests !== job.requests;
        const { count } = await tx.article.updateMany({
          where: {
            id: job.articleId,
            OR: [{ narrationMediaId: null }, ...(job.previousMediaId ? [{ narrationMediaId: job.previousMediaId }] : [])],
          },
          data: { narrationMediaId: done.mediaId },
        });
        await tx.articleNarration.update({
          where: { articleId: job.articleId },
          data: {
            ...done,
            state: isRequestedAgain ? 'stale' : 'ready',
            error: null,
            attempts: 0,
            lockedBy: null,
            lockedUntil: null,
            ...(isRequestedAgain ? {} : { dueAt: null }),
            updatedAt: at,
          },
        });
        await then(tx, count === 1);
        return true;
      }),

    /** A failed attempt: retried at `retryAt`, or, with null, given up (`failed`). */
    fail: async (articleId: string, workerId: string, at: Date, error: string, retryAt: Date | null, stateWhileWaiting: string) => {
      await prisma.$transaction((tx) =>
        tx.articleNarration.updateMany({
          where: { articleId, lockedBy: workerId },
          data: {
            state: retryAt ? stateWhileWaiting : 'failed',
            error: error.slice(0, 1000),
            attempts: { increment: 1 },
            dueAt: retryAt,
            lockedBy: null,
            lockedUntil: null,
            updatedAt: at,
          },
        }),
      );
    },

    /** Lets go of a job without counting an attempt (the worker is stopping, or the article is gone). */
    release: async (articleId: string, workerId: string, data: { dueAt?: null; state?: string } = {}) => {
      await prisma.$transaction((tx) =>
        tx.articleNarration.updateMany({ where: { articleId, lockedBy: workerId }, data: { lockedBy: null, lockedUntil: null, ...data } }),
      );
    },

    find: (articleId: string): Promise<NarrationRow | null> => prisma.articleNarration.findUnique({ where: { articleId } }),

    // --- the pronunciation dictionary

    allPronunciations: () => prisma.pronunciation.findMany({ select: { term: true, spoken: true } }),
    listPronunciations: (take: number, after?: string) =>
      prisma.pronunciation.findMany({
        where: after ? { termKey: { gt: after } } : {},
        orderBy: { termKey: 'asc' },
        take,
      }),
    findPronunciation: (id: string) => prisma.pronunciation.findUnique({ where: { id } }),
    createPronunciation: (
      data: { term: string; termKey: string; spoken: string; at: Date },
      then: (tx: PrismaTx, id: string) => Promise<void>,
    ): Promise<PronunciationRow> =>
      prisma.$transaction(async (tx) => {
        const row = await tx.pronunciation.create({
          data: { term: data.term, termKey: data.termKey, spoken: data.spoken, createdAt: data.at, updatedAt: data.at },
        });
        await then(tx, row.id);
        return row;
      }),
    updatePronunciationAtVersion: (
      id: string,
      expectedVersion: number | null,
      data: { term?: string; termKey?: string; spoken?: string; updatedAt: Date },
      then: (tx: PrismaTx, id: string) => Promise<void>,
    ): Promise<boolean> =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.pronunciation.updateMany({
          where: { id, ...(expectedVersion === null ? {} : { version: expectedVersion }) },
          data: { ...data, version: { increment: 1 } },
        });
        if (count === 1) await then(tx, id);
        return count === 1;
      }),
    deletePronunciationAtVersion: (id: string, expectedVersion: number | null, then: (tx: PrismaTx, id: string) => Promise<void>) =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.pronunciation.deleteMany({
          where: { id, ...(expectedVersion === null ? {} : { version: expectedVersion }) },
        });
        if (count === 1) await then(tx, id);
        return count === 1;
      }),
  };
}

export type NarrationRepository = ReturnType<typeof createNarrationRepository>;
