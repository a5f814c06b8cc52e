import { AuthorRefSchema, IsoDateTime } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';
import { PublicArticleBlock } from './articles.blocks.schemas.ts';

// A live blog's part of the public article (`live`), here because the article's shape holds it; the live
// module fills it and answers its entries in these shapes.

/** Entries on an article page's `live` block, newest first. */
export const LIVE_PAGE_SIZE = 20;

export const PublicLiveEntrySchema = z
  .object({
    id: z.string(),
    title: z.string().nullable(),
    body: z.array(PublicArticleBlock),
    isKeyEvent: z.boolean(),
    isPinned: z.boolean(),
    authors: z.array(AuthorRefSchema),
    publishedAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .openapi('PublicLiveEntry', { description: 'An entry of a live blog, its photos resolved.' });

export const KeyEventSchema = z
  .object({ id: z.string(), title: z.string().nullable(), publishedAt: IsoDateTime })
  .openapi('LiveKeyEvent', { description: 'A key event, to link down to its entry.' });

export const LiveBlockSchema = z
  .object({
    isLive: z.boolean().openapi({ description: 'True while coverage runs (not ended).' }),
    coverageStartedAt: IsoDateTime.nullable(),
    coverageEndedAt: IsoDateTime.nullable(),
    pinned: z.union([PublicLiveEntrySchema, z.null()]),
    keyEvents: z.array(KeyEventSchema).openapi({ description: 'Every key event, newest first (at most 100).' }),
    entries: z.array(PublicLiveEntrySchema).openapi({ description: `The newest ${LIVE_PAGE_SIZE} entries, newest first.` }),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` to `/v1/articles/{slug}/live-entries` for older entries.' }),
    entryCount: z.number().int(),
    since: z.string().openapi({ description: 'Pass as `since` to `/v1/articles/{slug}/live-entries` for what changed after this answer.' }),
  })
  .openapi('LiveBlock', { description: 'A live article: its coverage, pinned entry, key events and newest entries.' });

export type PublicLiveEntryResponse = z.infer<typeof PublicLiveEntrySchema>;
export type LiveBlockResponse = z.infer<typeof LiveBlockSchema>;
