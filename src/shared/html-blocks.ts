import { Parser } from 'htmlparser2';
import type { IncomingBlock, IncomingPhoto } from './incoming-article.ts';

// Foreign HTML (WordPress classic and Gutenberg posts, agency copy) → article body blocks. Paragraph, heading,
// quote and list text is plain text here, so inline markup is flattened; images name their photo by address and
// are fetched by the importer. What cannot be kept (a gallery shortcode, a script) is dropped with a warning.

/** The article block schema's text limits (src/shared/article-blocks.schemas.ts). */
export const HTML_BLOCK_LIMITS = {
  text: 20_000,
  heading: 300,
  attribution: 300,
  listItem: 2000,
  listItems: 100,
  caption: 1000,
  altText: 1000,
  url: 2000,
} as const;

export interface HtmlToBlocksOptions {
  /** The old site's address: relative image and embed addresses are resolved against it. */
  baseUrl?: string | null;
}

export interface HtmlConversion {
  blocks: IncomingBlock[];
  /** What was dropped or shortened, one sentence each, for an import's result line. */
  warnings: string[];
}

/** The blocks of a piece of HTML; see convertHtml for the warnings too. */
export function htmlToBlocks(html: string, options: HtmlToBlocksOptions = {}): IncomingBlock[] {
  return convertHtml(html, options).blocks;
}

// A <br> inside text, kept through whitespace collapsing and turned into a newline at the end.
const LINE_BREAK = '\u2028';

const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'footer',
  'form',
  'header',
  'hgroup',
  'hr',
  'main',
  'nav',
  'p',
  'section',
  'summary',
  'tbody',
  'tfoot',
  'thead',
  'tr',
]);
// Their text is not article text (code, fallbacks, form controls).
const SKIPPED_TAGS = new Set([
  'audio',
  'button',
  'canvas',
  'embed',
  'head',
  'map',
  'math',
  'noscript',
  'object',
  'script',
  'select',
  'style',
  'svg',
  'template',
  'textarea',
  'title',
  'video',
]);
const MEDIA_TAGS = new Set(['audio', 'video', 'object', 'embed']);
const LONE_SHORTCODE = /^\[\/?[a-z][a-z0-9_-]*(?:\s[^\]]*)?\]$/;
const IMAGE_LINK = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#].*)?$/i;
const EMBED_PROVIDERS: Record<string, string> = {
  youtube: 'YouTube',
  vimeo: 'Vimeo',
  twitter: 'Twitter',
  vk: 'VK',
  rutube: 'Rutube',
  dzen: 'Дзен',
  telegram: 'Telegram',
  facebook: 'Facebook',
  instagram: 'Instagram',
};

interface PendingImage {
  url: string;
  altText: string | null;
}

type Frame =
  | { kind: 'inline'; tag: string; href?: string }
  | { kind: 'block'; tag: string }
  | { kind: 'skip'; tag: string }
  | { kind: 'pre'; tag: string }
  | { kind: 'table'; tag: string }
  | { kind: 'cell'; tag: string }
  | { kind: 'heading'; tag: string; level: 2 | 3 }
  | { kind: 'quote'; tag: string; parts: string[]; attribution: string[]; deferred: IncomingBlock[] }
  | { kind: 'cite'; tag: string }
  | { kind: 'list'; tag: string; style: 'bulleted' | 'numbered'; items: string[]; deferred: IncomingBlock[] }
  | { kind: 'item'; tag: string; parts: string[] }
  | { kind: 'figure'; tag: string; image: PendingImage | null; caption: string[] }
  | { kind: 'figcaption'; tag: string };

type Container = Extract<Frame, { kind: 'quote' | 'list' }>;

