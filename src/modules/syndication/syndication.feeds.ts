import type { PublicArticleResponse } from '../articles/articles.public.schemas.ts';
import { bodyToHtml } from './syndication.html.ts';
import { lastModifiedOf, type SiteInfo } from './syndication.json-ld.ts';
import { feedImageOf, type FeedImage } from './syndication.media.ts';
import { JSON_FEED_VERSION, type JsonFeed, type JsonFeedItemResponse } from './syndication.schemas.ts';
import { element, emptyElement, escapeXml, rfc822, textElement, xmlDocument } from './syndication.xml.ts';
import { AD_LABEL } from '../../shared/ad-marking.ts';

export type FeedFormat = 'rss' | 'atom' | 'json';

/** One feed, whole site or one rubric, before it is written in a format. */
export interface FeedChannel {
  title: string;
  description: string;
  /** The page the feed follows: the home page or the rubric's page. */
  pageUrl: string;
  /** The feed's own address in each format. */
  selfUrls: Record<FeedFormat, string>;
  items: readonly PublicArticleResponse[];
  /** When the feed is empty, the time it was made (a feed must say when it changed). */
  now: Date;
}

/** What every format says about an article, worked out once. */
interface ItemFacts {
  guid: string;
  url: string;
  title: string;
  lead: string | null;
  html: string;
  publishedAt: string;
  modifiedAt: string;
  authors: string[];
  rubric: { name: string; slug: string; url: string } | null;
  tags: { name: string; slug: string }[];
  image: (FeedImage & { caption: string | null; credit: string | null }) | null;
  narration: { url: string; mimeType: string; sizeBytes: number | null } | null;
  /** A sponsored article's marking line («Реклама. …»); null for any other. */
  adMarking: string | null;
}

/** The category every format gives a sponsored item, beside the marking line at the top of its content. */
const SPONSORED_CATEGORY = AD_LABEL;

/** The marking line first, then the body, so that a reader of the feed sees it before the ad. */
const htmlWithMarking = (html: string, marking: string | null) =>
  marking ? `<p class="ad-marking">${escapeXml(marking)}</p>${html}` : html;

function factsOf(article: PublicArticleResponse, site: SiteInfo): ItemFacts {
  const image = article.cover ? feedImageOf(article.cover) : null;
  const publishedAt = article.publishedAt ?? new Date(0).toISOString();
  return {
    // The id stays when the slug changes, so a reader does not show a renamed article twice.
    guid: `urn:uuid:${article.id}`,
    url: site.urls.article(article.slug ?? ''),
    title: article.title ?? '',
    lead: article.lead ?? null,
    html: htmlWithMarking(bodyToHtml(article.body ?? [], site.urls.absolute), article.adMarking?.text ?? null),
    publishedAt,
    modifiedAt: lastModifiedOf({ publishedAt, updatedAt: article.updatedAt }),
    authors: (article.authors ?? []).map((a) => a.displayName),
    rubric: article.rubric ? { name: article.rubric.name, slug: article.rubric.slug, url: site.urls.rubric(article.rubric.slug) } : null,
    tags: (article.tags ?? []).map((t) => ({ name: t.name, slug: t.slug })),
    image:
      image && article.cover
        ? { ...image, url: site.urls.absolute(image.url), caption: article.cover.caption, credit: article.cover.credit }
        : null,
    narration: article.narration
      ? { url: site.urls.absolute(article.narration.url), mimeType: article.narration.mimeType, sizeBytes: article.narration.sizeBytes }
      : null,
    adMarking: article.adMarking?.text ?? null,
  };
}

/** The feed changed when its newest-changed item did. */
function updatedOf(items: readonly ItemFacts[], now: Date): string {
  // biome-ignore lint/complexity/useMathMinMax: ISO 8601 strings, compared as text (Math.max would make them NaN)
  return items.length ? items.map((i) => i.modifiedAt).reduce((a, b) => (a > b ? a : b)) : now.toISOString();
}

const optional = (value: number | null | undefined) => (value === null ? undefined : value);

