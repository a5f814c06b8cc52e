import { DomUtils, parseDocument } from 'htmlparser2';

type Element = ReturnType<typeof DomUtils.getElementsByTagName>[number];
import { htmlToBlocks } from '../../shared/html-blocks.ts';
import type { IncomingArticle, IncomingBlock, IncomingPhoto } from '../../shared/incoming-article.ts';
import type { WireFormat } from './wire.schemas.ts';

/** Turns one ninjs item (parsed JSON) into an incoming article of the source, or throws why it cannot. */
export type NinjsParser = (item: unknown, context: { source: string }) => IncomingArticle;

/** Where a feed's items go: the source namespace of their ids, and the wire source's rubric. */
export interface FeedContext {
  source: string;
  rubricId: string | null;
  parseNinjs: NinjsParser;
}

export interface ParsedFeed {
  items: IncomingArticle[];
  /** Items left out, one sentence each (no id, not ninjs). */
  problems: string[];
}

export class FeedFormatError extends Error {
  override name = 'FeedFormatError';
}

// The article schema's limits: a longer agency headline or lead is cut rather than refused.
const maxTitle = 300;
const maxLead = 1000;
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/** The items of a fetched feed, each an incoming wire article for the source's rubric. */
export function parseFeed(body: Buffer, format: WireFormat, context: FeedContext): ParsedFeed {
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  const parsed = format === 'ninjs' ? ninjsItems(text, context) : xmlFeedItems(text, context);
  // The source's rubric wins: a wire source names where its copy goes.
  return {
    ...parsed,
    items: parsed.items.map((item) => ({ ...item, origin: 'wire', rubric: context.rubricId ? { id: context.rubricId } : null })),
  };
}

// --- ninjs: a JSON array of items, `{ "items": [...] }`, or NDJSON (one item a line)

