import type { ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';
import type { PublicArticleBlockResponse } from '../articles/articles.public.schemas.ts';
import type { MediaResponse } from '../media/media.schemas.ts';
import type { LiveEntryRow } from './live.repository.ts';
import type { LiveEntryResponse, PublicLiveEntryResponse } from './live.schemas.ts';

// The body and author ids were validated by the schemas before they were stored.
export const blocksOf = (row: { body: unknown }) => row.body as ArticleBlockInput[];
export const authorIdsOf = (row: { authorIds: unknown }) => row.authorIds as string[];

export function toLiveEntryResponse(row: LiveEntryRow): LiveEntryResponse {
  return {
    id: row.id,
    articleId: row.articleId,
    title: row.title,
    body: blocksOf(row),
    isKeyEvent: row.isKeyEvent,
    isPinned: row.isPinned,
    authorIds: authorIdsOf(row),
    publishedAt: row.publishedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

/** What public entries point at, read once for a page: their authors and photos. */
export interface EntryReferences {
  authors: Map<string, { id: string; displayName: string; slug: string }>;
  media: Map<string, MediaResponse>;
}

export function toPublicLiveEntry(row: LiveEntryRow, refs: EntryReferences): PublicLiveEntryResponse {
  // A photo deleted since the entry was saved is left out rather than shown broken.
  const body = blocksOf(row).flatMap((block): PublicArticleBlockResponse[] => {
    if (block.type !== 'image') return [block];
    const media = refs.media.get(block.mediaId);
    return media ? [{ ...block, media }] : [];
  });
  return {
    id: row.id,
    title: row.title,
    body,
    isKeyEvent: row.isKeyEvent,
    isPinned: row.isPinned,
    authors: authorIdsOf(row).flatMap((id) => refs.authors.get(id) ?? []),
    publishedAt: row.publishedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
