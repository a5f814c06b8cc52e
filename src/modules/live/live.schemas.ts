import { ArticleBlock } from '../../shared/article-blocks.schemas.ts';
import { IsoDateTime, PageQuery, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';
import { LIVE_PAGE_SIZE, LiveBlockSchema, PublicLiveEntrySchema } from '../articles/articles.live.schemas.ts';

export { LIVE_PAGE_SIZE, LiveBlockSchema, PublicLiveEntrySchema };

// Live coverage: the entries of a live article, as the newsroom writes them and as the public reads them.

export const ENTRY_MAX_BLOCKS = 50;
/** Entries the article's JSON-LD lists as `liveBlogUpdate`. */
export const JSON_LD_UPDATES = 50;

const id = z.string().min(1).max(64);
const unique = (ids: string[]) => new Set(ids).size === ids.length;

const fields = {
  title: z.string().trim().min(1).max(300).nullable().openapi({ example: 'Дума начала заседание' }),
  body: z
    .array(ArticleBlock)
    .min(1)
    .max(ENTRY_MAX_BLOCKS)
    .openapi({ description: `The entry's blocks, 1 to ${ENTRY_MAX_BLOCKS}, of the article body types.` }),
  isKeyEvent: z.boolean().openapi({ description: 'Marked as a key event: listed in `keyEvents` and filtered by `?keyEvents=true`.' }),
  isPinned: z
    .boolean()
    .openapi({ description: 'Shown on top of the live blog; pinning an entry unpins the one pinned before, in the same write.' }),
  authorIds: z
    .array(id)
    .max(20)
    .refine(unique, 'Each author once')
    .openapi({ description: 'Users in byline order; the poster by default.', example: ['0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c'] }),
};

export const CreateLiveEntryBody = z
  .strictObject({
    title: fields.title.optional(),
    body: fields.body,
    isKeyEvent: fields.isKeyEvent.optional(),
    isPinned: fields.isPinned.optional(),
    authorIds: fields.authorIds.optional(),
  })
  .openapi('CreateLiveEntryBody');

export const UpdateLiveEntryBody = z
  .strictObject({
    title: fields.title.optional(),
    body: fields.body.optional(),
    isKeyEvent: fields.isKeyEvent.optional(),
    isPinned: fields.isPinned.optional(),
    authorIds: fields.authorIds.optional(),
  })
  .openapi('UpdateLiveEntryBody', { description: 'Any subset of the fields; null clears the title.' });

const entryExample = {
  id: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4b10',
  articleId: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80',
  title: 'Дума начала заседание',
  body: [{ type: 'paragraph', text: 'Депутаты собрались в полном составе: на повестке бюджет на 2027 год.' }],
  isKeyEvent: true,
  isPinned: false,
  authorIds: ['0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c'],
  publishedAt: '2026-11-20T09:05:00.000Z',
  updatedAt: '2026-11-20T09:05:00.000Z',
  version: 1,
};

export const LiveEntrySchema = z
  .object({
    id: z.string(),
    articleId: z.string(),
    title: z.string().nullable(),
    body: z.array(ArticleBlock),
    isKeyEvent: z.boolean(),
    isPinned: z.boolean(),
    authorIds: z.array(z.string()),
    publishedAt: IsoDateTime,
    updatedAt: IsoDateTime,
    version: z.number().int().openapi({ description: 'Goes up by one with each change; send it back as If-Match (the ETag).', example: 1 }),
  })
  .openapi('LiveEntry', { example: entryExample });

export const LiveEntryPage = pageOf(LiveEntrySchema, 'LiveEntryPage');

export const LiveEntryRevisionSchema = z
  .object({
    id: z.string(),
    number: z.number().int().openapi({ description: 'The version of the entry this save made.' }),
    actor: z.string().openapi({ description: '`user:<id>` or `apiKey:<id>`.' }),
    createdAt: IsoDateTime,
    content: z.object({
      title: z.string().nullable(),
      body: z.array(ArticleBlock),
      isKeyEvent: z.boolean(),
      isPinned: z.boolean(),
      authorIds: z.array(z.string()),
    }),
  })
  .openapi('LiveEntryRevision', { description: 'A saved state of a live entry.' });

export const LiveEntryRevisionPage = pageOf(LiveEntryRevisionSchema, 'LiveEntryRevisionPage');

export const LiveEntryParams = z.strictObject({
  id: id.openapi({ param: { description: 'The id of the live article.' }, example: entryExample.articleId }),
  entryId: id.openapi({ param: { description: 'The id of the entry.' }, example: entryExample.id }),
});

export const PublicLiveEntriesQuery = PageQuery.extend({
  keyEvents: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({ param: { description: '`true`: key events only.' } }),
  since: z
    .string()
    .max(100)
    .optional()
    .openapi({
      param: {
        description:
          'A `since` token from an earlier answer: instead of a page, the entries added or edited after it (oldest change first) ' +
          'and the ids deleted after it.',
      },
    }),
});

export const PublicLiveEntryPage = z
  .object({
    articleId: z.string(),
    items: z.array(PublicLiveEntrySchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
    deletedIds: z.array(z.string()).openapi({ description: 'With `since`: the entries deleted after it; otherwise empty.' }),
    since: z.string().openapi({
      description: 'Pass as `since` next time for what changed after this answer; with `since`, fewer than `limit` items means up to date.',
    }),
  })
  .openapi('PublicLiveEntryPage');

export type { LiveBlockResponse, PublicLiveEntryResponse } from '../articles/articles.live.schemas.ts';
export type CreateLiveEntryInput = z.infer<typeof CreateLiveEntryBody>;
export type UpdateLiveEntryInput = z.infer<typeof UpdateLiveEntryBody>;
export type LiveEntryResponse = z.infer<typeof LiveEntrySchema>;
export type LiveEntryRevisionResponse = z.infer<typeof LiveEntryRevisionSchema>;
export type PublicLiveEntriesInput = z.infer<typeof PublicLiveEntriesQuery>;
export type PublicLiveEntryPageResponse = z.infer<typeof PublicLiveEntryPage>;
