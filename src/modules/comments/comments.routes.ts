import { commentsKeyOf, type ListKey } from '../../shared/cache-keys.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { anyone, commentService } from '../../http/access.ts';
import { CommentCountsQuery, CommentCountsSchema, CommentCountsUpdateSchema, PutCommentCountsBody } from './comments.schemas.ts';
import type { CommentsService } from './comments.service.ts';

const tag = 'Comments';

export function commentAdminRoutes(service: CommentsService): AnyRoute[] {
  return [
    defineRoute({
      method: 'put',
      path: '/v1/admin/comment-counts',
      operationId: 'putCommentCounts',
      summary: "Set articles' comment counts (the comment service)",
      tag,
      access: commentService,
      description: [
        "For the comment service's API key (scope `comments`): each count is set to the number given, up or down, so a retry does no harm.",
        'Ids that name no article are reported in `unknownArticleIds`; the others are still set.',
        'Purges only the answers showing those counts (`comments:<id>`), never the article pages or lists.',
      ].join(' '),
      body: PutCommentCountsBody,
      response: CommentCountsUpdateSchema,
      audit: { action: 'comment_count.update', targetType: 'comment_count' },
      handler: async ({ body, addAuditDetails }) => {
        const result = await service.putCounts(body);
        addAuditDetails({ updated: result.updated, unknown: result.unknownArticleIds.length });
        return result;
      },
    }),
  ];
}

export function commentPublicRoutes(service: CommentsService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/comment-counts',
      operationId: 'getCommentCounts',
      summary: 'Comment counts of articles',
      tag,
      access: anyone,
      description:
        'The counts of up to 100 public articles at once, for a page or a list to show. Cached briefly and keyed `comments:<id>`: a count update purges exactly these answers.',
      query: CommentCountsQuery,
      response: CommentCountsSchema,
      cache: {
        maxAgeSeconds: 10,
        sMaxAgeSeconds: 10,
        staleWhileRevalidateSeconds: 30,
        // `articles` too: an article published, taken down or closed to comments changes what is shown.
        lists: (body) => [
          'articles',
          ...((body.items ?? []) as { articleId: string }[]).map((item): ListKey => commentsKeyOf(item.articleId)),
        ],
      },
      handler: ({ query }) => service.publicCounts(query.articles),
    }),
  ];
}
