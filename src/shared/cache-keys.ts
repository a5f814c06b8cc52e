import { AsyncLocalStorage } from 'node:async_hooks';
import { getRefId } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';

/** A kind of record a public answer can contain; its Surrogate-Key is `<kind>:<id>`. */
export type EntityKind = 'article' | 'rubric' | 'tag' | 'user' | 'media' | 'feed-item' | 'correction' | 'live-entry';

/**
 * A key naming a whole list: a page keyed by it changes when any record of the kind is added, removed or
 * changed (a query's result, or a page that shows records of the kind without their ids). `articles` is
 * the unfiltered article list (the home page, sitemaps, the site's syndication feeds): every change of a
 * public article purges it. The article lists filtered by a record carry `articles:<filter>:<slug>` instead.
 */
export type ListKey =
  | 'articles'
  | 'feed'
  | 'rubrics'
  | 'tags'
  | 'users'
  | 'media'
  | ArticleListKey
  | typeof rubricFilteredKey
  | CommentsKey
  | LiveEntriesKey;

/** What a public article list is filtered by: a rubric (with its sub-rubrics), a tag, an author. */
export type ArticleFilter = 'rubric' | 'tag' | 'author';
export type ArticleListKey = `articles:${ArticleFilter}:${string}`;

/** The key of the article lists filtered by the record with this slug (the slug as the query names it). */
export const articleListKey = (filter: ArticleFilter, slug: string): ArticleListKey => `articles:${filter}:${encodeURIComponent(slug)}`;

/** The entries of one live article: every entry write to it purges this key and the article's own. */
export type LiveEntriesKey = `live-entries:${string}`;
export const liveEntriesKey = (articleId: string): LiveEntriesKey => `live-entries:${articleId}`;

/**
 * What an entry write to a live article purges: its page and its entries (with `all`), never a whole list; the
 * answers that show the article (a feed item linking it, search hits) carry its key.
 */
export const keysOfLiveEntryWrite = (articleId: string): string[] => withSafetyNet([`article:${articleId}`, liveEntriesKey(articleId)]);

/**
 * An article's comment count: answers that show it carry `comments:<article id>`, which a count update
 * purges alone (an article page, which would be purged on every comment otherwise, does not carry it).
 */
export type CommentsKey = `comments:${string}`;
export const commentsKeyOf = (articleId: string): CommentsKey => `comments:${articleId}`;

/**
 * Carried by every list filtered by rubric beside its own key: a rubric moved, deactivated or deleted changes
 * which articles its ancestors' lists hold, and is rare enough to purge them all.
 */
export const rubricFilteredKey = 'articles:rubric' as const;

/**
 * The key of answers whose route declares no `cache.lists`: every write that changes something public purges
 * it, so a route nobody described is never stale, only purged more often than it needs.
 */
export const everythingKey = 'all';

/**
 * Which response schema (by its OpenAPI name) is which record. An unnamed object is named after its
 * nearest named ancestor and the property path (`Author.avatar`). A public route that declares
 * `cache.lists` and answers an object with an `id` not named here does not start.
 */
const entityKinds: Record<string, EntityKind> = {
  Article: 'article',
  PublicArticle: 'article',
  ArticleSummary: 'article',
  FeedArticle: 'article',
  SearchHit: 'article',
  Rubric: 'rubric',
  PublicRubric: 'rubric',
  RubricRef: 'rubric',
  Tag: 'tag',
  TagRef: 'tag',
  User: 'user',
  Author: 'user',
  AuthorRef: 'user',
  Media: 'media',
  AdminMedia: 'media',
  'Author.avatar': 'media',
  FeedItem: 'feed-item',
  PublicFeedItem: 'feed-item',
  // Never changed once published: its key is never purged, its article's is.
  ArticleCorrection: 'correction',
  CorrectionLogEntry: 'correction',
  CorrectedArticleRef: 'article',
  PublicLiveEntry: 'live-entry',
  LiveKeyEvent: 'live-entry',
};