/** Converts HTML to article blocks: Gutenberg block comments, classic WordPress HTML (with or without <p>), shortcodes. */
export function convertHtml(html: string, options: HtmlToBlocksOptions = {}): HtmlConversion {
  const blocks: IncomingBlock[] = [];
  const warnings = new Set<string>();
  const stack: Frame[] = [];
  let buffer = '';
  // Inside a Gutenberg embed: its markup is a fallback for the embed block already made.
  let suppressedUntil: string | null = null;

  const innermost = <K extends Frame['kind']>(kind: K): Extract<Frame, { kind: K }> | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i]?.kind === kind) return stack[i] as Extract<Frame, { kind: K }>;
    return undefined;
  };
  const has = (kind: Frame['kind']) => stack.some((frame) => frame.kind === kind);
  const outermostContainer = (): Container | undefined =>
    stack.find((frame): frame is Container => frame.kind === 'quote' || frame.kind === 'list');
  const isPreformatted = () => has('pre');

  const warn = (message: string) => warnings.add(message);

  const emit = (block: IncomingBlock) => blocks.push(block);

  // Images and embeds inside a quote or a list come right after it: those blocks hold text only.
  const emitMedia = (block: IncomingBlock) => {
    const container = outermostContainer();
    if (container) container.deferred.push(block);
    else emit(block);
  };

  const emitParagraphs = (raw: string) => {
    for (const text of paragraphsOf(raw, isPreformatted())) {
      // A plugin's shortcode alone in its paragraph (`[contact-form-7 id="5"]`) is markup, not text.
      if (LONE_SHORTCODE.test(text) && /[=_-]/.test(text)) {
        warn(`A shortcode was left out: ${text.slice(0, 80)}`);
        continue;
      }
      for (const piece of splitLong(text, HTML_BLOCK_LIMITS.text)) emit({ type: 'paragraph', text: piece });
      if (text.length > HTML_BLOCK_LIMITS.text) warn(`A paragraph longer than ${HTML_BLOCK_LIMITS.text} characters was split.`);
    }
  };

  // Where the text read so far goes: the innermost frame that collects text, else new paragraphs.
  const flush = () => {
    const raw = buffer;
    buffer = '';
    if (!raw.trim()) return;
    for (let i = stack.length - 1; i >= 0; i--) {
      const frame = stack[i] as Frame;
      switch (frame.kind) {
        case 'heading': {
          const text = oneLine(normalise(raw, false));
          if (text) emit({ type: 'heading', level: frame.level, text: truncate(text, HTML_BLOCK_LIMITS.heading, warn) });
          return;
        }
        case 'cite': {
          const quote = innermost('quote');
          const text = oneLine(normalise(raw, false));
          if (quote && text) quote.attribution.push(text);
          return;
        }
        case 'figcaption': {
          const figure = innermost('figure');
          if (!figure) continue;
          const text = oneLine(normalise(raw, false));
          if (text) figure.caption.push(text);
          return;
        }
        case 'item': {
          const text = normalise(raw, isPreformatted());
          if (text) frame.parts.push(text);
          return;
        }
        case 'quote':
          frame.parts.push(...paragraphsOf(raw, isPreformatted()));
          return;
        case 'figure':
          // Text after a figure's image with no <figcaption> (a [caption] shortcode's) is its caption.
          if (!frame.image) continue;
          frame.caption.push(oneLine(normalise(raw, false)));
          return;
        case 'table':
        case 'pre':
          emitParagraphs(raw);
          return;
        default:
          continue;
      }
    }
    emitParagraphs(raw);
  };

  const emitFigureImage = (figure: Extract<Frame, { kind: 'figure' }>) => {
    if (!figure.image) return;
    const caption = figure.caption.filter(Boolean).join(' ').trim();
    emitMedia(imageBlock(figure.image, caption ? truncate(caption, HTML_BLOCK_LIMITS.caption, warn) : null));
    figure.image = null;
    figure.caption = [];
  };

  const onImage = (attribs: Record<string, string>) => {
    const source = attribs.src || attribs['data-src'] || attribs['data-lazy-src'] || '';
    const linkTarget = [...stack]
      .reverse()
      .find((frame): frame is Extract<Frame, { kind: 'inline' }> => frame.kind === 'inline' && !!frame.href);
    // A thumbnail linked to its full size (WordPress's "link to media file") is imported at full size.
    const preferred = linkTarget?.href && IMAGE_LINK.test(linkTarget.href) ? linkTarget.href : source;
    const url = absoluteUrl(preferred, options.baseUrl) ?? absoluteUrl(source, options.baseUrl);
    if (!url) {
      if (source) warn('An image without a web address (data: or relative with no site address) was left out.');
      return;
    }
    const alt = oneLine(normalise(attribs.alt ?? '', false));
    const image: PendingImage = { url, altText: alt ? truncate(alt, HTML_BLOCK_LIMITS.altText, warn) : null };
    const figure = innermost('figure');
    if (figure) {
      emitFigureImage(figure);
      flush();
      figure.image = image;
      return;
    }
    flush();
    emitMedia(imageBlock(image, null));
  };

  const onEmbed = (address: string, provider?: string | null) => {
    const url = absoluteUrl(address, options.baseUrl);
    if (!url) return;
    flush();
    emitMedia({ type: 'embed', url, ...(provider ? { provider } : {}) });
  };

  const openFrame = (tag: string, attribs: Record<string, string>): Frame => {
    if (suppressedUntil || has('skip')) return { kind: 'skip', tag };
    if (SKIPPED_TAGS.has(tag)) {
      if (MEDIA_TAGS.has(tag)) warn(`A <${tag}> was left out: only images and embeds are kept.`);
      return { kind: 'skip', tag };
    }
    const inContainer = has('quote') || has('item');
    if (/^h[1-6]$/.test(tag)) {
      flush();
      if (inContainer || has('heading')) return { kind: 'block', tag };
      return { kind: 'heading', tag, level: tag === 'h1' || tag === 'h2' ? 2 : 3 };
    }
    switch (tag) {
      case 'br':
        buffer += LINE_BREAK;
        return { kind: 'inline', tag };
      case 'img':
        onImage(attribs);
        return { kind: 'inline', tag };
      case 'iframe':
        if (attribs.src) onEmbed(attribs.src);
        return { kind: 'skip', tag };
      case 'a':
        return { kind: 'inline', tag, href: attribs.href };
      case 'blockquote':
        flush();
        if (has('quote') || has('item')) return { kind: 'block', tag };
        return { kind: 'quote', tag, parts: [], attribution: [], deferred: [] };
      case 'cite':
        if (!has('quote')) return { kind: 'inline', tag };
        flush();
        return { kind: 'cite', tag };
      // A quote's <footer> is its attribution too (our own ninjs and RSS bodies write it so).
      case 'footer':
        flush();
        return has('quote') ? { kind: 'cite', tag } : { kind: 'block', tag };
      case 'ul':
      case 'ol': {
        flush();
        if (has('quote')) return { kind: 'block', tag };
        const parentItem = innermost('item');
        const list = innermost('list');
        if (list) {
          // A nested list's items follow their parent item's own text in the one flat list.
          if (parentItem?.parts.length) list.items.push(parentItem.parts.join(' '));
          if (parentItem) parentItem.parts = [];
          return { kind: 'block', tag };
        }
        return { kind: 'list', tag, style: tag === 'ol' ? 'numbered' : 'bulleted', items: [], deferred: [] };
      }
      case 'li':
        flush();
        return { kind: 'item', tag, parts: [] };
      case 'figure':
        flush();
        return { kind: 'figure', tag, image: null, caption: [] };
      case 'figcaption':
        flush();
        return { kind: 'figcaption', tag };
      case 'pre':
        flush();
        return { kind: 'pre', tag };
      case 'table':
        flush();
        return inContainer ? { kind: 'block', tag } : { kind: 'table', tag };
      case 'td':
      case 'th':
        if (buffer.trim()) buffer += ' | ';
        return { kind: 'cell', tag };
      default:
        if (BLOCK_TAGS.has(tag)) {
          flush();
          return { kind: 'block', tag };
        }
        return { kind: 'inline', tag };
    }
  };

  const closeFrame = (frame: Frame) => {
    switch (frame.kind) {
      case 'item': {
        const text = frame.parts.join(' ').trim();
        const list = innermost('list');
        if (list && text) list.items.push(text);
        // A stray <li> (or one in a quote): its text goes where loose text would.
        else {
          buffer = text;
          flush();
        }
        return;
      }
      case 'figure':
        if (frame.image) emitFigureImage(frame);
        else {
          buffer = frame.caption.join(' ');
          flush();
        }
        return;
      case 'quote': {
        const text = frame.parts.filter(Boolean).join('\n').trim();
        const attribution = frame.attribution
          .join(' ')
          .replace(/^[\s—–-]+/, '')
          .trim();
        if (text) {
          emit({
            type: 'quote',
            text: truncate(text, HTML_BLOCK_LIMITS.text, warn),
            ...(attribution ? { attribution: truncate(attribution, HTML_BLOCK_LIMITS.attribution, warn) } : {}),
          });
        }
        for (const block of frame.deferred) emitMedia(block);
        return;
      }
      case 'list': {
        const items = frame.items.map((item) => truncate(item, HTML_BLOCK_LIMITS.listItem, warn));
        for (let i = 0; i < items.length; i += HTML_BLOCK_LIMITS.listItems) {
          emit({ type: 'list', style: frame.style, items: items.slice(i, i + HTML_BLOCK_LIMITS.listItems) });
        }
        for (const block of frame.deferred) emitMedia(block);
        return;
      }
      default:
        return;
    }
  };

  const onComment = (data: string) => {
    const marker = /^\s*(\/)?wp:([a-z0-9-]+(?:\/[a-z0-9-]+)?)\s*(\{[\s\S]*\})?\s*(\/)?\s*$/.exec(data);
    if (!marker) return;
    const [, closing, name = '', json] = marker;
    if (closing) {
      if (suppressedUntil === name) suppressedUntil = null;
      return;
    }
    if (suppressedUntil) return;
    const isEmbed = name === 'embed' || name.startsWith('core-embed/');
    if (!isEmbed) return;
    const attrs = parseJsonObject(json);
    const url = typeof attrs?.url === 'string' ? attrs.url : null;
    if (!url) return;
    const slug = typeof attrs?.providerNameSlug === 'string' ? attrs.providerNameSlug : name.replace('core-embed/', '');
    onEmbed(url, EMBED_PROVIDERS[slug] ?? null);
    if (!marker[4]) suppressedUntil = name;
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        stack.push(openFrame(name.toLowerCase(), attribs));
      },
      onclosetag() {
        const frame = stack.at(-1);
        if (!frame) return;
        // The frame's own text is delivered while it is still open; what it then makes goes to its parent.
        if (frame.kind !== 'inline' && frame.kind !== 'cell' && frame.kind !== 'skip') flush();
        stack.pop();
        closeFrame(frame);
      },
      ontext(text) {
        if (suppressedUntil || has('skip')) return;
        buffer += text;
      },
      oncomment: onComment,
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(shortcodesToHtml(html, warn));
  flush();
  return { blocks, warnings: [...warnings] };
}

