import type { ZodError } from 'zod';
import { ValidationError, type FieldError } from '../../errors.ts';
import { convertHtml, htmlToText } from '../../shared/html-blocks.ts';
import type {
  ArticleOrigin,
  IncomingArticle,
  IncomingBlock,
  IncomingPerson,
  IncomingPhoto,
  IncomingRubric,
  IncomingStatus,
} from '../../shared/incoming-article.ts';
import { slugify, slugPattern } from '../../shared/slug.ts';
import { z } from '../../shared/zod.ts';

// An agency's ninjs item (IPTC News in JSON, 1.x or 2.x) as an incoming article. Agencies send more than the
// standard and more than we keep, so the item is read loosely: the fields used here are checked for their
// types, the rest is let through unread.

const when = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'Not a date and time')
  .transform((value) => new Date(value));

/** A headline, description or body of ninjs 2.x. */
const TextEntry = z.looseObject({ role: z.string().optional(), contenttype: z.string().optional(), value: z.string() });

/** A subject, person… (2.x `uri`/`literal`, 1.x `code`/`scheme`). */
const Concept = z.looseObject({
  name: z.string().optional(),
  rel: z.string().optional(),
  uri: z.string().optional(),
  literal: z.string().optional(),
  code: z.string().optional(),
});

const Rendition = z.looseObject({
  href: z.string().optional(),
  contenttype: z.string().optional(),
  mimetype: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
});

// An association: a ninjs object of its own, of which a picture's file, caption and credit are read.
const Association = z.looseObject({
  name: z.string().optional(),
  uri: z.string().optional(),
  type: z.string().optional(),
  headline: z.string().optional(),
  headlines: z.array(TextEntry).optional(),
  description_text: z.string().optional(),
  descriptions: z.array(TextEntry).optional(),
  body_text: z.string().optional(),
  by: z.string().optional(),
  byline: z.string().optional(),
  copyrightholder: z.string().optional(),
  // 2.x: a list with names; 1.x: an object keyed by name.
  renditions: z.union([z.array(Rendition), z.record(z.string(), Rendition)]).optional(),
});

const pubstatuses = ['usable', 'withheld', 'canceled', 'embargoed'] as const;

/** The fields of a ninjs item this import reads, both 1.x (`headline`, `body_html`…) and 2.x (`headlines`, `bodies`…). */
export const NinjsIncomingSchema = z.looseObject({
  uri: z.string().trim().min(1).max(2000),
  type: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  firstcreated: when.optional(),
  versioncreated: when.optional(),
  embargoed: when.optional(),
  pubstatus: z
    .string()
    .transform((value) => value.trim().toLowerCase().replace('cancelled', 'canceled'))
    .pipe(z.enum(pubstatuses))
    .optional(),
  copyrightholder: z.string().optional(),
  provider: z.union([z.string(), z.looseObject({ name: z.string().optional() })]).optional(),
  title: z.string().optional(),
  slugline: z.string().optional(),
  headline: z.string().optional(),
  headlines: z.array(TextEntry).optional(),
  description_text: z.string().optional(),
  description_html: z.string().optional(),
  descriptions: z.array(TextEntry).optional(),
  body_text: z.string().optional(),
  body_html: z.string().optional(),
  body_xhtml: z.string().optional(),
  bodies: z.array(TextEntry).optional(),
  by: z.string().optional(),
  byline: z.string().optional(),
  people: z.array(Concept).optional(),
  person: z.array(Concept).optional(),
  subjects: z.array(Concept).optional(),
  subject: z.array(Concept).optional(),
  associations: z.union([z.array(Association), z.record(z.string(), Association)]).optional(),
});

export type NinjsIncomingItem = z.infer<typeof NinjsIncomingSchema>;
type Item = NinjsIncomingItem;
type AssociationItem = z.infer<typeof Association>;

export interface NinjsIncomingOptions {
  /** The agency or system, when the item names none (`copyrightholder`, `provider`): the namespace of its uri. */
  source: string;
  origin: ArticleOrigin;
  /** The source names the namespace whatever the item says (a wire feed: its items' ids are the feed's). */
  isSourceFixed?: boolean;
}

/** An item read, with what was dropped or shortened on the way (HTML the body blocks cannot hold). */
export interface NinjsConversion {
  article: IncomingArticle;
  warnings: string[];
}

const isHtmlType = (contenttype: string | undefined) => /html|xml/i.test(contenttype ?? '');
const leadRoles = ['summary', 'lead', 'abstract', 'teaser', 'description', 'main'];
const rubricRels = ['section', 'rubric', 'category', 'department'];
const authorRels = ['author', 'creator', 'by', 'contributor', 'writer'];

