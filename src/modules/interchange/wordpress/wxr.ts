import { StringDecoder } from 'node:string_decoder';
import { Parser } from 'htmlparser2';

// A WordPress export (WXR: RSS 2.0 with the wp:, content:, excerpt: and dc: namespaces) read as a stream: the
// site's description, then its authors, categories and tags, then its items one at a time. Only the item being
// read is held in memory; an item that is not well-formed is reported and reading goes on with the next one.

export interface WxrSite {
  title: string | null;
  /** The site's address (`<link>`), else its `wp:base_blog_url`. */
  link: string | null;
  /** The host of that address, the namespace of the posts' ids here (`wordpress:<host>`). */
  host: string;
  language: string | null;
  wxrVersion: string | null;
}

export interface WxrCategory {
  termId: string | null;
  /** Its slug (`wp:category_nicename`), as WordPress stores it (percent-encoded when not latin). */
  nicename: string;
  /** The parent's nicename, or null at the top. */
  parent: string | null;
  name: string;
  description: string | null;
}

export interface WxrTag {
  slug: string;
  name: string;
}

export interface WxrAuthor {
  id: string | null;
  login: string;
  email: string | null;
  displayName: string | null;
  firstName: string | null;
  lastName: string | null;
}

/** A term an item is filed under: `category` or `post_tag` (other taxonomies are kept too, for whoever wants them). */
export interface WxrItemTerm {
  domain: string;
  nicename: string;
  name: string;
}

/** An `<item>`: a post, a page, an attachment, a menu item… Fields are the elements' texts by their names. */
export interface WxrItem {
  /** 1-based position among the file's items. */
  ordinal: number;
  /** Each child element's text by its name (`title`, `link`, `guid`, `content:encoded`, `wp:post_id`, `wp:status`…). */
  fields: Record<string, string>;
  terms: WxrItemTerm[];
  /** `wp:postmeta` pairs (`_thumbnail_id`, `_wp_attachment_image_alt`…), the first value of each key. */
  meta: Record<string, string>;
}

export type WxrEvent =
  | { type: 'site'; site: WxrSite }
  | { type: 'author'; author: WxrAuthor }
  | { type: 'category'; category: WxrCategory }
  | { type: 'tag'; tag: WxrTag }
  | { type: 'item'; item: WxrItem }
  /** Something that could not be read: an item (`ordinal` set) or the file itself (truncated, not WXR). */
  | { type: 'error'; ordinal: number | null; code: 'malformed_item' | 'truncated' | 'not_wxr' | 'item_too_large'; detail: string };

export interface ReadWxrOptions {
  /** The longest text one field may hold (a post's content); an item beyond it is reported, not read. */
  maxFieldChars?: number;
}

export const defaultMaxFieldChars = 8 * 1024 * 1024;

const siteFields = new Set(['title', 'link', 'language', 'wp:wxr_version', 'wp:base_site_url', 'wp:base_blog_url']);

interface RecordFrame {
  kind: 'item' | 'wp:category' | 'wp:tag' | 'wp:author';
  depth: number;
  ordinal: number;
  fields: Record<string, string>;
  terms: WxrItemTerm[];
  meta: Record<string, string>;
  /** An element inside it was closed by another's end tag or by the end of the file. */
  isBroken: boolean;
  isTooLarge: boolean;
}