function imageBlock(image: PendingImage, caption: string | null): IncomingBlock {
  const photo: IncomingPhoto = { url: image.url, caption, altText: image.altText };
  return caption ? { type: 'image', photo, caption } : { type: 'image', photo };
}

// Classic WordPress content keeps a few shortcodes in the text: [caption] wraps an image and its caption, [embed]
// an address; the rest ([gallery], [video]…) name things by id only and are dropped.
function shortcodesToHtml(html: string, warn: (message: string) => void): string {
  if (!html.includes('[')) return html;
  return html
    .replace(/\[caption\b[^\]]*\]([\s\S]*?)\[\/caption\]/gi, (_whole, inner: string) => {
      const image = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(inner);
      if (!image) return inner;
      return `<figure>${image[1]}<figcaption>${image[2]}</figcaption></figure>`;
    })
    .replace(/\[embed\b[^\]]*\]\s*(https?:\/\/[^\s[<]+)\s*\[\/embed\]/gi, (_whole, url: string) => `<iframe src="${url}"></iframe>`)
    .replace(/\[(gallery|video|audio|playlist)\b[^\]]*\](?:[\s\S]*?\[\/\1\])?/gi, (_whole, name: string) => {
      warn(`A [${name.toLowerCase()}] shortcode was left out.`);
      return '';
    });
}

