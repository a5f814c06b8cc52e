import { commentsKeyOf } from '../../shared/cache-keys.ts';
import type { CommentsRepository } from './comments.repository.ts';
import type { CommentCountsResponse, CommentCountsUpdateResponse, PutCommentCountsInput } from './comments.schemas.ts';

export interface CommentsServiceDeps {
  repo: CommentsRepository;
  now: () => Date;
  /** Purges public answers by key (the answers showing the counts), on every instance. */
  purge: (keys: string[]) => void;
}

/** Comment counts: the comment service (a separate system) reports them; the public reads them in bulk. */
export function createCommentsService({ repo, now, purge }: CommentsServiceDeps) {
  return {
    /** Sets the counts of the articles that exist and reports the ids that name none; purges only their `comments:<id>` keys. */
    async putCounts(input: PutCommentCountsInput): Promise<CommentCountsUpdateResponse> {
      const known = await repo.existingArticleIds(input.counts.map((c) => c.articleId));
      const counts = input.counts.filter((c) => known.has(c.articleId));
      if (counts.length) await repo.setCounts(counts, now());
      purge(counts.map((c) => commentsKeyOf(c.articleId)));
      return { updated: counts.length, unknownArticleIds: input.counts.filter((c) => !known.has(c.articleId)).map((c) => c.articleId) };
    },

    async publicCounts(articleIds: string[]): Promise<CommentCountsResponse> {
      const at = now();
      const byId = new Map((await repo.listPublic(articleIds, at)).map((row) => [row.id, row]));
      return {
        items: articleIds.flatMap((id) => {
          const row = byId.get(id);
          if (!row) return [];
          return [
            {
              articleId: id,
              count: row.commentCount?.count ?? 0,
              commentsEnabled: row.commentsEnabled,
              commentsClosedAt: row.commentsClosedAt?.toISOString() ?? null,
              isOpen: row.commentsEnabled && (row.commentsClosedAt === null || row.commentsClosedAt > at),
            },
          ];
        }),
      };
    },
  };
}

export type CommentsService = ReturnType<typeof createCommentsService>;