function fieldErrorsOf(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: ['item', ...issue.path.map(String)].join('.'), message: issue.message }));
}

const nonEmpty = (text: string | undefined | null) => {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
};

/** The entry of a role among several, else the first: `roles` in order of preference. */
function byRole<T extends { role?: string | undefined }>(entries: readonly T[] | undefined, roles: readonly string[]): T | undefined {
  if (!entries?.length) return undefined;
  for (const role of roles) {
    const found = entries.find((entry) => entry.role?.toLowerCase() === role);
    if (found) return found;
  }
  return entries[0];
}

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Plain text as HTML paragraphs: a blank line parts them, or a line break when the text has no blank lines. */
function textToHtml(text: string): string {
  const normalised = text.replaceAll('\r\n', '\n');
  const parts = /\n\s*\n/.test(normalised) ? normalised.split(/\n\s*\n/) : normalised.split('\n');
  return parts
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => `<p>${escapeHtml(part).replaceAll('\n', '<br>')}</p>`)
    .join('');
}

/** The body as HTML: 2.x `bodies` (its HTML one first), else 1.x `body_html`, `body_xhtml`, `body_text`. */
function bodyHtmlOf(item: Item): string {
  const html = item.bodies?.find((body) => isHtmlType(body.contenttype) || body.role?.toLowerCase() === 'richtext');
  if (html) return html.value;
  const plain = byRole(item.bodies, ['main', 'text']);
  if (plain) return textToHtml(plain.value);
  return item.body_html ?? item.body_xhtml ?? (item.body_text ? textToHtml(item.body_text) : '');
}

function headlineOf(item: Item): string | undefined {
  const entry = byRole(item.headlines, ['main', 'headline', 'simple']);
  return nonEmpty(entry ? (isHtmlType(entry.contenttype) ? htmlToText(entry.value) : entry.value) : item.headline);
}

function leadOf(item: Item): string | null {
  const entry = byRole(
    item.descriptions?.filter((d) => !['caption', 'alt', 'alternative'].includes(d.role?.toLowerCase() ?? '')),
    leadRoles,
  );
  if (entry) return nonEmpty(isHtmlType(entry.contenttype) ? htmlToText(entry.value) : entry.value) ?? null;
  return nonEmpty(item.description_text ?? (item.description_html ? htmlToText(item.description_html) : undefined)) ?? null;
}

/** The status here: `embargoed` with the time when an item (usable or embargoed) names an embargo's end. */
function statusOf(item: Item): { status: IncomingStatus; embargoUntil: Date | null } {
  const pubstatus = item.pubstatus ?? 'usable';
  if (pubstatus === 'canceled' || pubstatus === 'withheld') return { status: pubstatus, embargoUntil: null };
  if (item.embargoed) return { status: 'embargoed', embargoUntil: item.embargoed };
  // Embargoed until nobody knows when: kept out of public until the agency says more.
  return pubstatus === 'embargoed' ? { status: 'withheld', embargoUntil: null } : { status: 'usable', embargoUntil: null };
}

const slugOf = (literal: string | undefined) => (literal && slugPattern.test(literal) ? literal : undefined);

function subjectsOf(item: Item): { rubric: IncomingRubric | null; tags: IncomingArticle['tags'] } {
  const named = (item.subjects ?? item.subject ?? []).flatMap((subject) => {
    const name = nonEmpty(subject.name);
    return name ? [{ ...subject, name }] : [];
  });
  const section = named.find((subject) => rubricRels.includes(subject.rel?.toLowerCase() ?? ''));
  const rubric = section ? { slug: slugOf(section.literal) ?? slugify(section.name), name: section.name } : null;
  const seen = new Set<string>();
  const tags = named
    .filter((subject) => subject !== section)
    .flatMap((subject) => {
      const slug = slugOf(subject.literal);
      const key = slug ?? subject.name.toLowerCase();
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ ...(slug ? { slug } : {}), name: subject.name }];
    });
  return { rubric: rubric?.slug ? rubric : null, tags };
}

/** The authors: people related as authors, else the names of the byline (`By A, B and C`). */
function authorsOf(item: Item): IncomingPerson[] {
  const people = (item.people ?? item.person ?? []).filter((person) => authorRels.includes(person.rel?.toLowerCase() ?? ''));
  const named = people.flatMap((person) => {
    const displayName = nonEmpty(person.name);
    const slug = slugOf(person.literal);
    return displayName ? [{ ...(slug ? { slug } : {}), displayName }] : [];
  });
  if (named.length) return named;
  const byline = nonEmpty(item.by ?? item.byline)?.replace(/^(by|от|автор[ы]?:?)\s+/i, '');
  if (!byline) return [];
  return byline
    .split(/\s*(?:,|;|&|\band\b|\sи\s)\s*/i)
    .map((name) => name.trim())
    .filter(Boolean)
    .map((displayName) => ({ displayName }));
}

