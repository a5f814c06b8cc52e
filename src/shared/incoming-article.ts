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