/**
 * What a management write on a target type purges besides `<kind>:<id>`: the lists it can change. The services
 * of the types `isNotedByService` name the exact keys of each write (notePurge); when one does not, everything
 * is purged, as their lists are keyed by slugs the write alone does not know.
 */
const writeEffects: Record<string, { kind?: EntityKind; lists: readonly ListKey[]; isPublic: boolean; isNotedByService?: true }> = {
  article: { kind: 'article', lists: [], isPublic: true, isNotedByService: true },
  rubric: { kind: 'rubric', lists: [], isPublic: true, isNotedByService: true },
  tag: { kind: 'tag', lists: [], isPublic: true, isNotedByService: true },
  user: { kind: 'user', lists: [], isPublic: true, isNotedByService: true },
  media: { kind: 'media', lists: ['media'], isPublic: true },
  feed_item: { kind: 'feed-item', lists: ['feed'], isPublic: true },
  // An entry write names the entry, not its article: the live service purges keysOfLiveEntryWrite(articleId) itself.
  live_entry: { lists: [], isPublic: false },
  api_key: { lists: [], isPublic: false },
  // A count update purges its articles' `comments:<id>` keys itself: one write names many articles.
  comment_count: { lists: [], isPublic: false },
  webhook: { lists: [], isPublic: false },
  webhook_delivery: { lists: [], isPublic: false },
};

// Audited actions that change nothing the public API shows.
const actionsThatShowNothingNew = new Set(['article.preview']);

/** A management write as the purge stage sees it: its audit declaration, its target, and the keys its service noted. */
export interface ManagementWrite {
  action?: string;
  targetType?: string;
  targetId: string | null;
  /** The keys the write's service noted (notePurge); undefined when it noted none. */
  noted?: readonly string[];
}

/**
 * The keys a successful management write purges, or 'everything' for a target type not known here (a new
 * module's writes are safe before anyone describes them) or a write its service should have described and did not.
 */
export function keysPurgedBy(write: ManagementWrite): string[] | 'everything' {
  if (write.action && actionsThatShowNothingNew.has(write.action)) return [];
  const effects = write.targetType === undefined ? undefined : writeEffects[write.targetType];
  if (!effects) return 'everything';
  if (!effects.isPublic) return [];
  if (effects.isNotedByService) return write.noted === undefined ? 'everything' : withSafetyNet(write.noted);
  return withSafetyNet([...(effects.kind && write.targetId ? [`${effects.kind}:${write.targetId}`] : []), ...effects.lists]);
}

/** The keys once each, and `all` with them unless there are none: a write that changes nothing public purges nothing. */
export function withSafetyNet(keys: Iterable<string>): string[] {
  const unique = new Set(keys);
  if (unique.size) unique.add(everythingKey);
  return [...unique];
}

/** Where an article shows while it is public (or on its way there by the clock alone), by slugs. */
export interface ArticlePlacement {
  /** Published or scheduled, with a publication time, not in the trash: public now or at its time. */
  isPublicBound: boolean;
  /** Its rubric's slug and those of the rubric's ancestors, whose lists hold their sub-rubrics' articles. */
  rubricSlugs: readonly string[];
  tagSlugs: readonly string[];
  authorSlugs: readonly string[];
  /** It has an item in the feed (it did not opt out). */
  isInFeed: boolean;
}

/**
 * What a change of an article purges: nothing unless it is public (or scheduled) before or after the change;
 * then its own key, the unfiltered list, and the lists its filters match before or after (its rubric and the
 * rubric's ancestors, its tags, its authors, the feed when it is or was in it). Scheduled counts as public:
 * answers stored now would otherwise outlive the time it appears at, which they are only capped by when known.
 */
