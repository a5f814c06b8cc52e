import { getRefId } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';

/** A kind of record a public answer can contain; its Surrogate-Key is `<kind>:<id>`. */
export type EntityKind = 'article' | 'rubric' | 'tag' | 'user' | 'media' | 'feed-item' | 'live-entry';

/**
 * A key naming a whole list: a page keyed by it changes when any record of the kind is added, removed or
 * changed (a query's result, or a page that shows records of the kind without their ids).
 */
export type ListKey = 'articles' | 'feed' | 'rubrics' | 'tags' | 'users' | 'media' | LiveEntriesKey;

/** The entries of one live article: every entry write to it purges this key and the article's own. */
export type LiveEntriesKey = `live-entries:${string}`;
export const liveEntriesKey = (articleId: string): LiveEntriesKey => `live-entries:${articleId}`;

/** What an entry write to a live article purges: its page and its entries, never a whole list. */
export const keysOfLiveEntryWrite = (articleId: string): string[] => [`article:${articleId}`, liveEntriesKey(articleId)];

/**
 * The key of answers whose route declares no `cache.lists`: every write purges it, so a route nobody
 * described is never stale, only purged more often than it needs.
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
  PublicLiveEntry: 'live-entry',
  LiveKeyEvent: 'live-entry',
};

/** What a management write on a target type purges besides `<kind>:<id>`: the lists it can change. */
const writeEffects: Record<string, { kind?: EntityKind; lists: readonly ListKey[]; isPublic: boolean }> = {
  article: { kind: 'article', lists: ['articles', 'feed'], isPublic: true },
  // Lists filter by rubric, tag and author slug, so a renamed or deactivated one changes them too.
  rubric: { kind: 'rubric', lists: ['rubrics', 'articles', 'feed'], isPublic: true },
  tag: { kind: 'tag', lists: ['tags', 'articles'], isPublic: true },
  user: { kind: 'user', lists: ['users', 'articles'], isPublic: true },
  media: { kind: 'media', lists: ['media'], isPublic: true },
  feed_item: { kind: 'feed-item', lists: ['feed'], isPublic: true },
  // An entry write names the entry, not its article: the live service purges keysOfLiveEntryWrite(articleId) itself.
  live_entry: { lists: [], isPublic: false },
  api_key: { lists: [], isPublic: false },
  webhook: { lists: [], isPublic: false },
  webhook_delivery: { lists: [], isPublic: false },
};

// Audited actions that change nothing the public API shows.
const actionsThatShowNothingNew = new Set(['article.preview']);

/**
 * The keys a successful management write purges, or 'everything' for a target type not known here
 * (a new module's writes are safe before anyone describes them).
 */
export function keysPurgedBy(write: { action?: string; targetType?: string; targetId: string | null }): string[] | 'everything' {
  if (write.action && actionsThatShowNothingNew.has(write.action)) return [];
  const effects = write.targetType === undefined ? undefined : writeEffects[write.targetType];
  if (!effects) return 'everything';
  if (!effects.isPublic) return [];
  return [...(effects.kind && write.targetId ? [`${effects.kind}:${write.targetId}`] : []), ...effects.lists, everythingKey];
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
