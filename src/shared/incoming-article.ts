import type { ArticleBlockInput } from './article-blocks.schemas.ts';

// What every foreign format becomes before it is stored: an agency's ninjs item, an RSS or Atom item, a
// WordPress post. The parsers (ninjs, feeds, WXR) make these; the interchange module's importer resolves
// names to ids (rubrics, tags, authors, photos) and upserts the article by (source, externalId).

/** How the article came in: an agency feed polled here, a bulk import, a WordPress export. */
export type ArticleOrigin = 'wire' | 'import' | 'wordpress';

/**
 * ninjs `pubstatus`: usable → a draft in the incoming desk (published when the caller asks and may);
 * canceled → taken down (a kill notice); withheld → kept out of public; embargoed → held until `embargoUntil`.
 */
export type IncomingStatus = 'usable' | 'canceled' | 'withheld' | 'embargoed';

/** A photo named by its address: fetched through the address guard, stored once by content. */
export interface IncomingPhoto {
  url: string;
  caption?: string | null;
  credit?: string | null;
  altText?: string | null;
}

/** A body block as a foreign item has it: an image names its photo by address rather than by media id. */
export type IncomingBlock = Exclude<ArticleBlockInput, { type: 'image' }> | { type: 'image'; photo: IncomingPhoto; caption?: string };

export interface IncomingRubric {
  slug: string;
  name: string;
  /** A WordPress category's parent, created first when missing. */
  parent?: IncomingRubric | null;
}

export interface IncomingPerson {
  /** Made from the name when left out. */
  slug?: string | null;
  displayName: string;
  email?: string | null;
}

export interface IncomingArticle {
  origin: ArticleOrigin;
  /** The agency or system (`tass`, `ap`, `wordpress:example.org`): the namespace of externalId. */
  source: string;
  /** Its id there: the ninjs `uri`, an RSS guid, a WordPress post's guid. */
  externalId: string;
  /** Its version there (ninjs `version`); compared numerically when both are numbers, else by versionCreatedAt. */
  externalVersion: string | null;
  versionCreatedAt: Date | null;
  status: IncomingStatus;
  embargoUntil: Date | null;
  title: string;
  lead: string | null;
  body: IncomingBlock[];
  /** Where it goes: a rubric named by slug (created when missing), a known rubric id, or none. */
  rubric: IncomingRubric | { id: string } | null;
  tags: { slug?: string | null; name: string }[];
  authors: IncomingPerson[];
  cover: IncomingPhoto | null;
  /** When it was first published there (kept as publishedAt when it is published here). */
  publishedAt: Date | null;
  /** A slug wished for (a WordPress post's name); made from the title when left out or taken. */
  slug?: string | null;
  /** Addresses it had on the old site (WordPress permalinks), answered with its address here. */
  redirectPaths?: string[];
}

/** One line of an import's answer, for one line (or item) of its input. */
export interface ImportResultLine {
  line: number;
  status: 'created' | 'updated' | 'unchanged' | 'skipped' | 'error';
  /** What the line was: `article`, `rubric`… */
  type?: string;
  id?: string | null;
  error?: { code: string; detail: string } | null;
  /** What was left out without failing the line (a photo that could not be fetched). */
  warnings?: string[];
}

/** What importing one item came to: a result line without its line number. */
export type ImportOutcome = Omit<ImportResultLine, 'line'>;

/**
 * An incoming article with its names resolved to ids (rubric, tags, authors, photos): what the articles
 * service's `upsertFromOrigin` stores. `externalVersion` is the comparable version (see `comparableVersionOf`).
 */
export interface OriginArticleInput {
  origin: ArticleOrigin;
  source: string;
  externalId: string;
  externalVersion: string | null;
  status: IncomingStatus;
  embargoUntil: Date | null;
  title: string;
  lead: string | null;
  body: ArticleBlockInput[];
  rubricId: string | null;
  tagIds: string[];
  authorIds: string[];
  coverMediaId: string | null;
  publishedAt: Date | null;
  slug?: string | null;
}

const integerPattern = /^-?\d{1,15}$/;
const isoPattern = /^\d{4}-\d{2}-\d{2}T/;

/**
 * The version an import stores and compares: the source's version when it is an integer, else the time the
 * version was made (ISO), else the source's version as it is, else `fallback` (a digest of the content).
 */
export function comparableVersionOf(
  item: Pick<IncomingArticle, 'externalVersion' | 'versionCreatedAt'>,
  fallback: () => string | null = () => null,
): string | null {
  const version = item.externalVersion?.trim() || null;
  if (version && integerPattern.test(version)) return version;
  if (item.versionCreatedAt && !Number.isNaN(item.versionCreatedAt.getTime())) return item.versionCreatedAt.toISOString();
  return version ?? fallback();
}

/**
 * How an incoming version stands to the stored one: 0 the same, -1 older, 1 newer. Integers compare as
 * numbers, ISO times as times; any other difference (or a version where there was none) counts as newer.
 */
export function compareVersions(stored: string | null, incoming: string | null): -1 | 0 | 1 {
  if (stored === incoming) return 0;
  if (stored === null || incoming === null) return 1;
  if (integerPattern.test(stored) && integerPattern.test(incoming)) return Math.sign(Number(incoming) - Number(stored)) as -1 | 0 | 1;
  if (isoPattern.test(stored) && isoPattern.test(incoming)) {
    const [a, b] = [Date.parse(stored), Date.parse(incoming)];
    if (!Number.isNaN(a) && !Number.isNaN(b)) return Math.sign(b - a) as -1 | 0 | 1;
  }
  return 1;
}