export function keysOfArticleChange(id: string, before: ArticlePlacement | null, after: ArticlePlacement | null): string[] {
  const shown = [before, after].filter((placement): placement is ArticlePlacement => placement?.isPublicBound === true);
  if (!shown.length) return [];
  return withSafetyNet([
    `article:${id}`,
    'articles',
    ...shown.flatMap((placement) => [
      ...placement.rubricSlugs.map((slug) => articleListKey('rubric', slug)),
      ...placement.tagSlugs.map((slug) => articleListKey('tag', slug)),
      ...placement.authorSlugs.map((slug) => articleListKey('author', slug)),
      ...(placement.isInFeed ? ['feed'] : []),
    ]),
  ]);
}

/**
 * What a change of a rubric, tag or user purges: its record (the answers embedding it), its kind's list,
 * and the article lists filtered by it under each slug it had or has (a new slug may have answered an empty list).
 */
export function keysOfFilterRecordChange(
  kind: 'rubric' | 'tag' | 'user',
  id: string,
  slugs: readonly (string | null | undefined)[],
  extra: readonly ListKey[] = [],
): string[] {
  const filter: ArticleFilter = kind === 'user' ? 'author' : kind;
  const list: ListKey = kind === 'user' ? 'users' : `${kind}s`;
  const known = slugs.filter((slug): slug is string => Boolean(slug));
  return withSafetyNet([`${kind}:${id}`, list, ...known.map((slug) => articleListKey(filter, slug)), ...extra]);
}

// One store for the process: each request's noted keys live in its own asynchronous context.
const purgeNotes = new AsyncLocalStorage<{ keys?: Set<string> }>();

/**
 * Runs `fn` (a management route's handler) collecting the keys its services note; `noted` is undefined when
 * none noted anything.
 */
export async function collectNotedPurges<T>(fn: () => Promise<T>): Promise<{ result: T; noted: string[] | undefined }> {
  const notes: { keys?: Set<string> } = {};
  const result = await purgeNotes.run(notes, fn);
  return { result, noted: notes.keys ? [...notes.keys] : undefined };
}

/**
 * Says which public answers the current request's write changes (an empty list: none). Services call it
 * before their change commits; the HTTP layer purges the keys once the request succeeds. Returns the keys,
 * for the write's webhook event. Outside a request it only returns them.
 */
export function notePurge(keys: readonly string[]): readonly string[] {
  const notes = purgeNotes.getStore();
  if (notes) {
    notes.keys ??= new Set();
    for (const key of keys) notes.keys.add(key);
  }
  return keys;
}

/** Keys and the newest content time found in a body. */
export interface FoundKeys {
  keys: Set<string>;
  /** Epoch ms of the newest `updatedAt` or `publishedAt` in the body; 0 when none. */
  newestChange: number;
}

type Extractor = (value: unknown, found: FoundKeys) => void;

export class CacheKeySchemaError extends Error {
  override name = 'CacheKeySchemaError';
}

/**
 * Compiles a response schema into a function that collects `<kind>:<id>` for every record in a body of
 * that schema, and the newest updatedAt/publishedAt. Built once per route; it walks only the parts of
 * the schema that can hold a record.
 */
export function compileKeyExtractor(schema: ZodType, where: string): (body: unknown) => FoundKeys {
  const extract = compile(schema, where, new Map()) ?? (() => undefined);
  return (body) => {
    const found: FoundKeys = { keys: new Set(), newestChange: 0 };
    extract(body, found);
    return found;
  };
}

interface ZodInternals {
  _zod: { def: Record<string, unknown> & { type: string }; propValues?: Record<string, Set<unknown>> };
}

const internals = (schema: ZodType) => (schema as unknown as ZodInternals)._zod;

// Marks a schema being compiled, for recursive schemas.
const building = Symbol('building');
type Compiled = Map<ZodType, Extractor | null | typeof building>;

function compile(schema: ZodType, context: string, seen: Compiled): Extractor | null {
  const known = seen.get(schema);
  if (known === building) return (value, found) => (seen.get(schema) as Extractor | null)?.(value, found);
  if (known !== undefined) return known;
  seen.set(schema, building);
  const refId = getRefId(schema as never);
  const extractor = compileDef(schema, refId ?? context, seen);
  seen.set(schema, extractor);
  return extractor;
}

