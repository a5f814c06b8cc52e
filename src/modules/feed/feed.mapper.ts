import { toMediaResponse } from '../media/media.mapper.ts';
import type { FeedItemRow, PublicFeedItemRow } from './feed.repository.ts';
import type { FeedItemResponse, PublicFeedItemResponse } from './feed.schemas.ts';

export function toFeedItemResponse(row: FeedItemRow): FeedItemResponse {
  return {
    id: row.id,
    kind: row.kind,
    headline: row.headline,
    rubricId: row.rubricId,
    articleId: row.articleId,
    url: row.url,
    isPinned: row.isPinned,
    publishedAt: row.publishedAt.toISOString(),
    visibleFrom: row.visibleFrom?.toISOString() ?? null,
    visibleUntil: row.visibleUntil?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPublicFeedItemResponse(row: PublicFeedItemRow): PublicFeedItemResponse {
  const { rubric, article } = row;
  return {
    id: row.id,
    kind: row.kind,
    headline: row.headline,
    // An inactive rubric has no public page to link to.
    rubric: rubric?.isActive ? { id: rubric.id, name: rubric.name, slug: rubric.slug } : null,
    url: row.url,
    isPinned: row.isPinned,
    publishedAt: row.publishedAt.toISOString(),
    isLive: row.kind === 'live' && (!article || (article.format === 'live' && article.coverageEndedAt === null)),
    article: article
      ? {
          id: article.id,
          slug: article.slug,
          title: article.title,
          lead: article.lead,
          cover: article.coverMedia ? toMediaResponse(article.coverMedia) : null,
        }
      : null,
  };
}
