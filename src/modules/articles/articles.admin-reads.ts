import { NotFoundError } from '../../errors.ts';
import type { Actor } from '../../shared/actor.ts';
import { foldForSearch } from '../../shared/article-text.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import type { ArticleContext } from './articles.context.ts';
import { toArticleResponse } from './articles.mapper.ts';
import { visibleTo } from './articles.policy.ts';
import { diffContents } from './articles.revisions.ts';
import type {
  ArticleResponse,
  ListArticlesInput,
  RevisionContent,
  RevisionDiffResponse,
  RevisionResponse,
  RevisionSummaryResponse,
} from './articles.schemas.ts';

const isRevisionKey = (values: unknown[]): values is [number] => values.length === 1 && Number.isInteger(values[0]);

/** What the newsroom reads: the articles it may see, whatever their state, and their revisions. */
export function createAdminReadOperations(ctx: ArticleContext) {
  const { repo, now, findOrThrow } = ctx;

  return {
    async list(query: ListArticlesInput, actor: Actor): Promise<Page<ArticleResponse>> {
      const key = query.cursor ? decodeCursor(query.cursor, isDateIdKey) : undefined;
      await repo.promoteDue(now());
      const rows = await repo.list(
        query.limit + 1,
        {
          visible: visibleTo(actor),
          status: query.status,
          origin: query.origin,
          rubricId: query.rubricId,
          authorId: query.authorId,
          text: query.q ? foldForSearch(query.q) : undefined,
          inTrash: query.inTrash,
        },
        key,
      );
      return toPage(rows, query.limit, toArticleResponse, (r) => [r.updatedAt.toISOString(), r.id]);
    },

    async get(id: string, actor: Actor): Promise<ArticleResponse> {
      return toArticleResponse(await findOrThrow(id, actor));
    },

    async listRevisions(
      id: string,
      query: { limit: number; cursor?: string | undefined },
      actor: Actor,
    ): Promise<Page<RevisionSummaryResponse>> {
      const key = query.cursor ? decodeCursor(query.cursor, isRevisionKey) : undefined;
      await findOrThrow(id, actor);
      const rows = await repo.listRevisions(id, query.limit + 1, key?.[0]);
      return toPage(
        rows,
        query.limit,
        (r) => ({ ...r, createdAt: r.createdAt.toISOString() }),
        (r) => [r.number],
      );
    },

    async getRevision(id: string, revisionId: string, actor: Actor): Promise<RevisionResponse> {
      await findOrThrow(id, actor);
      const row = await repo.findRevision(id, revisionId);
      if (!row) throw new NotFoundError('revision');
      return {
        id: row.id,
        number: row.number,
        actor: row.actor,
        createdAt: row.createdAt.toISOString(),
        content: row.content as RevisionContent,
      };
    },

    /** What changed from one revision to another (the newest when `toId` is left out). */
    async diffRevisions(id: string, fromId: string, toId: string | undefined, actor: Actor): Promise<RevisionDiffResponse> {
      await findOrThrow(id, actor);
      const [from, to] = await Promise.all([
        repo.findRevision(id, fromId),
        toId ? repo.findRevision(id, toId) : repo.findLatestRevision(id),
      ]);
      if (!from || !to) throw new NotFoundError('revision');
      return {
        from: { id: from.id, number: from.number },
        to: { id: to.id, number: to.number },
        ...diffContents(from.content as RevisionContent, to.content as RevisionContent),
      };
    },
  };
}
