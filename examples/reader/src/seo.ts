// What search engines and link previews read of a page. Pure (no DOM): the browser applies it to
// document.head (head.ts), and the reader's server writes it into the HTML it sends (server/serve.ts),
// for crawlers and preview bots that run no scripts.
import type { components } from './api/schema.gen.ts';

type PublicArticle = components['schemas']['PublicArticle'];

export interface PageHead {
  title: string;
  description?: string | null | undefined;
  canonicalUrl?: string | undefined;
  imageUrl?: string | undefined;
  type?: 'website' | 'article';
  publishedTime?: string | undefined;
  jsonLd?: unknown;
}

/** The fields of an article its head is made of: what the server asks the API for. */
export const articleHeadFields = 'slug,title,lead,seoTitle,seoDescription,cover,publishedAt,jsonLd';

export const fullTitle = (title: string, siteName: string) => (title === siteName ? title : `${title} — ${siteName}`);

/** A preview picture: the widest JPEG of the whole photo up to 1600 px (what preview bots take). */
function previewImage(cover: NonNullable<PublicArticle['cover']>): string {
  const jpegs = cover.renditions
    .filter((r) => r.aspectRatio === 'original' && r.format === 'jpeg' && r.width <= 1600)
    .sort((a, b) => b.width - a.width);
  return jpegs[0]?.url ?? cover.url;
}

/**
 * The head of an article's page. Addresses are made absolute against the article's canonical URL
 * (the JSON-LD's, on PUBLIC_BASE_URL), or `pageUrl` when the API gave none.
 */
export function articleHead(
  article: Pick<PublicArticle, 'title' | 'lead' | 'seoTitle' | 'seoDescription' | 'cover' | 'publishedAt' | 'jsonLd'>,
  pageUrl: string,
): PageHead {
  const canonicalUrl = article.jsonLd?.url ?? pageUrl;
  return {
    title: article.seoTitle ?? article.title ?? '',
    description: article.seoDescription ?? article.lead,
    canonicalUrl,
    imageUrl: article.cover ? new URL(previewImage(article.cover), canonicalUrl).toString() : undefined,
    type: 'article',
    publishedTime: article.publishedAt,
    jsonLd: article.jsonLd,
  };
}

/** Text for HTML content and attribute values. */
export const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** escapeHtml undone: the text of a value written with it. */
export const unescapeHtml = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&');

/** The meta tags of a head, by attribute and key, in the order they are written. */
export function metaTags(
  head: PageHead,
  siteName: string,
): [attribute: 'name' | 'property', key: string, content: string | null | undefined][] {
  return [
    ['name', 'description', head.description],
    ['property', 'og:site_name', siteName],
    ['property', 'og:title', head.title],
    ['property', 'og:description', head.description],
    ['property', 'og:type', head.type ?? 'website'],
    ['property', 'og:url', head.canonicalUrl],
    ['property', 'og:image', head.imageUrl],
    ['name', 'twitter:card', head.imageUrl ? 'summary_large_image' : 'summary'],
    ['property', 'article:published_time', head.publishedTime],
  ];
}

/** JSON-LD as script text: `<` escaped, so no value can close the script element. */
export const jsonLdText = (jsonLd: unknown) => JSON.stringify(jsonLd).replace(/</g, '\\u003c');

/** The head as HTML, every value escaped. */
export function renderHead(head: PageHead, siteName: string): string {
  const lines = [`<title>${escapeHtml(fullTitle(head.title, siteName))}</title>`];
  for (const [attribute, key, content] of metaTags(head, siteName))
    if (content) lines.push(`<meta ${attribute}="${key}" content="${escapeHtml(content)}" />`);
  if (head.canonicalUrl) lines.push(`<link rel="canonical" href="${escapeHtml(head.canonicalUrl)}" />`);
  if (head.jsonLd) lines.push(`<script type="application/ld+json">${jsonLdText(head.jsonLd)}</script>`);
  return lines.join('\n    ');
}