const isHttpUrl = (url: string | undefined): url is string => !!url && /^https?:\/\//i.test(url);

/** A picture association's file (its largest rendition with an address, else its uri), caption, credit and alt text. */
function photoOf(association: AssociationItem): IncomingPhoto | null {
  const renditions = Array.isArray(association.renditions) ? association.renditions : Object.values(association.renditions ?? {});
  const largest = renditions
    .filter((rendition) => isHttpUrl(rendition.href))
    .sort((a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0))[0];
  const url = largest?.href ?? (isHttpUrl(association.uri) ? association.uri : undefined);
  if (!url) return null;
  const description = (roles: string[]) => association.descriptions?.find((d) => roles.includes(d.role?.toLowerCase() ?? ''))?.value;
  const caption = nonEmpty(
    description(['caption', 'summary']) ?? association.descriptions?.[0]?.value ?? association.description_text ?? association.body_text,
  );
  const credit = nonEmpty(association.by ?? association.byline ?? association.copyrightholder);
  const altText = nonEmpty(description(['alt', 'alternative', 'alttext']));
  return { url, caption: caption ?? null, credit: credit ?? null, altText: altText ?? null };
}

const pictureTypes = ['picture', 'graphic'];
const coverNames = ['cover', 'featureimage', 'featuremedia', 'main', 'mainpicture'];

/** The cover: the picture association named as a cover, else the first picture. */
function coverOf(item: Item): IncomingPhoto | null {
  const associations = Array.isArray(item.associations)
    ? item.associations
    : Object.entries(item.associations ?? {}).map(([name, association]) => ({ name, ...association }));
  const pictures = associations.filter((a) => pictureTypes.includes(a.type?.toLowerCase() ?? ''));
  const named = pictures.find((a) => coverNames.includes(a.name?.toLowerCase() ?? ''));
  for (const candidate of [named, ...pictures]) {
    const photo = candidate ? photoOf(candidate) : null;
    if (photo) return photo;
  }
  return null;
}

function sourceOf(item: Item, fallback: string): string {
  const provider = typeof item.provider === 'string' ? item.provider : item.provider?.name;
  return nonEmpty(item.copyrightholder) ?? nonEmpty(provider) ?? fallback;
}

/**
 * Reads a ninjs item (1.x or 2.x) as an incoming article, with the warnings of its body's conversion. Throws a
 * ValidationError (422) for an item that is not one: no `uri`, a field of the wrong type, no headline on a usable item.
 */
export function convertNinjs(input: unknown, options: NinjsIncomingOptions): NinjsConversion {
  const parsed = NinjsIncomingSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('The ninjs item is not valid.', fieldErrorsOf(parsed.error));
  const item = parsed.data;
  const { status, embargoUntil } = statusOf(item);
  const headline = headlineOf(item);
  // A kill notice may carry nothing but its uri: it only has to find the article it takes down.
  const title =
    headline ?? (status === 'canceled' || status === 'withheld' ? (nonEmpty(item.slugline ?? item.title) ?? item.uri) : undefined);
  if (!title) throw new ValidationError('The ninjs item has no headline.', [{ field: 'item.headlines', message: 'Required' }]);
  const html = bodyHtmlOf(item);
  const { blocks, warnings } = html ? convertHtml(html, isHttpUrl(item.uri) ? { baseUrl: item.uri } : {}) : { blocks: [], warnings: [] };
  const { rubric, tags } = subjectsOf(item);
  const version = item.version === undefined ? null : nonEmpty(String(item.version));
  return {
    article: {
      origin: options.origin,
      source: options.isSourceFixed ? options.source : sourceOf(item, options.source),
      externalId: item.uri,
      externalVersion: version ?? null,
      versionCreatedAt: item.versioncreated ?? null,
      status,
      embargoUntil,
      title,
      lead: leadOf(item),
      body: blocks as IncomingBlock[],
      rubric,
      tags,
      authors: authorsOf(item),
      cover: coverOf(item),
      publishedAt: item.firstcreated ?? item.versioncreated ?? null,
    },
    warnings,
  };
}

/** A ninjs item (1.x or 2.x) as an incoming article; see convertNinjs, which gives the conversion's warnings too. */
export function incomingFromNinjs(input: unknown, options: NinjsIncomingOptions): IncomingArticle {
  return convertNinjs(input, options).article;
}
