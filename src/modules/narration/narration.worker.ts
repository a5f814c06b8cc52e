import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { PrismaTx } from '../../db/database.ts';
import type { NarrationSettings } from '../../config.ts';
import type { NarrationProvider } from './narration.providers.ts';
import type { NarrationRepository, NarrationRow } from './narration.repository.ts';
import { normaliseRussian } from './russian-normaliser.ts';
import { spokenPassagesOf, spokenTextHash } from './narration.text.ts';

/** What the worker needs of the app around it: storing the audio, and telling others that it is ready. */
export interface NarrationWorkerDeps {
  repo: NarrationRepository;
  provider: NarrationProvider;
  now: () => Date;
  logger: Logger;
  settings: Pick<NarrationSettings, 'concurrency' | 'maxAttempts' | 'retryBaseMs' | 'leaseMs' | 'pollIntervalMs'>;
  language: string;
  /** Stores the audio in the media library; answers its media id. */
  storeAudio: (audio: Buffer, facts: { title: string; durationSeconds: number | null }) => Promise<string>;
  /** In the transaction that records the new audio: the `article.narrated` event. */
  onNarrated: (
    tx: PrismaTx,
    article: { id: string; slug: string; version: number; rubricId: string | null },
    details: Record<string, unknown>,
  ) => Promise<void>;
  /** After that transaction commits: webhooks woken, public answers purged. */
  afterNarrated: (articleId: string) => Promise<void>;
}

/**
 * Runs the narration jobs: claims a due job with a lease (a conditional update, so one worker of
 * many instances runs it), synthesises off the event loop, stores the audio, and records it. A job
 * that fails is retried with exponential back-off, then marked failed; one whose worker died is taken
 * over once its lease runs out.
 */
export function createNarrationWorker(deps: NarrationWorkerDeps) {
  const { repo, now, logger, settings, provider } = deps;
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const stopping = new AbortController();
  let isRunning = false;
  let loop: Promise<void> | undefined;
  let isWakeRequested = false;
  let wakeUp: (() => void) | undefined;
  let passWatchers: (() => void)[] = [];

  const retryDelayMs = (attempts: number) => settings.retryBaseMs * 2 ** Math.min(attempts - 1, 20);

  async function run(job: NarrationRow): Promise<void> {
    const article = await repo.article(job.articleId);
    if (!article || article.deletedAt) {
      await repo.release(job.articleId, workerId, { dueAt: null, state: job.mediaId ? 'ready' : 'none' });
      return;
    }
    const passages = spokenPassagesOf(article);
    const textHash = spokenTextHash(passages);
    const stateWhileWaiting = job.mediaId ? 'stale' : 'queued';
    try {
      const dictionary = await repo.allPronunciations();
      const spoken = passages.map((p) => normaliseRussian(p, dictionary));
      const startedAt = performance.now();
      const result = await provider.synthesize({ passages: spoken, language: deps.language, signal: stopping.signal });
      if (stopping.signal.aborted) throw new Error('stopped');
      const mediaId = await deps.storeAudio(result.audio, { title: article.title, durationSeconds: result.durationSeconds });
      const completed = await repo.complete(
        { articleId: job.articleId, requests: job.requests, previousMediaId: job.mediaId },
        workerId,
        now(),
        { provider: provider.name, voice: provider.voice, textHash, durationSeconds: result.durationSeconds, mediaId },
        (tx, isNarrationSet) =>
          deps.onNarrated(
            tx,
            { id: article.id, slug: article.slug, version: article.version, rubricId: article.rubricId },
            { mediaId, textHash, durationSeconds: result.durationSeconds, provider: provider.name, voice: provider.voice, isNarrationSet },
          ),
      );
      if (completed) {
        logger.info(
          {
            articleId: job.articleId,
            mediaId,
            durationSeconds: result.durationSeconds,
            synthesisMs: Math.round(performance.now() - startedAt),
          },
          'article narrated',
        );
        await deps.afterNarrated(job.articleId);
      }
    } catch (error) {
      if (stopping.signal.aborted) {
        // Not the job's fault: another worker takes it at once.
        await repo.release(job.articleId, workerId, { state: stateWhileWaiting }).catch(() => undefined);
        return;
      }
      const attempts = job.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      const retryAt = attempts < settings.maxAttempts ? new Date(now().getTime() + retryDelayMs(attempts)) : null;
      logger.warn({ articleId: job.articleId, attempts, error: message, final: retryAt === null }, 'narration failed');
      await repo.fail(job.articleId, workerId, now(), message, retryAt, stateWhileWaiting);
    }
  }

  async function runOnce(): Promise<boolean> {
    const ids = await repo.dueArticleIds(now(), settings.concurrency * 4);
    let didWork = false;
    for (let i = 0; i < ids.length && isRunning; i += settings.concurrency) {
      const batch = ids.slice(i, i + settings.concurrency);
      const results = await Promise.all(
        batch.map(async (id) => {
          const job = await repo.claim(id, workerId, now(), settings.leaseMs);
          if (!job) return false;
          await run(job);
          return true;
        }),
      );
      didWork ||= results.some(Boolean);
    }
    return didWork;
  }

  function sleep(ms: number): Promise<void> {
    if (isWakeRequested || !isRunning) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function loopWhileRunning(): Promise<void> {
    while (isRunning) {
      const watchers = passWatchers;
      passWatchers = [];
      isWakeRequested = false;
      let didWork = false;
      try {
        didWork = await runOnce();
      } catch (error) {
        if (isRunning) logger.error({ err: error }, 'narration worker pass failed');
      }
      for (const done of watchers) done();
      if (!didWork) await sleep(settings.pollIntervalMs);
    }
    for (const done of passWatchers.splice(0)) done();
  }

  return {
    id: workerId,
    start(): void {
      if (isRunning) return;
      isRunning = true;
      loop = loopWhileRunning();
    },
    /** Looks for due jobs now rather than at the next poll. */
    wake(): void {
      isWakeRequested = true;
      wakeUp?.();
    },
    /** Resolves once a pass that starts after the call is over (tests check what it did not do). */
    nextPass(): Promise<void> {
      if (!isRunning) return Promise.resolve();
      return new Promise((resolve) => passWatchers.push(resolve));
    },
    /** Stops; a synthesis in flight is abandoned and its job released for another worker. */
    async stop(): Promise<void> {
      if (!isRunning) return;
      isRunning = false;
      stopping.abort();
      wakeUp?.();
      await loop;
    },
  };
}

export type NarrationWorker = ReturnType<typeof createNarrationWorker>;