function compileDef(schema: ZodType, context: string, seen: Compiled): Extractor | null {
  const def = internals(schema).def;
  const child = (key: string) => def[key] as ZodType;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return compile(child('innerType'), context, seen);
    case 'lazy':
      return compile((def.getter as () => ZodType)(), context, seen);
    case 'pipe':
      return combine([compile(child('in'), context, seen), compile(child('out'), context, seen)]);
    case 'array':
      return each(compile(child('element'), `${context}[]`, seen));
    case 'record':
      return eachValue(compile(child('valueType'), `${context}{}`, seen));
    case 'intersection':
      return combine([compile(child('left'), context, seen), compile(child('right'), context, seen)]);
    case 'union':
      return compileUnion(def, context, seen);
    case 'object':
      return compileObject(def.shape as Record<string, ZodType>, context, seen);
    default:
      return null;
  }
}

function compileObject(shape: Record<string, ZodType>, context: string, seen: Compiled): Extractor | null {
  let kind: EntityKind | undefined;
  if ('id' in shape) {
    kind = entityKinds[context];
    if (!kind)
      throw new CacheKeySchemaError(
        `The response object ${context} has an id but no cache key kind: name it in entityKinds (src/http/cache-keys.ts).`,
      );
  }
  const dated = ['updatedAt', 'publishedAt'].filter((name) => name in shape);
  const children = Object.entries(shape)
    .map(([name, schema]) => [name, compile(schema, `${context}.${name}`, seen)] as const)
    .filter((entry): entry is readonly [string, Extractor] => entry[1] !== null);
  if (!kind && dated.length === 0 && children.length === 0) return null;
  return (value, found) => {
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (kind && typeof record.id === 'string') found.keys.add(`${kind}:${record.id}`);
    for (const name of dated) {
      const at = typeof record[name] === 'string' ? Date.parse(record[name] as string) : NaN;
      if (at > found.newestChange) found.newestChange = at;
    }
    for (const [name, extract] of children) if (record[name] !== undefined && record[name] !== null) extract(record[name], found);
  };
}

function compileUnion(def: Record<string, unknown>, context: string, seen: Compiled): Extractor | null {
  const options = def.options as ZodType[];
  const compiled = options.map((option) => compile(option, context, seen));
  const discriminator = def.discriminator as string | undefined;
  if (discriminator) {
    // Each body item goes through the option its discriminator value names, never through the others.
    const byValue = new Map<unknown, Extractor>();
    options.forEach((option, index) => {
      const extract = compiled[index];
      if (!extract) return;
      for (const value of internals(option).propValues?.[discriminator] ?? []) byValue.set(value, extract);
    });
    if (byValue.size === 0) return null;
    return (value, found) => {
      if (value && typeof value === 'object') byValue.get((value as Record<string, unknown>)[discriminator])?.(value, found);
    };
  }
  const useful = compiled.filter((extract): extract is Extractor => extract !== null);
  if (useful.length > 1)
    throw new CacheKeySchemaError(
      `The response union at ${context} has several options holding records: make it a discriminated union so each body item is read one way.`,
    );
  return useful[0] ?? null;
}

function combine(extractors: (Extractor | null)[]): Extractor | null {
  const useful = extractors.filter((extract): extract is Extractor => extract !== null);
  if (useful.length <= 1) return useful[0] ?? null;
  return (value, found) => {
    for (const extract of useful) extract(value, found);
  };
}

function each(extract: Extractor | null): Extractor | null {
  if (!extract) return null;
  return (value, found) => {
    if (Array.isArray(value)) for (const item of value) if (item !== null && item !== undefined) extract(item, found);
  };
}

function eachValue(extract: Extractor | null): Extractor | null {
  if (!extract) return null;
  return (value, found) => {
    if (value && typeof value === 'object')
      for (const item of Object.values(value)) if (item !== null && item !== undefined) extract(item, found);
  };
}
