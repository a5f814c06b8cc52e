import { ConflictError, NotFoundError } from '../../errors.ts';
import { actorLabel } from '../../shared/actor-label.ts';
import type { Actor } from '../../shared/actor.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import type { ArticleContext } from './articles.context.ts';
import type { CorrectedArticleResponse, CorrectionLogEntryResponse, CreateCorrectionInput } from './articles.corrections.schemas.ts';
import type { ArticleCorrectionResponse, CorrectionKind } from './articles.public.schemas.ts';

const toCorrection = (row: { id: string; kind: string; text: string; publishedAt: Date }): ArticleCorrectionResponse => ({
  id: row.id,
  kind: row.kind as CorrectionKind,
  text: row.text,
  publishedAt: row.publishedAt.toISOString(),
});

/**
 * Published corrections: appended, never changed or deleted (a wrong one is corrected by another). Each moves
 * the article's «Обновлено» (displayUpdatedAt) and is announced as `article.corrected`.
 */
export function createCorrectionOperations(ctx: ArticleContext) {
  const { deps, now, findOrThrow, loadForChange, writeChecked } = ctx;
  const corrections = deps.corrections;

  return {
    async addCorrection(id: string, input: CreateCorrectionInput, actor: Actor): Promise<CorrectedArticleResponse> {
      const current = await loadForChange(id, actor, null);
      // Only what readers saw can be corrected: a draft is simply edited.
      if (current.status !== 'published') {
        throw new ConflictError('Only a published article takes corrections; edit a draft instead.', 'article_not_published', {
          articleStatus: current.status,
        });
      }
      const at = now();
      const details: Record<string, unknown> = { kind: input.kind };
      let added: ArticleCorrectionResponse | undefined;
      await writeChecked(current, actor, null, {
        where: { deletedAt: null, status: 'published' },
        data: { displayUpdatedAt: at, updatedAt: at },
        alongside: async (tx) => {
          const row = await corrections.create(tx, {
            articleId: id,
            kind: input.kind,
            text: input.text,
            actor: actorLabel(actor),
            publishedAt: at,
          });
          added = toCorrection(row);
          // The webhook's data names the correction (details are read after this runs).
          Object.assign(details, { correctionId: row.id, text: input.text, displayUpdatedAt: at.toISOString() });
        },
        event: 'article.corrected',
        details,
      });
      const after = await findOrThrow(id, actor);
      return { id, version: after.version, displayUpdatedAt: at.toISOString(), correction: added! };
    },

    async listCorrections(id: string, actor: Actor): Promise<{ items: ArticleCorrectionResponse[] }> {
      await findOrThrow(id, actor);
      return { items: (await corrections.listOf(id)).map(toCorrection) };
    },

    async getCorrection(id: string, correctionId: string, actor: Actor): Promise<ArticleCorrectionResponse> {
      await findOrThrow(id, actor);
      const row = await corrections.findOne(id, correctionId);
      if (!row) throw new NotFoundError('correction');
      return toCorrection(row);
    },

    /** The site's corrections log: corrections of public articles, newest first. */
    async listPublicCorrections(query: { limit: number; cursor?: string | undefined }): Promise<Page<CorrectionLogEntryResponse>> {
      const key = query.cursor ? decodeCursor(query.cursor, isDateIdKey) : undefined;
      const rows = await corrections.listPublic(query.limit + 1, now(), key);
      return toPage(
        rows,
        query.limit,
        (row) => ({ ...toCorrection(row), article: row.article }),
        (row) => [row.publishedAt.toISOString(), row.id],
      );
    },
  };
}
