import type { PublicUrls } from '../../shared/public-urls.ts';
import type { MediaResponse } from '../media/media.schemas.ts';
import { NINJS_SCHEMA_URI, type NinjsItem, type NinjsPicture } from './articles.ninjs.schemas.ts';
import type { PublicArticleBlockResponse, PublicArticleResponse } from './articles.public.schemas.ts';

/** What a ninjs item says about the site that publishes it. */
export interface NinjsSite {
  urls: PublicUrls;
  /** The copyright holder of every article. */
  name: string;
  language: string;
  /** SITE_COPYRIGHT_NOTICE. */
  copyrightNotice: string;
  /** A body as HTML, the way feeds give it (syndication's renderer, handed in: it reads articles, not the other way). */
  bodyHtml: (blocks: readonly PublicArticleBlockResponse[]) => string;
}

/** What an article's public shape leaves out and ninjs states. */
export interface NinjsFacts {
  version: number;
  createdAt: Date | string;
  /** A time in the future makes the item `embargoed` until then. */
  embargoUntil?: Date | string | null;
  /** `usable` unless said: an export of an unpublished article says `canceled` or `withheld`. */
  pubstatus?: NinjsItem['pubstatus'];
}

export type ArticleNinjsMapper = (article: PublicArticleResponse, facts: NinjsFacts) => NinjsItem;

const iso = (time: Date | string) => new Date(time).toISOString();

/** The body as plain text: a block a paragraph, a quote with its attribution, a list an item a line; no captions. */
export function bodyPlainText(blocks: readonly PublicArticleBlockResponse[]): string {
  return blocks
    .flatMap((block) => {
      switch (block.type) {
        case 'paragraph':
        case 'heading':
          return [block.text];
        case 'quote':
          return [block.attribution ? `${block.text}\n— ${block.attribution}` : block.text];
        case 'list':
          return [block.items.map((item, i) => (block.style === 'numbered' ? `${i + 1}. ${item}` : `• ${item}`)).join('\n')];
        default:
          return [];
      }
    })
    .join('\n\n');
}

const wordCount = (text: string) => text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;

/** A photo as a ninjs picture: its file and each resized copy as renditions, its caption, alternative text and credit. */
function pictureOf(name: string, media: MediaResponse, urls: PublicUrls, caption?: string | null): NinjsPicture {
  const size = (width: number | null, height: number | null, bytes: number | null) => ({
    ...(width ? { width } : {}),
    ...(height ? { height } : {}),
    ...(bytes ? { sizeinbytes: bytes } : {}),
  });
  const shownCaption = caption ?? media.caption;
  const descriptions = [
    ...(shownCaption ? [{ role: 'caption', contenttype: 'text/plain', value: shownCaption }] : []),
    ...(media.altText ? [{ role: 'alt', contenttype: 'text/plain', value: media.altText }] : []),
  ];
  return {
    name,
    uri: urls.absolute(media.url),
    type: 'picture',
    ...(descriptions.length ? { descriptions } : {}),
    ...(media.credit ? { by: media.credit } : {}),
    ...(media.source ? { copyrightholder: media.source } : {}),
    renditions: [
      {
        name: 'original',
        href: urls.absolute(media.url),
        contenttype: media.mimeType,
        ...size(media.width, media.height, media.sizeBytes),
      },
      ...media.renditions.map((r) => ({
        name: `${r.format}-${r.aspectRatio.replace(':', 'x')}-${r.width}`,
        href: urls.absolute(r.url),
        contenttype: r.mimeType,
        ...size(r.width, r.height, r.sizeBytes),
      })),
    ],
  };
}

/**
 * Builds the ninjs 2.0 item of an article in its full public shape (every relation embedded, no `fields`): headline,
 * lead, body as HTML and text, rubric and tags, authors, cover and body photos, with the site's copyright.
 */
export function createArticleNinjs(site: NinjsSite, now: () => Date): ArticleNinjsMapper {
  return (article, facts) => {
    const slug = article.slug ?? '';
    const blocks = article.body ?? [];
    const text = bodyPlainText(blocks);
    const counts = { charcount: text.length, wordcount: wordCount(text) };
    const authors = article.authors ?? [];
    const embargoUntil = facts.embargoUntil ? new Date(facts.embargoUntil) : null;
    const subjects = [
      ...(article.rubric
        ? [{ name: article.rubric.name, rel: 'section', uri: site.urls.rubric(article.rubric.slug), literal: article.rubric.slug }]
        : []),
      ...(article.tags ?? []).map((tag) => ({
        name: tag.name,
        rel: 'tag',
        uri: site.urls.absolute(`/v1/articles?tag=${encodeURIComponent(tag.slug)}`),
        literal: tag.slug,
      })),
    ];
    const people = authors.map((author) => ({
      name: author.displayName,
      rel: 'author',
      uri: site.urls.absolute(`/v1/articles?author=${encodeURIComponent(author.slug)}`),
      literal: author.slug,
    }));
    const photos = blocks.flatMap((block) => (block.type === 'image' ? [block] : []));
    const associations = [
      ...(article.cover ? [pictureOf('cover', article.cover, site.urls)] : []),
      ...photos.map((block, i) => pictureOf(`photo-${i + 1}`, block.media, site.urls, block.caption)),
    ];
    return {
      uri: site.urls.article(slug),
      type: 'text',
      representationtype: 'full',
      version: String(facts.version),
      // The first public version; the draft it grew from, as the content's creation.
      firstcreated: iso(article.publishedAt ?? facts.createdAt),
      versioncreated: iso(article.updatedAt ?? facts.createdAt),
      contentcreated: iso(facts.createdAt),
      ...(embargoUntil && embargoUntil > now() ? { embargoed: embargoUntil.toISOString() } : {}),
      pubstatus: facts.pubstatus ?? 'usable',
      language: site.language,
      copyrightholder: site.name,
      copyrightnotice: site.copyrightNotice,
      ...(article.adMarking ? { usageterms: article.adMarking.text } : {}),
      headlines: [{ role: 'main', contenttype: 'text/plain', value: article.title ?? '' }],
      ...(article.lead ? { descriptions: [{ role: 'summary', contenttype: 'text/plain', value: article.lead }] } : {}),
      bodies: [
        { role: 'main', contenttype: 'text/html', value: site.bodyHtml(blocks), ...counts },
        { role: 'main', contenttype: 'text/plain', value: text, ...counts },
      ],
      ...(subjects.length ? { subjects } : {}),
      ...(people.length ? { people, by: authors.map((a) => a.displayName).join(', ') } : {}),
      ...(associations.length ? { associations } : {}),
      altids: [{ role: 'id', value: article.id }],
      standard: { name: 'ninjs', version: '2.0', schema: NINJS_SCHEMA_URI },
    };
  };
}
