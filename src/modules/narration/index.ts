import type { Logger } from 'pino';
import type { NarrationSettings } from '../../config.ts';
import type { Prisma } from '../../db/database.ts';
import type { Actor } from '../../shared/actor.ts';
import type { ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';
import type { AuditTrail } from '../../shared/audit-intent.ts';
import type { EventRecorder } from '../../shared/domain-events.ts';
import type { MediaService } from '../media/index.ts';
import { receiveBytes } from '../media/index.ts';
import { termOf, wordsOf } from '../search/index.ts';
import { createBuiltinProvider, createHttpProvider, type NarrationProvider } from './narration.providers.ts';
import { createNarrationRepository } from './narration.repository.ts';
import { narrationAdminRoutes } from './narration.routes.ts';
import { createNarrationService } from './narration.service.ts';
import { createNarrationWorker } from './narration.worker.ts';

/** The credit every generated narration carries in the media library. */
export const synthesisedSpeechCredit = 'Синтезированная речь';

export interface NarrationModuleDeps {
  prisma: Prisma;
  now: () => Date;
  logger: Logger;
  settings: NarrationSettings;
  /** The language narrations are read in (SITE_LANGUAGE). */
  language: string;
  media: MediaService;
  /** Largest accepted upload per kind: a generated file is checked as an upload is. */
  maxBytes: Parameters<typeof receiveBytes>[1];
  /** Where `article.narrated` is recorded (webhooks). */
  events: EventRecorder;
  audit: AuditTrail;
  articleVisibleTo: (id: string, actor: Actor) => Promise<{ id: string; body: ArticleBlockInput[]; deletedAt: string | null }>;
  /** Purges the public answers that show the article (its narration changed). */
  purgeArticle: (id: string) => Promise<void>;
}

function providerOf(settings: NarrationSettings['provider']): NarrationProvider {
  if (settings.name === 'http') return createHttpProvider({ ...settings, retryDelayMs: 500 });
  return createBuiltinProvider(settings);
}

export function createNarrationModule(deps: NarrationModuleDeps) {
  const { settings } = deps;
  const repo = createNarrationRepository({ prisma: deps.prisma });
  const provider = providerOf(settings.provider);
  const worker = settings.isWorkerEnabled
    ? createNarrationWorker({
        repo,
        provider,
        now: deps.now,
        logger: deps.logger,
        settings,
        language: deps.language,
        storeAudio: async (audio, facts) => {
          const file = await receiveBytes(audio, deps.maxBytes, 'narration.mp3');
          const stored = await deps.media.upload(
            file,
            { caption: `«${facts.title}» — озвучка`, credit: synthesisedSpeechCredit, source: 'tts' },
            null,
            facts.durationSeconds !== null ? { durationSeconds: Math.round(facts.durationSeconds * 10) / 10 } : {},
          );
          return stored.media.id;
        },
        onNarrated: (tx, article, details) =>
          deps.events.record(tx, { type: 'article.narrated', entity: { ...article }, actor: 'system', details }),
        afterNarrated: async (articleId) => {
          deps.events.committed();
          await deps.purgeArticle(articleId);
        },
      })
    : undefined;
  const service = createNarrationService({
    repo,
    now: deps.now,
    defaultMode: settings.defaultMode,
    debounceMs: settings.debounceMs,
    articleVisibleTo: deps.articleVisibleTo,
    stemming: { wordsOf, termOf },
    audit: deps.audit,
    wakeWorker: () => worker?.wake(),
  });
  return {
    service,
    worker,
    adminRoutes: narrationAdminRoutes(service),
    publicRoutes: [],
    async close(): Promise<void> {
      await worker?.stop();
      await provider.close();
    },
  };
}

export type { NarrationService } from './narration.service.ts';
export type { NarrationWorker } from './narration.worker.ts';