function ninjsItems(text: string, context: FeedContext): ParsedFeed {
  const trimmed = text.trim();
  let values: unknown[];
  try {
    const whole: unknown = JSON.parse(trimmed);
    if (Array.isArray(whole)) values = whole;
    else if (isObject(whole) && Array.isArray(whole.items)) values = whole.items;
    else values = [whole];
  } catch {
    values = [];
    for (const [index, line] of trimmed.split('\n').entries()) {
      if (!line.trim()) continue;
      try {
        values.push(JSON.parse(line));
      } catch {
        if (index === 0) throw new FeedFormatError('the feed is neither JSON nor NDJSON');
        values.push(new FeedFormatError(`line ${index + 1} is not JSON`));
      }
    }
  }
  const items: IncomingArticle[] = [];
  const problems: string[] = [];
  for (const [index, value] of values.entries()) {
    if (value instanceof FeedFormatError) {
      problems.push(value.message);
      continue;
    }
    try {
      items.push(context.parseNinjs(value, { source: context.source }));
    } catch (error) {
      problems.push(`item ${index + 1}: ${(error as Error).message}`.slice(0, 300));
    }
  }
  return { items, problems };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// --- RSS 2.0 (and RSS 1.0 / RDF) and Atom

function xmlFeedItems(text: string, context: FeedContext): ParsedFeed {
  const document = parseDocument(text, { xmlMode: true });
  const root = DomUtils.findOne((e) => ['rss', 'feed', 'rdf:RDF'].includes(e.name), document.children, true);
  if (!root) throw new FeedFormatError('the feed is neither RSS nor Atom');
  const isAtom = root.name === 'feed';
  const entries = DomUtils.getElementsByTagName(isAtom ? 'entry' : 'item', root, true);
  const items: IncomingArticle[] = [];
  const problems: string[] = [];
  for (const [index, entry] of entries.entries()) {
    const item = isAtom ? atomItem(entry, context.source) : rssItem(entry, context.source);
    if (typeof item === 'string') problems.push(`item ${index + 1}: ${item}`);
    else items.push(item);
  }
  return { items, problems };
}

/** The text of the first child element of that name (CDATA included), or null. */
function childText(parent: Element, name: string): string | null {
  const child = DomUtils.getElementsByTagName(name, parent.children, false, 1)[0];
  if (!child) return null;
  const text = DomUtils.textContent(child).trim();
  return text || null;
}

const children = (parent: Element, name: string): Element[] => DomUtils.getElementsByTagName(name, parent.children, false);

function dateOf(text: string | null): Date | null {
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Plain text of a piece of HTML (a description used as the lead). */
function textOf(html: string): string {
  return DomUtils.textContent(parseDocument(html)).replace(/\s+/g, ' ').trim();
}

function bodyOf(html: string | null, baseUrl: string | null): IncomingBlock[] {
  if (!html) return [];
  return htmlToBlocks(html, baseUrl ? { baseUrl } : {});
}

function imageOf(entry: Element): IncomingPhoto | null {
  for (const media of [...children(entry, 'media:content'), ...children(entry, 'media:thumbnail')]) {
    const url = media.attribs.url;
    const isImage = media.name === 'media:thumbnail' || media.attribs.medium === 'image' || media.attribs.type?.startsWith('image/');
    if (url && isImage)
      return {
        url,
        caption: childText(media, 'media:title') ?? childText(media, 'media:description'),
        credit: childText(media, 'media:credit'),
      };
  }
  const enclosure = children(entry, 'enclosure').find((e) => e.attribs.type?.startsWith('image/') && e.attribs.url);
  if (enclosure) return { url: enclosure.attribs.url!, caption: null, credit: null };
  const link = children(entry, 'link').find((e) => e.attribs.rel === 'enclosure' && e.attribs.type?.startsWith('image/') && e.attribs.href);
  return link ? { url: link.attribs.href!, caption: link.attribs.title ?? null, credit: null } : null;
}

function article(fields: {
  source: string;
  externalId: string;
  title: string;
  summaryHtml: string | null;
  contentHtml: string | null;
  link: string | null;
  updatedAt: Date | null;
  publishedAt: Date | null;
  tags: string[];
  authors: string[];
  cover: IncomingPhoto | null;
}): IncomingArticle {
  // The full text when the feed has it, the summary as its lead; else the summary is the text.
  const body = bodyOf(fields.contentHtml ?? fields.summaryHtml, fields.link);
  const lead = fields.contentHtml && fields.summaryHtml ? cut(textOf(fields.summaryHtml), maxLead) || null : null;
  return {
    origin: 'wire',
    source: fields.source,
    externalId: fields.externalId,
    externalVersion: null,
    versionCreatedAt: fields.updatedAt ?? fields.publishedAt,
    status: 'usable',
    embargoUntil: null,
    title: cut(fields.title, maxTitle),
    lead,
    body,
    rubric: null,
    tags: [...new Set(fields.tags.map((t) => t.trim()).filter(Boolean))].slice(0, 20).map((name) => ({ name })),
    authors: [...new Set(fields.authors.map((a) => a.trim()).filter(Boolean))].slice(0, 10).map((displayName) => ({ displayName })),
    cover: fields.cover,
    publishedAt: fields.publishedAt,
  };
}

function rssItem(entry: Element, source: string): IncomingArticle | string {
  const link = childText(entry, 'link');
  const externalId = childText(entry, 'guid') ?? link ?? (entry.attribs['rdf:about'] || null);
  if (!externalId) return 'no guid or link';
  const description = childText(entry, 'description');
  const title = childText(entry, 'title') ?? (description ? cut(textOf(description), maxTitle) : null);
  if (!title) return 'no title';
  const pubDate = dateOf(childText(entry, 'pubDate') ?? childText(entry, 'dc:date'));
  return article({
    source,
    externalId: externalId.slice(0, 1000),
    title,
    summaryHtml: description,
    contentHtml: childText(entry, 'content:encoded'),
    link,
    updatedAt: pubDate,
    publishedAt: pubDate,
    tags: children(entry, 'category').map((c) => DomUtils.textContent(c)),
    authors: [...children(entry, 'dc:creator'), ...children(entry, 'author')].map((a) =>
      DomUtils.textContent(a).replace(/^\S+@\S+\s*\((.*)\)$/, '$1'),
    ),
    cover: imageOf(entry),
  });
}

function atomItem(entry: Element, source: string): IncomingArticle | string {
  const links = children(entry, 'link');
  const link = (links.find((l) => !l.attribs.rel || l.attribs.rel === 'alternate') ?? links[0])?.attribs.href ?? null;
  const externalId = childText(entry, 'id') ?? link;
  if (!externalId) return 'no id or link';
  const title = childText(entry, 'title');
  if (!title) return 'no title';
  const published = dateOf(childText(entry, 'published') ?? childText(entry, 'issued'));
  const updated = dateOf(childText(entry, 'updated') ?? childText(entry, 'modified'));
  // Atom's text constructs: `html` is escaped HTML (its text is the markup), `text` is plain text, `xhtml` is markup inline.
  const htmlOf = (name: string): string | null => {
    const element = children(entry, name)[0];
    if (!element) return null;
    if (element.attribs.type === 'xhtml') return DomUtils.getInnerHTML(element, { xmlMode: true }) || null;
    const text = DomUtils.textContent(element).trim();
    if (!text) return null;
    return element.attribs.type === 'html' ? text : text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
  };
  return article({
    source,
    externalId: externalId.slice(0, 1000),
    title,
    summaryHtml: htmlOf('summary'),
    contentHtml: htmlOf('content'),
    link,
    updatedAt: updated,
    publishedAt: published ?? updated,
    tags: children(entry, 'category').map((c) => c.attribs.label ?? c.attribs.term ?? ''),
    authors: children(entry, 'author').map((a) => childText(a, 'name') ?? ''),
    cover: imageOf(entry),
  });
}
