import { IsoDateTime } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';

export const MAX_COUNTS_PER_UPDATE = 1000;
export const MAX_ARTICLES_PER_READ = 100;

const articleId = z.string().min(1).max(64).openapi({ example: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80' });

export const PutCommentCountsBody = z
  .strictObject({
    counts: z
      .array(z.strictObject({ articleId, count: z.number().int().min(0).max(1_000_000_000).openapi({ example: 42 }) }))
      .min(1)
      .max(MAX_COUNTS_PER_UPDATE)
      .refine((counts) => new Set(counts.map((c) => c.articleId)).size === counts.length, 'Each article once')
      .openapi({ description: `Up to ${MAX_COUNTS_PER_UPDATE} articles: each count is set to the number given.` }),
  })
  .openapi('PutCommentCountsBody');

export const CommentCountsUpdateSchema = z
  .object({
    updated: z.number().int().openapi({ description: 'How many counts were set.' }),
    unknownArticleIds: z.array(z.string()).openapi({ description: 'Ids that name no article: skipped, the rest were set.' }),
  })
  .openapi('CommentCountsUpdate');

export const CommentCountsQuery = z.strictObject({
  articles: z
    .string()
    .min(1)
    .max(MAX_ARTICLES_PER_READ * 65)
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(articleId).min(1).max(MAX_ARTICLES_PER_READ))
    .openapi({
      param: { description: `Article ids, comma-separated, up to ${MAX_ARTICLES_PER_READ}.` },
      example: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80,0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a90',
    }),
});

export const CommentCountSchema = z
  .object({
    articleId: z.string(),
    count: z.number().int(),
    commentsEnabled: z.boolean(),
    commentsClosedAt: IsoDateTime.nullable(),
    isOpen: z.boolean().openapi({ description: 'Whether it takes new comments now.' }),
  })
  .openapi('CommentCount');

export const CommentCountsSchema = z
  .object({
    items: z.array(CommentCountSchema).openapi({ description: 'The public articles among those asked for; others are left out.' }),
  })
  .openapi('CommentCounts');

export type PutCommentCountsInput = z.infer<typeof PutCommentCountsBody>;
export type CommentCountsUpdateResponse = z.infer<typeof CommentCountsUpdateSchema>;
export type CommentCountsResponse = z.infer<typeof CommentCountsSchema>;
