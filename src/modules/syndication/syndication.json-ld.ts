import type { NewsArticleJsonLd } from '../../shared/news-article-json-ld.schemas.ts';
import type { PublicUrls } from '../../shared/public-urls.ts';
import type { SitePolicies } from '../../config.ts';
import type { PublicArticleResponse } from '../articles/articles.public.schemas.ts';
import type { MediaResponse } from '../media/media.schemas.ts';
import { cropRatiosOf, feedImageOf } from './syndication.media.ts';

/** What feeds, sitemaps and JSON-LD say about the site itself. */
export interface SiteInfo {
  urls: PublicUrls;
  name: string;
  language: string;
  /** The Trust Project pages the JSON-LD publisher names. */
  policies?: SitePolicies;
  /** An article's discussion page, `{slug}` and `{id}` filled in. */
  commentsUrlTemplate?: string;
}

/** When an article last changed for a reader: a scheduled article may have been saved before it went out. */
export function lastModifiedOf(article: { publishedAt?: string | undefined; updatedAt?: string | undefined }): string {
  const times = [article.publishedAt, article.updatedAt].filter((t): t is string => t !== undefined);
  return new Date(Math.max(...times.map((t) => Date.parse(t)))).toISOString();
}

/** The cover as schema.org ImageObjects: the whole picture, then each crop, all with the photo's credit. */
function imageObjectsOf(cover: MediaResponse, urls: PublicUrls): NonNullable<NewsArticleJsonLd['image']> {
  const credits = {
    ...(cover.caption ? { caption: cover.caption } : {}),
    ...(cover.credit ? { creditText: cover.credit } : {}),
    ...(cover.source ? { copyrightHolder: { '@type': 'Organization' as const, name: cover.source } } : {}),
  };
  return ['original', ...cropRatiosOf(cover)].flatMap((ratio) => {
    const image = feedImageOf(cover, ratio);
    if (!image) return [];
    const url = urls.absolute(image.url);
    return [
      {
        '@type': 'ImageObject' as const,
        url,
        contentUrl: url,
        ...(image.width ? { width: image.width } : {}),
        ...(image.height ? { height: image.height } : {}),
        ...credits,
      },
    ];
  });
}

/** COMMENTS_URL_TEMPLATE with the article's slug and id filled in. */
function discussionUrlOf(template: string, slug: string, id: string): string {
  return template.replaceAll('{slug}', encodeURIComponent(slug)).replaceAll('{id}', encodeURIComponent(id));
}

// What assistants read aloud: the headline and the lead, as the front end marks them.
const speakableSelectors = ['[data-speakable="headline"]', '[data-speakable="lead"]'];

/** Seconds as an ISO 8601 duration: 94.2 → PT1M34S. */
export function isoDuration(seconds: number): string {
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return `PT${minutes ? `${minutes}M` : ''}${whole % 60}S`;
}

/** The narration as a schema.org AudioObject. */
function audioObjectOf(narration: MediaResponse, urls: PublicUrls, title: string): NonNullable<NewsArticleJsonLd['audio']> {
  return {
    '@type': 'AudioObject',
    contentUrl: urls.absolute(narration.url),
    encodingFormat: narration.mimeType,
    ...(narration.durationSeconds ? { duration: isoDuration(narration.durationSeconds) } : {}),
    name: title,
  };
}

/** Builds an article page's schema.org NewsArticle from the article in its public shape (with every relation). */
export function createArticleJsonLd(site: SiteInfo) {
  return (article: PublicArticleResponse): NewsArticleJsonLd => {
    const url = site.urls.article(article.slug ?? '');
    const publishedAt = article.publishedAt ?? article.updatedAt ?? new Date(0).toISOString();
    const image = article.cover ? imageObjectsOf(article.cover, site.urls) : [];
    return {
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: article.title ?? '',
      ...(article.lead ? { description: article.lead } : {}),
      ...(image.length ? { image } : {}),
      datePublished: publishedAt,
      // What readers see as «Обновлено»: a typo fix is not a new version of the story.
      dateModified: lastModifiedOf({ publishedAt, updatedAt: article.displayUpdatedAt ?? publishedAt }),
      author: article.authors?.length
        ? article.authors.map((author) => ({ '@type': 'Person' as const, name: author.displayName }))
        : // An unsigned article is the newsroom's own.
          [{ '@type': 'Organization' as const, name: site.name }],
      ...(article.rubric ? { articleSection: article.rubric.name } : {}),
      ...(article.tags?.length ? { keywords: article.tags.map((tag) => tag.name) } : {}),
      speakable: { '@type': 'SpeakableSpecification', cssSelector: speakableSelectors },
      ...(article.narration ? { audio: audioObjectOf(article.narration, site.urls, article.title ?? '') } : {}),
      inLanguage: site.language,
      url,
      mainEntityOfPage: { '@type': 'WebPage', '@id': url },
      publisher: { '@type': 'NewsMediaOrganization', name: site.name, url: site.urls.home(), ...site.policies },
      ...(article.corrections?.length
        ? {
            correction: article.corrections.map((c) => ({
              '@type': 'CorrectionComment' as const,
              text: c.text,
              datePublished: c.publishedAt,
            })),
          }
        : {}),
      ...(article.adMarking
        ? {
            sponsor: {
              '@type': 'Organization' as const,
              name: article.adMarking.advertiserName,
              ...(article.adMarking.advertiserUrl ? { url: article.adMarking.advertiserUrl } : {}),
            },
          }
        : {}),
      ...(article.commentCount !== undefined ? { commentCount: article.commentCount } : {}),
      ...(site.commentsUrlTemplate && article.commentsEnabled !== false && article.slug
        ? { discussionUrl: discussionUrlOf(site.commentsUrlTemplate, article.slug, article.id) }
        : {}),
    };
  };
}