export function renderRss(channel: FeedChannel, site: SiteInfo): string {
  const items = channel.items.map((a) => factsOf(a, site));
  const itemXml = items.map((item) =>
    element('item', {}, [
      textElement('title', item.title),
      textElement('link', item.url),
      textElement('guid', item.guid, { isPermaLink: 'false' }),
      textElement('pubDate', rfc822(item.publishedAt)),
      textElement('description', item.lead),
      item.html ? textElement('content:encoded', item.html) : '',
      ...item.authors.map((name) => textElement('dc:creator', name)),
      item.rubric ? textElement('category', item.rubric.name, { domain: item.rubric.url }) : '',
      ...item.tags.map((tag) => textElement('category', tag.name)),
      item.adMarking ? textElement('category', SPONSORED_CATEGORY) : '',
      item.image ? emptyElement('enclosure', { url: item.image.url, length: item.image.sizeBytes ?? 0, type: item.image.mimeType }) : '',
      item.image
        ? element(
            'media:content',
            {
              url: item.image.url,
              type: item.image.mimeType,
              medium: 'image',
              width: optional(item.image.width),
              height: optional(item.image.height),
            },
            [textElement('media:description', item.image.caption), textElement('media:credit', item.image.credit)],
          )
        : '',
    ]),
  );
  return xmlDocument(
    element(
      'rss',
      {
        version: '2.0',
        'xmlns:atom': 'http://www.w3.org/2005/Atom',
        'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
        'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
        'xmlns:media': 'http://search.yahoo.com/mrss/',
      },
      [
        element('channel', {}, [
          textElement('title', channel.title),
          textElement('link', channel.pageUrl),
          textElement('description', channel.description),
          textElement('language', site.language),
          textElement('lastBuildDate', rfc822(updatedOf(items, channel.now))),
          emptyElement('atom:link', { href: channel.selfUrls.rss, rel: 'self', type: 'application/rss+xml' }),
          ...itemXml,
        ]),
      ],
    ),
  );
}

export function renderAtom(channel: FeedChannel, site: SiteInfo): string {
  const items = channel.items.map((a) => factsOf(a, site));
  const entries = items.map((item) =>
    element('entry', {}, [
      textElement('id', item.guid),
      textElement('title', item.title),
      textElement('updated', item.modifiedAt),
      textElement('published', item.publishedAt),
      emptyElement('link', { rel: 'alternate', type: 'text/html', href: item.url }),
      ...item.authors.map((name) => element('author', {}, [textElement('name', name)])),
      item.rubric ? emptyElement('category', { term: item.rubric.slug, label: item.rubric.name, scheme: site.urls.rubric('') }) : '',
      ...item.tags.map((tag) => emptyElement('category', { term: tag.slug, label: tag.name })),
      item.adMarking ? emptyElement('category', { term: 'sponsored', label: SPONSORED_CATEGORY }) : '',
      textElement('summary', item.lead),
      item.html ? textElement('content', item.html, { type: 'html' }) : '',
      item.image
        ? emptyElement('link', {
            rel: 'enclosure',
            href: item.image.url,
            type: item.image.mimeType,
            length: optional(item.image.sizeBytes),
          })
        : '',
    ]),
  );
  return xmlDocument(
    element('feed', { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': site.language }, [
      textElement('id', channel.selfUrls.atom),
      textElement('title', channel.title),
      textElement('subtitle', channel.description),
      textElement('updated', updatedOf(items, channel.now)),
      emptyElement('link', { rel: 'alternate', type: 'text/html', href: channel.pageUrl }),
      emptyElement('link', { rel: 'self', type: 'application/atom+xml', href: channel.selfUrls.atom }),
      // An entry without an author borrows the feed's, as Atom requires one or the other.
      element('author', {}, [textElement('name', site.name)]),
      ...entries,
    ]),
  );
}

export function toJsonFeed(channel: FeedChannel, site: SiteInfo): JsonFeed {
  const items = channel.items.map((a): JsonFeedItemResponse => {
    const item = factsOf(a, site);
    const tags = [
      ...(item.rubric ? [item.rubric.name] : []),
      ...item.tags.map((t) => t.name),
      ...(item.adMarking ? [SPONSORED_CATEGORY] : []),
    ];
    return {
      id: a.id,
      url: item.url,
      title: item.title,
      ...(item.lead ? { summary: item.lead } : {}),
      ...(item.adMarking ? { _ad_marking: { text: item.adMarking } } : {}),
      content_html: item.html,
      ...(item.image ? { image: item.image.url } : {}),
      date_published: item.publishedAt,
      date_modified: item.modifiedAt,
      ...(item.authors.length ? { authors: item.authors.map((name) => ({ name })) } : {}),
      ...(tags.length ? { tags } : {}),
      ...(item.narration
        ? {
            attachments: [
              {
                url: item.narration.url,
                mime_type: item.narration.mimeType,
                ...(item.narration.sizeBytes !== null ? { size_in_bytes: item.narration.sizeBytes } : {}),
              },
            ],
          }
        : {}),
    };
  });
  return {
    version: JSON_FEED_VERSION,
    title: channel.title,
    home_page_url: channel.pageUrl,
    feed_url: channel.selfUrls.json,
    description: channel.description,
    language: site.language,
    authors: [{ name: site.name }],
    items,
  };
}