function parseJsonObject(json: string | undefined): Record<string, unknown> | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function absoluteUrl(address: string | undefined, base: string | null | undefined): string | null {
  const trimmed = address?.trim();
  if (!trimmed) return null;
  let url: URL;
  try {
    url = base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const href = url.href;
  return href.length <= HTML_BLOCK_LIMITS.url ? href : null;
}

/** Source whitespace collapses to a space; a <br> stays a newline; preformatted text keeps its lines. */
function normalise(raw: string, preformatted: boolean): string {
  if (preformatted) {
    return raw
      .replace(/\r\n?/g, '\n')
      .replaceAll(LINE_BREAK, '\n')
      .replace(/^\s*\n|\s+$/g, '');
  }
  return raw
    .replace(/[ \t\n\r\f]+/g, ' ')
    .replace(new RegExp(` ?${LINE_BREAK} ?`, 'g'), '\n')
    .trim();
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

// WordPress's autop: a blank line in the source, or two <br> in a row, starts a new paragraph.
function paragraphsOf(raw: string, preformatted: boolean): string[] {
  if (preformatted) {
    const text = normalise(raw, true);
    return text.trim() ? [text] : [];
  }
  return raw
    .split(/\n[ \t\r\f]*\n/)
    .flatMap((piece) => normalise(piece, false).split(/\n\s*\n/))
    .map((text) => text.trim())
    .filter(Boolean);
}

/** Cuts before `max` at a word boundary, with an ellipsis. */
function truncate(text: string, max: number, warn: (message: string) => void): string {
  if (text.length <= max) return text;
  warn(`A text longer than ${max} characters was shortened.`);
  let cut = text.lastIndexOf(' ', max - 1);
  if (cut < max / 2) cut = max - 1;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}…`;
}

/** Splits at sentence ends (else at spaces) into pieces of at most `max` characters. */
function splitLong(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = Math.max(window.lastIndexOf('. '), window.lastIndexOf('! '), window.lastIndexOf('? '), window.lastIndexOf('\n')) + 1;
    if (cut < max / 2) cut = window.lastIndexOf(' ') + 1;
    if (cut < max / 2) cut = max;
    if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut -= 1;
    const piece = rest.slice(0, cut).trim();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim()) pieces.push(rest.trim());
  return pieces;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The text of a piece of HTML (an excerpt, a summary): its blocks' texts, a blank line between them, images left out. */
export function htmlToText(html: string): string {
  return htmlToBlocks(html)
    .flatMap((block) => {
      switch (block.type) {
        case 'paragraph':
        case 'heading':
        case 'quote':
          return [block.text];
        case 'list':
          return [block.items.join('\n')];
        default:
          return [];
      }
    })
    .join('\n\n');
}

/** Shortens text to at most `max` characters at a word boundary, ending with an ellipsis. */
export function shortenText(text: string, max: number): string {
  return truncate(text, max, () => undefined);
}
