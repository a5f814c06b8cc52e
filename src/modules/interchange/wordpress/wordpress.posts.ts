import { convertHtml, htmlToText, shortenText } from '../../../shared/html-blocks.ts';
import type { IncomingArticle, IncomingPhoto, IncomingRubric, IncomingStatus } from '../../../shared/incoming-article.ts';
import { isValidSlug, slugify } from '../../../shared/slug.ts';
import { clean, type WxrAuthor, type WxrCategory, type WxrItem, type WxrSite } from './wxr.ts';

// A WordPress post as an incoming article: its HTML (classic or Gutenberg) as blocks, its category (with the
// category's parents) as the rubric, its tags, its author, its featured image as the cover, its old addresses.

/** What the export said before its posts, and the attachments read so far (featured images by post id). */
export interface WordpressContext {
  site: WxrSite | null;
  authors: Map<string, WxrAuthor>;
  categories: Map<string, WxrCategory>;
  attachments: Map<string, IncomingPhoto>;
}

export const createWordpressContext = (): WordpressContext => ({
  site: null,
  authors: new Map(),
  categories: new Map(),
  attachments: new Map(),
});

// The limits of the article fields (articles.schemas.ts).
const limits = { title: 300, lead: 1000, blocks: 500, rubricDepth: 10 };
// WordPress's default category, which says nothing about a post.
const defaultCategories = new Set(['uncategorized', 'без-рубрики', 'bez-rubriki']);

/** What becomes of an item: a post to import (with its featured image's id, which may come later), or a skip. */
export type WordpressItemPlan =
  | {
      kind: 'post';
      article: IncomingArticle;
      /** `_thumbnail_id`: the attachment whose image is the cover (null: none). */
      thumbnailId: string | null;
      /** Published there: published here too when the import publishes. */
      isPublished: boolean;
      /** The post's own name as a slug, kept as a former slug when the article gets another one. */
      formerSlug: string | null;
      warnings: string[];
    }
  | { kind: 'attachment'; id: string | null; photo: IncomingPhoto | null }
  | { kind: 'skip'; type: string; reason: string };

/** WordPress keeps non-latin slugs percent-encoded (`%d0%b3…`): the text they stand for. */
export function decodeWordpressSlug(slug: string): string {
  try {
    return decodeURIComponent(slug).trim().toLowerCase();
  } catch {
    return slug.trim().toLowerCase();
  }
}

