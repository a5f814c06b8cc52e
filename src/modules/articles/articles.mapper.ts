import type { ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';
import { toMediaResponse } from '../media/media.mapper.ts';
import type { ArticleRow, ArticleSummaryRow, PublicArticleRow } from './articles.repository.ts';
import type {
  ArticleSummaryResponse,
  PublicArticleBlockResponse,
  PublicArticleResponse,
  PublicInclude,
} from './articles.public.schemas.ts';
import type { ArticleResponse } from './articles.schemas.ts';

// The body and key points were validated by the schemas before they were stored.
const blocksOf = (row: { body: unknown }) => row.body as ArticleBlockInput[];
const keyPointsOf = (row: { keyPoints: unknown }) => row.keyPoints as string[];

export function toArticleResponse(row: ArticleRow): ArticleResponse {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    lead: row.lead,
    body: blocksOf(row),
    keyPoints: keyPointsOf(row),
    status: row.status,
    showInFeed: row.showInFeed,
    rubricId: row.rubricId,
    tagIds: row.tags.map((t) => t.tagId),
    authorIds: row.authors.map((a) => a.userId),
    coverMediaId: row.coverMediaId,
    narrationMediaId: row.narrationMediaId,
    seoTitle: row.seoTitle,
    seoDescription: row.seoDescription,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    embargoUntil: row.embargoUntil?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    version: row.version,
    format: row.format,
    coverageStartedAt: row.coverageStartedAt?.toISOString() ?? null,
    coverageEndedAt: row.coverageEndedAt?.toISOString() ?? null,
  };
}

/** Every embeddable relation: what the management-side callers (previews, related lists) always show. */
export const allIncludes: ReadonlySet<PublicInclude> = new Set(['rubric', 'authors', 'tags', 'cover']);

/** The summary of a public row; relations not in `include` were not loaded and are left out. */
export function toArticleSummary(row: ArticleSummaryRow, include: ReadonlySet<PublicInclude> = allIncludes): ArticleSummaryResponse {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    lead: row.lead,
    // An inactive rubric has no public page to link to.
    ...(include.has('rubric')
      ? { rubric: row.rubric?.isActive ? { id: row.rubric.id, name: row.rubric.name, slug: row.rubric.slug } : null }
      : {}),
    ...(include.has('authors') ? { authors: row.authors.map((a) => a.user) } : {}),
    ...(include.has('tags') ? { tags: row.tags.map((t) => t.tag) } : {}),
    ...(include.has('cover') ? { cover: row.coverMedia ? toMediaResponse(row.coverMedia) : null } : {}),
    // Public rows have publishedAt; a draft shown in a preview has none yet.
    publishedAt: (row.publishedAt ?? row.updatedAt).toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Keeps only the named fields (and the id) of a response; all of them when no list is given. */
export function pickFields<T extends { id: string }>(item: T, fields: readonly string[] | undefined): T {
  if (!fields) return item;
  const wanted = new Set<string>(['id', ...fields]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => wanted.has(name))) as T;
}

export function toPublicArticle(row: PublicArticleRow, include: ReadonlySet<PublicInclude> = allIncludes): PublicArticleResponse {
  const mediaById = new Map(row.bodyMedia.map((b) => [b.media.id, toMediaResponse(b.media)]));
  // ArticleBodyMedia is kept in step with the image blocks and its media cannot be deleted, so a photo is always found.
  const body = blocksOf(row).flatMap((block): PublicArticleBlockResponse[] => {
    if (block.type !== 'image') return [block];
    const media = mediaById.get(block.mediaId);
    return media ? [{ ...block, media }] : [];
  });
  return {
    ...toArticleSummary(row, include),
    body,
    keyPoints: keyPointsOf(row),
    narration: row.narrationMedia ? toMediaResponse(row.narrationMedia) : null,
    seoTitle: row.seoTitle,
    seoDescription: row.seoDescription,
  };
}
