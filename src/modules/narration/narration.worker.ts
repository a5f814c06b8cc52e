import type { Logger } from 'pino';
import type { PrismaTx } from '../../db/database.ts';
import type { NarrationSettings } from '../../config.ts';
import { backoffMs, createLeasedWorker, type LeasedWorker } from '../../shared/leased-worker.ts';
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
export function createNarrationWorker(deps: NarrationWorkerDeps): LeasedWorker {
  const { repo, now, logger, settings, provider } = deps;

  async function run(job: NarrationRow, { workerId, signal }: { workerId: string; signal: AbortSignal }): Promise<void> {
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
      const result = await provider.synthesize({ passages: spoken, language: deps.language, signal });
      if (signal.aborted) throw new Error('stopped');
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
      if (signal.aborted) {
        // Not the job's fault: another worker takes it at once.
        await repo.release(job.articleId, workerId, { state: stateWhileWaiting }).catch(() => undefined);
        return;
      }
      const attempts = job.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      const retryAt =
        attempts < settings.maxAttempts ? new Date(now().getTime() + backoffMs(attempts, { baseMs: settings.retryBaseMs })) : null;
      logger.warn({ articleId: job.articleId, attempts, error: message, final: retryAt === null }, 'narration failed');
      await repo.fail(job.articleId, workerId, now(), message, retryAt, stateWhileWaiting);
    }
  }

  return createLeasedWorker({
    name: 'narration',
    jobs: { dueIds: repo.dueArticleIds, claim: repo.claim, run },
    now,
    logger,
    concurrency: settings.concurrency,
    leaseMs: settings.leaseMs,
    pollIntervalMs: settings.pollIntervalMs,
  });
}

export type NarrationWorker = LeasedWorker;