/** A WXR time (`2024-08-20 07:30:00`, UTC for the `_gmt` fields); null for WordPress's zero date or nonsense. */
export function wordpressTime(value: string | null | undefined, isUtc = true): Date | null {
  const text = clean(value);
  if (!text || text.startsWith('0000')) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${isUtc ? 'Z' : ''}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** What to do with one item of the export. */
export function planWordpressItem(item: WxrItem, ctx: WordpressContext): WordpressItemPlan {
  const f = item.fields;
  const type = clean(f['wp:post_type']) ?? 'post';
  if (type === 'attachment') return { kind: 'attachment', id: clean(f['wp:post_id']), photo: attachmentPhotoOf(item) };
  if (type !== 'post') return { kind: 'skip', type, reason: `a WordPress ${type} is not imported (only posts are)` };
  const status = clean(f['wp:status']) ?? 'draft';
  if (status === 'trash') return { kind: 'skip', type: 'article', reason: 'the post is in the WordPress trash' };
  if (status === 'auto-draft' || status === 'inherit')
    return { kind: 'skip', type: 'article', reason: `a WordPress ${status} is not imported` };

  const warnings: string[] = [];
  const site = ctx.site;
  const postId = clean(f['wp:post_id']);
  const externalId = clean(f.guid) ?? (postId ? `${site?.link ?? ''}/?p=${postId}` : null);
  if (!externalId) return { kind: 'skip', type: 'article', reason: 'the post has neither a guid nor a post id' };

  const { blocks, warnings: bodyWarnings } = convertHtml(f['content:encoded'] ?? '', { baseUrl: site?.link ?? null });
  warnings.push(...bodyWarnings);
  if (blocks.length > limits.blocks) warnings.push(`the body had ${blocks.length} blocks: only the first ${limits.blocks} were kept`);
  const body = blocks.slice(0, limits.blocks);
  const leadText = oneLine(htmlToText(f['excerpt:encoded'] ?? ''));
  const lead = leadText ? shortenText(leadText, limits.lead) : null;
  if (!body.length && !lead) return { kind: 'skip', type: 'article', reason: 'the post has no text' };

  let title = oneLine(htmlToText(f.title ?? ''));
  if (!title) {
    title = shortenText(lead ?? firstText(body) ?? 'Без заголовка', 120);
    warnings.push('the post had no title: one was made from its text');
  }
  title = shortenText(title, limits.title);

  const isPublished = status === 'publish';
  const pubstatus: IncomingStatus = status === 'private' ? 'withheld' : 'usable';
  if (status === 'future') warnings.push('scheduled in WordPress: imported as a draft');
  const modified = wordpressTime(f['wp:post_modified_gmt']) ?? wordpressTime(f['wp:post_modified'], false);
  const postName = clean(f['wp:post_name']);
  const formerSlug = postName ? slugFromName(postName) : null;

  const article: IncomingArticle = {
    origin: 'wordpress',
    source: `wordpress:${site?.host ?? 'unknown'}`,
    externalId,
    externalVersion: clean(f['wp:post_modified_gmt']) ?? clean(f['wp:post_modified']),
    versionCreatedAt: modified,
    status: pubstatus,
    embargoUntil: null,
    title,
    lead,
    body,
    rubric: rubricOf(item, ctx),
    tags: item.terms
      .filter((term) => term.domain === 'post_tag')
      .map((term) => ({ slug: decodeWordpressSlug(term.nicename) || null, name: term.name || decodeWordpressSlug(term.nicename) })),
    authors: authorsOf(clean(f['dc:creator']), ctx),
    cover: null,
    publishedAt: isPublished
      ? (wordpressTime(f['wp:post_date_gmt']) ?? rssTime(f.pubDate) ?? wordpressTime(f['wp:post_date'], false))
      : null,
    slug: formerSlug,
    // Only a published post had addresses people could link to.
    redirectPaths: isPublished ? oldPathsOf(clean(f.link), postId) : [],
  };
  return { kind: 'post', article, thumbnailId: clean(item.meta._thumbnail_id), isPublished, formerSlug, warnings };
}

function attachmentPhotoOf(item: WxrItem): IncomingPhoto | null {
  const url = clean(item.fields['wp:attachment_url']) ?? clean(item.fields.guid);
  if (!url || !/^https?:\/\//i.test(url)) return null;
  const caption = oneLine(htmlToText(item.fields['excerpt:encoded'] ?? ''));
  const altText = clean(item.meta._wp_attachment_image_alt);
  return { url, caption: caption ? shortenText(caption, 1000) : null, altText: altText ? shortenText(altText, 1000) : null, credit: null };
}

/** The post's most specific category (the deepest; the first of equals), with its parents, as the rubric. */
function rubricOf(item: WxrItem, ctx: WordpressContext): IncomingRubric | null {
  const candidates = item.terms.filter(
    (term) => term.domain === 'category' && !defaultCategories.has(decodeWordpressSlug(term.nicename || term.name)),
  );
  let best: IncomingRubric | null = null;
  let bestDepth = -1;
  for (const term of candidates) {
    const rubric = rubricChainOf(term.nicename, term.name, ctx);
    let depth = 0;
    for (let r = rubric.parent; r; r = r.parent) depth++;
    if (depth > bestDepth) {
      best = rubric;
      bestDepth = depth;
    }
  }
  return best;
}

function rubricChainOf(nicename: string, name: string, ctx: WordpressContext, seen = new Set<string>()): IncomingRubric {
  const category = ctx.categories.get(nicename);
  seen.add(nicename);
  const parentName = category?.parent ?? null;
  const parent =
    parentName && !seen.has(parentName) && seen.size < limits.rubricDepth
      ? rubricChainOf(parentName, ctx.categories.get(parentName)?.name ?? parentName, ctx, seen)
      : null;
  return { slug: decodeWordpressSlug(nicename), name: category?.name ?? name, parent };
}

function authorsOf(login: string | null, ctx: WordpressContext): IncomingArticle['authors'] {
  if (!login) return [];
  const author = ctx.authors.get(login);
  if (!author) return [{ displayName: login }];
  const fullName = [author.firstName, author.lastName].filter(Boolean).join(' ');
  return [{ displayName: author.displayName ?? (fullName || login), email: author.email }];
}

/** The permalink's path (and query: `/?p=123` without pretty permalinks), and the shortlink `/?p=<id>`. */
function oldPathsOf(link: string | null, postId: string | null): string[] {
  const paths: string[] = [];
  if (link) {
    try {
      const url = new URL(link);
      paths.push(url.pathname + url.search);
    } catch {
      // Not an address: only the shortlink is kept.
    }
  }
  if (postId && /^\d+$/.test(postId)) paths.push(`/?p=${postId}`);
  return [...new Set(paths)];
}

function slugFromName(postName: string): string | null {
  const decoded = decodeWordpressSlug(postName);
  if (isValidSlug(decoded)) return decoded;
  return slugify(decoded) || null;
}

function rssTime(value: string | undefined): Date | null {
  const text = clean(value);
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970 ? null : date;
}

// Source whitespace only: a no-break space is the text's own.
const oneLine = (text: string) => text.replace(/[ \t\n\r\f]+/g, ' ').trim();

function firstText(body: IncomingArticle['body']): string | null {
  for (const block of body) if ('text' in block && block.text) return oneLine(block.text);
  return null;
}
