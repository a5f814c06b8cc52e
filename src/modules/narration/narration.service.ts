import { ConflictError, NotFoundError, PreconditionFailedError } from '../../errors.ts';
import type { PrismaTx } from '../../db/database.ts';
import type { Actor } from '../../shared/actor.ts';
import type { ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';
import type { AuditTrail } from '../../shared/audit-intent.ts';
import { decodeCursor, toPage, type Page } from '../../shared/cursor.ts';
import type { DomainEvent, EventRecorder } from '../../shared/domain-events.ts';
import { toNarrationStatus } from '../../shared/narration.schemas.ts';
import { suggestKeyPoints, type Stemming } from './key-points.ts';
import type { ArticleForNarration, NarrationRepository, PronunciationRow } from './narration.repository.ts';
import type {
  CreatePronunciationInput,
  KeyPointSuggestionsResponse,
  NarrationRequestResponse,
  PronunciationResponse,
  UpdatePronunciationInput,
} from './narration.schemas.ts';
import { spokenPassagesOf, spokenTextHash } from './narration.text.ts';
import { pronunciationKey } from './russian-normaliser.ts';

export interface NarrationServiceDeps {
  repo: NarrationRepository;
  now: () => Date;
  defaultMode: 'auto' | 'off';
  debounceMs: number;
  /** The article as the caller may see it (404 otherwise), from the articles module. */
  articleVisibleTo: (id: string, actor: Actor) => Promise<{ id: string; body: ArticleBlockInput[]; deletedAt: string | null }>;
  stemming: Stemming;
  audit: AuditTrail;
  /** Tells this instance's worker that a job is due (none on an instance with NARRATION_WORKER=off). */
  wakeWorker: () => void;
}

// The events after which a published article's text may have changed.
const watchedEvents = new Set(['article.published', 'article.scheduled', 'article.updated']);
const isPublic = (status: string) => status === 'published' || status === 'scheduled';

function toPronunciationResponse(row: PronunciationRow): PronunciationResponse {
  return {
    id: row.id,
    term: row.term,
    spoken: row.spoken,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const isTermKey = (values: unknown[]): values is [string] => values.length === 1 && typeof values[0] === 'string';

export function createNarrationService(deps: NarrationServiceDeps) {
  const { repo, now } = deps;
  const audited = (tx: PrismaTx, id: string) => deps.audit.record(tx, { type: 'pronunciation', id });

  /** The article's own setting, else its rubric's, else the instance's default. */
  const modeOf = (article: ArticleForNarration) => article.narration ?? article.rubric?.narration ?? deps.defaultMode;

  // An article whose narration is a media the pipeline did not make had it set by hand: jobs leave it alone.
  const hasHandSetNarration = (article: ArticleForNarration) =>
    article.narrationMediaId !== null && article.narrationMediaId !== (article.narrationJob?.mediaId ?? null);

  /** Queues (or moves back) the article's job in the caller's transaction. */
  async function queueIn(tx: PrismaTx, article: ArticleForNarration, dueAt: Date): Promise<void> {
    const job = article.narrationJob;
    const hasAudio = job?.mediaId != null;
    await repo.requestIn(tx, article.id, now(), dueAt, job?.state === 'processing' ? 'processing' : hasAudio ? 'stale' : 'queued');
  }

  /**
   * In the transaction of a change to an article: a published (or scheduled) article set to narrate is
   * queued when its spoken text differs from what its audio reads. A first narration is due at once;
   * a change is due after the debounce, each save pushing it back, so ten quick saves make one job.
   */
  async function onArticleEvent(tx: PrismaTx, event: DomainEvent): Promise<boolean> {
    if (!watchedEvents.has(event.type)) return false;
    const article = await repo.articleIn(tx, event.entity.id);
    if (!article || article.deletedAt || !isPublic(article.status) || modeOf(article) !== 'auto' || hasHandSetNarration(article))
      return false;
    const job = article.narrationJob;
    const isWaiting = job?.dueAt != null;
    if (!isWaiting && job?.textHash === spokenTextHash(spokenPassagesOf(article)) && job.state !== 'failed') return false;
    const isFirst = !job?.mediaId && !isWaiting;
    await queueIn(tx, article, new Date(now().getTime() + (isFirst ? 0 : deps.debounceMs)));
    return true;
  }

  return {
    onArticleEvent,

    /** Wraps a recorder so that the articles' changes also queue their narration, in the same transaction. */
    watching(events: EventRecorder): EventRecorder {
      let isQueued = false;
      return {
        async record(tx, event) {
          await events.record(tx, event);
          if (await onArticleEvent(tx, event)) isQueued = true;
        },
        committed() {
          events.committed();
          if (isQueued) {
            isQueued = false;
            deps.wakeWorker();
          }
        },
      };
    },

    /** An editor's request: the article is narrated now, whatever its setting (a narration set by hand is still kept). */
    async request(articleId: string, actor: Actor): Promise<NarrationRequestResponse> {
      const visible = await deps.articleVisibleTo(articleId, actor);
      if (visible.deletedAt) throw new ConflictError('The article is in the trash.', 'article_in_trash');
      await repo.inTransaction(async (tx) => {
        const article = await repo.articleIn(tx, articleId);
        if (!article) throw new NotFoundError('article');
        await queueIn(tx, article, now());
        await deps.audit.record(tx, { type: 'article', id: articleId });
      });
      deps.wakeWorker();
      return { articleId, narrationStatus: toNarrationStatus(await repo.find(articleId)) };
    },

    async keyPointSuggestions(articleId: string, actor: Actor): Promise<KeyPointSuggestionsResponse> {
      const article = await deps.articleVisibleTo(articleId, actor);
      return { items: suggestKeyPoints(article.body, deps.stemming, 5) };
    },

    // --- the pronunciation dictionary

    async listPronunciations(limit: number, cursor?: string): Promise<Page<PronunciationResponse>> {
      const key = cursor ? decodeCursor(cursor, isTermKey) : undefined;
      return toPage(await repo.listPronunciations(limit + 1, key?.[0]), limit, toPronunciationResponse, (r) => [r.termKey]);
    },

    async getPronunciation(id: string): Promise<PronunciationResponse> {
      const row = await repo.findPronunciation(id);
      if (!row) throw new NotFoundError('pronunciation');
      return toPronunciationResponse(row);
    },

    async createPronunciation(input: CreatePronunciationInput): Promise<PronunciationResponse> {
      const row = await repo.createPronunciation(
        { term: input.term, termKey: pronunciationKey(input.term), spoken: input.spoken, at: now() },
        audited,
      );
      return toPronunciationResponse(row);
    },

    async updatePronunciation(id: string, input: UpdatePronunciationInput, expectedVersion: number | null): Promise<PronunciationResponse> {
      const isDone = await repo.updatePronunciationAtVersion(
        id,
        expectedVersion,
        {
          ...(input.term !== undefined ? { term: input.term, termKey: pronunciationKey(input.term) } : {}),
          ...(input.spoken !== undefined ? { spoken: input.spoken } : {}),
          updatedAt: now(),
        },
        audited,
      );
      const row = await repo.findPronunciation(id);
      if (!row) throw new NotFoundError('pronunciation');
      if (!isDone) throw new PreconditionFailedError(toPronunciationResponse(row));
      return toPronunciationResponse(row);
    },

    async deletePronunciation(id: string, expectedVersion: number | null): Promise<void> {
      if (await repo.deletePronunciationAtVersion(id, expectedVersion, audited)) return;
      const row = await repo.findPronunciation(id);
      if (!row) throw new NotFoundError('pronunciation');
      throw new PreconditionFailedError(toPronunciationResponse(row));
    },
  };
}

export type NarrationService = ReturnType<typeof createNarrationService>;
