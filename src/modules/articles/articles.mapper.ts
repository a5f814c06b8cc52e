import { adMarkingOf, toPublicAdMarking, toStoredAdMarking } from '../../shared/ad-marking.ts';
import { toNarrationStatus } from '../../shared/narration.schemas.ts';
import type { ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';
import { toMediaResponse } from '../media/media.mapper.ts';
import type { ArticleRow, ArticleSummaryRow, PublicArticleRow } from './articles.repository.ts';
import type {
  ArticleCorrectionResponse,
  ArticleSummaryResponse,
  PublicArticleBlockResponse,
  PublicArticleResponse,
  PublicInclude,
} from './articles.public.schemas.ts';
import { articleOrigins, type ArticleResponse } from './articles.schemas.ts';

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
    narration: row.narration === 'auto' || row.narration === 'off' ? row.narration : null,
    narrationStatus: toNarrationStatus(row.narrationJob),
    seoTitle: row.seoTitle,
    seoDescription: row.seoDescription,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    embargoUntil: row.embargoUntil?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    displayUpdatedAt: row.displayUpdatedAt?.toISOString() ?? null,
    isSponsored: row.isSponsored,
    adMarking: toStoredAdMarking(row),
    commentsEnabled: row.commentsEnabled,
    commentsClosedAt: row.commentsClosedAt?.toISOString() ?? null,
    version: row.version,
    format: row.format,
    coverageStartedAt: row.coverageStartedAt?.toISOString() ?? null,
    coverageEndedAt: row.coverageEndedAt?.toISOString() ?? null,
    origin: isArticleOrigin(row.origin) ? row.origin : null,
    source: row.source,
    externalId: row.externalId,
    externalVersion: row.externalVersion,
  };
}

const isArticleOrigin = (value: string | null): value is ArticleResponse['origin'] & string =>
  (articleOrigins as readonly (string | null)[]).includes(value);

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
    displayUpdatedAt: displayUpdatedAtOf(row).toISOString(),
    adMarking: adMarkingOfSponsored(row),
    ...(include.has('commentCount') ? { commentCount: row.commentCount?.count ?? 0 } : {}),
  };
}

/** «Обновлено»: the last correction or substantive update, never before the publication (a draft's edits do not count). */
function displayUpdatedAtOf(row: { publishedAt: Date | null; updatedAt: Date; displayUpdatedAt: Date | null }): Date {
  const published = row.publishedAt ?? row.updatedAt;
  return row.displayUpdatedAt && row.displayUpdatedAt > published ? row.displayUpdatedAt : published;
}

/** A sponsored article's marking for the public; null for an article that is not an ad. */
function adMarkingOfSponsored(row: ArticleSummaryRow) {
  const marking = row.isSponsored ? adMarkingOf(row) : null;
  return marking ? toPublicAdMarking(marking) : null;
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
    corrections: row.corrections.map((c) => ({
      id: c.id,
      kind: c.kind as ArticleCorrectionResponse['kind'],
      text: c.text,
      publishedAt: c.publishedAt.toISOString(),
    })),
    commentsEnabled: row.commentsEnabled,
    commentsClosedAt: row.commentsClosedAt?.toISOString() ?? null,
  };
}