/** Reads a WXR file as a stream of events; the source may be an HTTP request. */
export async function* readWxr(source: AsyncIterable<Buffer | string>, options: ReadWxrOptions = {}): AsyncGenerator<WxrEvent> {
  const maxFieldChars = options.maxFieldChars ?? defaultMaxFieldChars;
  const queue: WxrEvent[] = [];
  const stack: string[] = [];
  const site: Record<string, string> = {};
  let isSiteSent = false;
  let isRootChecked = false;
  let isNotWxr = false;
  let isChannelClosed = false;
  let ordinal = 0;
  let record: RecordFrame | null = null;
  // Where text goes now, and the depth of the element that set it.
  let capture: { depth: number; append: (text: string) => void } | null = null;
  let term: WxrItemTerm | null = null;
  let meta: { key: string; value: string } | null = null;
  // The depths of <item>s left open by a broken file: items inside them are read as the channel's own.
  const unclosedItems = new Set<number>();

  const sendSite = () => {
    if (isSiteSent) return;
    isSiteSent = true;
    const link = clean(site.link) ?? clean(site['wp:base_blog_url']) ?? clean(site['wp:base_site_url']);
    queue.push({
      type: 'site',
      site: {
        title: clean(site.title),
        link,
        host: hostOf(link) ?? 'unknown',
        language: clean(site.language),
        wxrVersion: clean(site['wp:wxr_version']),
      },
    });
  };

  const appendTo = (target: Record<string, string>, key: string) => (text: string) => {
    const next = (target[key] ?? '') + text;
    if (next.length > maxFieldChars) {
      if (record) record.isTooLarge = true;
      return;
    }
    target[key] = next;
  };

  const finishRecord = (frame: RecordFrame, isImplied: boolean) => {
    if (frame.kind === 'item') {
      if (frame.isTooLarge) {
        queue.push({
          type: 'error',
          ordinal: frame.ordinal,
          code: 'item_too_large',
          detail: `A field of item ${frame.ordinal} is longer than ${maxFieldChars} characters.`,
        });
      } else if (isImplied || frame.isBroken) {
        const name = clean(frame.fields.title);
        queue.push({
          type: 'error',
          ordinal: frame.ordinal,
          code: 'malformed_item',
          detail: `Item ${frame.ordinal}${name ? ` («${name}»)` : ''} is not well-formed XML (an element is not closed); it was not imported.`,
        });
      } else {
        queue.push({ type: 'item', item: { ordinal: frame.ordinal, fields: frame.fields, terms: frame.terms, meta: frame.meta } });
      }
      return;
    }
    if (isImplied || frame.isBroken || frame.isTooLarge) return;
    const f = frame.fields;
    if (frame.kind === 'wp:category') {
      const nicename = clean(f['wp:category_nicename']);
      if (!nicename) return;
      queue.push({
        type: 'category',
        category: {
          termId: clean(f['wp:term_id']),
          nicename,
          parent: clean(f['wp:category_parent']),
          name: clean(f['wp:cat_name']) ?? nicename,
          description: clean(f['wp:category_description']),
        },
      });
    } else if (frame.kind === 'wp:tag') {
      const slug = clean(f['wp:tag_slug']);
      if (slug) queue.push({ type: 'tag', tag: { slug, name: clean(f['wp:tag_name']) ?? slug } });
    } else {
      const login = clean(f['wp:author_login']);
      if (!login) return;
      queue.push({
        type: 'author',
        author: {
          id: clean(f['wp:author_id']),
          login,
          email: clean(f['wp:author_email']),
          displayName: clean(f['wp:author_display_name']),
          firstName: clean(f['wp:author_first_name']),
          lastName: clean(f['wp:author_last_name']),
        },
      });
    }
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        stack.push(name);
        const depth = stack.length;
        const parent = stack[depth - 2];
        if (!isRootChecked) {
          isRootChecked = true;
          if (name !== 'rss') {
            isNotWxr = true;
            queue.push({
              type: 'error',
              ordinal: null,
              code: 'not_wxr',
              detail: `This is not a WordPress export: its root element is <${name}>, not <rss>.`,
            });
          }
        }
        if (isNotWxr) return;
        if (record?.kind === 'item' && name === 'item' && depth === record.depth + 1) {
          // An <item> opened inside another: the other was never closed. It is reported, and this one read as if
          // it stood in the channel (so are those after it, all inside the unclosed one).
          record.isBroken = true;
          finishRecord(record, false);
          unclosedItems.add(record.depth);
          record = null;
          capture = null;
          term = null;
          meta = null;
          return startRecord(name, depth);
        }
        const isInChannel = parent === 'channel' || (parent === 'item' && unclosedItems.has(depth - 1));
        if (!record) {
          if (isInChannel && (name === 'item' || name === 'wp:category' || name === 'wp:tag' || name === 'wp:author')) {
            sendSite();
            return startRecord(name, depth);
          }
          if (isInChannel && !isSiteSent && siteFields.has(name)) capture = { depth, append: appendTo(site, name) };
          return;
        }
        const level = depth - record.depth;
        if (level === 1) {
          if (record.kind === 'item' && name === 'category') {
            term = { domain: attribs.domain ?? 'category', nicename: attribs.nicename ?? '', name: '' };
            const current = term;
            capture = {
              depth,
              append: (text) => {
                current.name += text;
              },
            };
          } else if (record.kind === 'item' && name === 'wp:postmeta') {
            meta = { key: '', value: '' };
          } else if (name !== 'wp:comment') {
            capture = { depth, append: appendTo(record.fields, name) };
          }
        } else if (level === 2 && meta && parent === 'wp:postmeta') {
          const current = meta;
          if (name === 'wp:meta_key')
            capture = {
              depth,
              append: (text) => {
                current.key += text;
              },
            };
          else if (name === 'wp:meta_value') {
            capture = {
              depth,
              append: (text) => {
                if (current.value.length + text.length <= maxFieldChars) current.value += text;
              },
            };
          }
        }
      },
      ontext(text) {
        capture?.append(text);
      },
      onclosetag(name, isImplied) {
        const depth = stack.length;
        if (isImplied && record && depth > record.depth) record.isBroken = true;
        if (capture && capture.depth === depth) capture = null;
        if (record && depth === record.depth + 1) {
          if (name === 'category' && term) {
            if (term.nicename || term.name.trim()) record.terms.push({ ...term, name: term.name.trim() });
            term = null;
          } else if (name === 'wp:postmeta' && meta) {
            const key = meta.key.trim();
            if (key && !(key in record.meta)) record.meta[key] = meta.value;
            meta = null;
          }
        }
        if (record && depth === record.depth) {
          finishRecord(record, isImplied);
          record = null;
        }
        unclosedItems.delete(depth);
        if (name === 'channel' && !isNotWxr) {
          sendSite();
          if (isImplied) {
            queue.push({
              type: 'error',
              ordinal: null,
              code: 'truncated',
              detail: 'The export ends before its end (</channel>): it was cut off or is not well-formed.',
            });
          } else isChannelClosed = true;
        }
        stack.pop();
      },
    },
    { xmlMode: true, decodeEntities: true, recognizeCDATA: true },
  );

  function startRecord(name: string, depth: number) {
    const kind = name as RecordFrame['kind'];
    record = { kind, depth, ordinal: kind === 'item' ? ++ordinal : 0, fields: {}, terms: [], meta: {}, isBroken: false, isTooLarge: false };
  }

  const decoder = new StringDecoder('utf8');
  let isFirst = true;
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (isFirst && text.length > 0) {
      isFirst = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    parser.write(text);
    while (queue.length) yield queue.shift() as WxrEvent;
    if (isNotWxr) return;
  }
  parser.write(decoder.end());
  parser.end();
  if (!isRootChecked)
    queue.push({ type: 'error', ordinal: null, code: 'not_wxr', detail: 'The body holds no XML: it is not a WordPress export.' });
  else if (!isNotWxr && !isChannelClosed && !queue.some((event) => event.type === 'error' && event.code === 'truncated')) {
    queue.push({
      type: 'error',
      ordinal: null,
      code: 'truncated',
      detail: 'The export has no complete <channel>: it was cut off or is not a WordPress export.',
    });
  }
  while (queue.length) yield queue.shift() as WxrEvent;
}

/** A field's text trimmed, or null when empty. */
export function clean(text: string | undefined | null): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
}

function hostOf(link: string | null): string | null {
  if (!link) return null;
  try {
    return new URL(link).host || null;
  } catch {
    return null;
  }
}
