import { adMarkingOf, toPublicAdMarking, toStoredAdMarking, withErid } from '../../shared/ad-marking.ts';
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
    adMarking: toStoredAdMarking(row),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A promo's marking, or the marking of the sponsored article an item links. */
function publicMarkingOf(row: PublicFeedItemRow) {
  if (row.kind === 'promo') return adMarkingOf(row);
  return row.article?.isSponsored ? adMarkingOf(row.article) : null;
}

export function toPublicFeedItemResponse(row: PublicFeedItemRow, options: { withCommentCount?: boolean } = {}): PublicFeedItemResponse {
  const { rubric, article } = row;
  const marking = publicMarkingOf(row);
  return {
    id: row.id,
    kind: row.kind,
    headline: row.headline,
    // An inactive rubric has no public page to link to.
    rubric: rubric?.isActive ? { id: rubric.id, name: rubric.name, slug: rubric.slug } : null,
    // The law wants the erid in the ad's link.
    url: row.url && row.kind === 'promo' && marking ? withErid(row.url, marking.erid) : row.url,
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
          ...(options.withCommentCount ? { commentCount: article.commentCount?.count ?? 0 } : {}),
        }
      : null,
    adMarking: marking ? toPublicAdMarking(marking) : null,
  };
}
