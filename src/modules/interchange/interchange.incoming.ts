import { createHash } from 'node:crypto';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../shared/actor.ts';
import { ArticleBlock, type ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';
import { notePurge } from '../../shared/cache-keys.ts';
import {
  comparableVersionOf,
  compareVersions,
  type ImportOutcome,
  type IncomingArticle,
  type IncomingPhoto,
  type IncomingRubric,
  type OriginArticleInput,
} from '../../shared/incoming-article.ts';
import { isValidSlug, slugify } from '../../shared/slug.ts';
import { mayPublish, type ArticlesService } from '../articles/index.ts';
import type { RubricsService } from '../rubrics/index.ts';
import type { TagsService } from '../tags/index.ts';
import type { UsersService } from '../users/index.ts';
import { photoWarningOf, type PhotoFetcher } from './interchange.photos.ts';

export interface IncomingImporterDeps {
  articles: Pick<ArticlesService, 'upsertFromOrigin' | 'findOriginVersion'>;
  rubrics: Pick<RubricsService, 'ensureBySlug'>;
  tags: Pick<TagsService, 'ensureBySlug'>;
  users: Pick<UsersService, 'ensureAuthor'>;
  photos: PhotoFetcher;
}

export interface ImportOptions {
  /** Publish `usable` items (and `embargoed` ones with their embargo): needs the editor role or the `publish` scope. */
  publish?: boolean;
}

// The limits of the article fields (articles.schemas.ts), applied to what a source sends.
const limits = { title: 300, lead: 1000, name: 100, source: 200, externalId: 1000, blocks: 500, tags: 50, authors: 20, rubricDepth: 10 };

/** A line that cannot be imported as it is: nothing is written for it. */
class IncomingItemError extends Error {
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

const invalid = (detail: string) => new IncomingItemError('validation_failed', detail);

/** A slug for what a source names: its own when valid, else one made from it or from the name. */
function slugOf(given: string | null | undefined, name: string, fallback: string): string {
  if (given && isValidSlug(given)) return given;
  return slugify(given ?? '') || slugify(name) || fallback;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);
const isEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254;

/** A digest of the item's content: the version of an item whose source gives none, so the same item again is unchanged. */
function contentDigest(item: IncomingArticle): string {
  const { externalVersion: _v, versionCreatedAt: _t, ...content } = item;
  return `sha256:${createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 40)}`;
}

/** Checks what can be checked before anything is written: the fields, and the text blocks as the article schema takes them. */
function assertImportable(item: IncomingArticle): void {
  if (!item.source?.trim() || item.source.length > limits.source) throw invalid(`source must be 1 to ${limits.source} characters`);
  if (!item.externalId?.trim() || item.externalId.length > limits.externalId)
    throw invalid(`externalId must be 1 to ${limits.externalId} characters`);
  if (item.status === 'canceled') return;
  if (!Array.isArray(item.body) || !Array.isArray(item.tags) || !Array.isArray(item.authors))
    throw invalid('body, tags and authors must be lists');
  if (!item.title?.trim()) throw invalid('the item has no title');
  if (item.title.trim().length > limits.title) throw invalid(`the title is longer than ${limits.title} characters`);
  if (item.body.length > limits.blocks) throw invalid(`the body has more than ${limits.blocks} blocks`);
  if (item.status === 'embargoed' && !item.embargoUntil) throw invalid('an embargoed item needs embargoUntil');
  for (const [i, block] of item.body.entries()) {
    if (block.type === 'image') continue;
    const parsed = ArticleBlock.safeParse(block);
    if (!parsed.success) throw invalid(`body block ${i} (${block.type}): ${parsed.error.issues[0]?.message ?? 'not valid'}`);
  }
}

/**
 * The importer every foreign format goes through (NDJSON and ninjs imports, wire feeds, WordPress): checks an
 * incoming article, resolves its rubric, tags, authors and photos to ids (making the missing ones), and stores
 * it by (source, externalId) through the articles service. One item in, one result line out.
 */
export function createIncomingImporter(deps: IncomingImporterDeps) {
  const { articles, rubrics, tags, users, photos } = deps;

  async function rubricIdOf(rubric: IncomingArticle['rubric'], actor: Actor): Promise<string | null> {
    if (!rubric) return null;
    if ('id' in rubric) return rubric.id;
    // Parents first, so each is made under the one above it.
    const chain: IncomingRubric[] = [];
    for (let r: IncomingRubric | null | undefined = rubric; r && chain.length < limits.rubricDepth; r = r.parent) chain.unshift(r);
    let parentId: string | null = null;
    for (const r of chain) {
      const name = clip(r.name?.trim() || r.slug, limits.name);
      parentId = (await rubrics.ensureBySlug({ slug: slugOf(r.slug, name, 'rubric'), name, parentId }, actor)).id;
    }
    return parentId;
  }

  async function tagIdsOf(list: IncomingArticle['tags'], actor: Actor): Promise<string[]> {
    const ids: string[] = [];
    for (const tag of list) {
      const name = clip(tag.name?.trim() || tag.slug?.trim() || '', limits.name);
      if (!name) continue;
      const { id } = await tags.ensureBySlug({ slug: slugOf(tag.slug, name, 'tag'), name }, actor);
      if (!ids.includes(id)) ids.push(id);
      if (ids.length === limits.tags) break;
    }
    return ids;
  }

  async function authorIdsOf(list: IncomingArticle['authors']): Promise<string[]> {
    const ids: string[] = [];
    for (const person of list) {
      const displayName = clip(person.displayName?.trim() ?? '', limits.name);
      if (!displayName) continue;
      const email = person.email?.trim() && isEmail(person.email.trim()) ? person.email.trim() : null;
      const { id } = await users.ensureAuthor({ slug: slugOf(person.slug, displayName, 'author'), displayName, email });
      if (!ids.includes(id)) ids.push(id);
      if (ids.length === limits.authors) break;
    }
    return ids;
  }

  /** The photos' media ids; a photo that cannot be had is left out with a warning. */
  function photoResolver(source: string, actor: Actor, warnings: string[]) {
    const fetched = new Map<string, Promise<string | null>>();
    return (photo: IncomingPhoto): Promise<string | null> => {
      let id = fetched.get(photo.url);
      if (!id) {
        id = photos.mediaIdOf(photo, source, actor).catch((error: unknown) => {
          if (!(error instanceof Error)) throw error;
          warnings.push(photoWarningOf(photo.url, error));
          return null;
        });
        fetched.set(photo.url, id);
      }
      return id;
    };
  }

  async function resolve(item: IncomingArticle, version: string | null, actor: Actor, warnings: string[]): Promise<OriginArticleInput> {
    const mediaIdOf = photoResolver(item.source, actor, warnings);
    const body: ArticleBlockInput[] = [];
    for (const block of item.body) {
      if (block.type !== 'image') {
        body.push(block);
        continue;
      }
      const mediaId = await mediaIdOf(block.photo);
      const caption = (block.caption ?? block.photo.caption)?.trim().slice(0, 1000);
      if (mediaId) body.push({ type: 'image', mediaId, ...(caption ? { caption } : {}) });
    }
    const lead = item.lead?.trim() ? clip(item.lead.trim(), limits.lead) : null;
    // A body of photos that could not be had, or none at all: the lead stands for it.
    if (!body.length && lead) body.push({ type: 'paragraph', text: lead });
    const [rubricId, tagIds, authorIds, coverMediaId] = [
      await rubricIdOf(item.rubric, actor),
      await tagIdsOf(item.tags, actor),
      await authorIdsOf(item.authors),
      item.cover ? await mediaIdOf(item.cover) : null,
    ];
    return {
      origin: item.origin,
      source: item.source,
      externalId: item.externalId,
      externalVersion: version,
      status: item.status,
      embargoUntil: item.status === 'embargoed' ? item.embargoUntil : null,
      title: item.title.trim(),
      lead,
      body,
      rubricId,
      tagIds,
      authorIds,
      coverMediaId,
      publishedAt: item.publishedAt,
      slug: item.slug ?? null,
    };
  }

  /** A refusal of the item as a result line; an error of the server (the database gone) is thrown on. */
  function errorLine(error: unknown, id: string | null, warnings: string[]): ImportOutcome {
    // A refused item changes nothing public (a rubric or tag made for it noted its own keys).
    if (error instanceof IncomingItemError || (error instanceof AppError && error.status < 500)) notePurge([]);
    if (error instanceof IncomingItemError)
      return { status: 'error', type: 'article', id, error: { code: error.code, detail: error.message }, warnings };
    if (error instanceof AppError && error.status < 500) {
      const fields = (error.extra.errors as { field: string; message: string }[] | undefined) ?? [];
      const detail = [error.message, ...fields.map((f) => `${f.field}: ${f.message}`)].join(' ');
      return { status: 'error', type: 'article', id, error: { code: error.code, detail }, warnings };
    }
    throw error;
  }

  return {
    /**
     * Imports one foreign article: `created`, `updated` (a newer version, a take-down, or a revision kept for
     * an editor who changed it), `unchanged` (this version is stored: nothing is written), `skipped` (older,
     * or canceled before it was ever seen) or `error` (a refused item: nothing is written for it). Photos
     * that cannot be fetched are left out with a warning. The write purges only what it changes.
     */
    async importIncoming(item: IncomingArticle, actor: Actor, options: ImportOptions = {}): Promise<ImportOutcome> {
      const warnings: string[] = [];
      try {
        assertImportable(item);
        if (options.publish && !mayPublish(actor))
          throw new IncomingItemError(
            'forbidden',
            'Publishing what is imported needs the editor role or an API key with the "publish" scope.',
          );
        const version = comparableVersionOf(item, () => contentDigest(item));
        // The same or an older version, or a kill notice for an item never seen, is settled before any name is resolved.
        const stored = await articles.findOriginVersion(item.source, item.externalId);
        const order = stored ? compareVersions(stored.externalVersion, version) : 1;
        if (stored && order <= 0) {
          notePurge([]);
          if (order === 0) return { status: 'unchanged', type: 'article', id: stored.id, warnings };
          return {
            status: 'skipped',
            type: 'article',
            id: stored.id,
            warnings: [`older than the version already imported (${stored.externalVersion})`],
          };
        }
        if (stored?.deletedAt) {
          notePurge([]);
          return { status: 'skipped', type: 'article', id: stored.id, warnings: ['the article is in the trash'] };
        }
        if (!stored && item.status === 'canceled') {
          notePurge([]);
          return { status: 'skipped', type: 'article', id: null, warnings: ['canceled before it was ever imported: nothing to take down'] };
        }
        // A take-down changes no content: the names and photos of a canceled or withheld item are not needed.
        const isTakeDown = item.status === 'canceled' || item.status === 'withheld';
        const resolved =
          stored && isTakeDown ? { ...emptyContentOf(item), externalVersion: version } : await resolve(item, version, actor, warnings);
        if (!isTakeDown || !stored) {
          if (!resolved.body.length) throw invalid('the item has no body and no lead');
          const parsed = ArticleBlock.array().safeParse(resolved.body);
          if (!parsed.success) throw invalid(`body: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
        }
        const result = await articles.upsertFromOrigin(resolved, actor, { publish: options.publish ?? false });
        return { status: result.status, type: 'article', id: result.id, warnings: [...warnings, ...result.warnings] };
      } catch (error) {
        return errorLine(error, null, warnings);
      }
    },
  };
}

/** A take-down of a stored item: only its identity, version and status matter to the articles service. */
function emptyContentOf(item: IncomingArticle): OriginArticleInput {
  return {
    origin: item.origin,
    source: item.source,
    externalId: item.externalId,
    externalVersion: null,
    status: item.status,
    embargoUntil: null,
    title: item.title ?? '',
    lead: null,
    body: [],
    rubricId: null,
    tagIds: [],
    authorIds: [],
    coverMediaId: null,
    publishedAt: item.publishedAt,
  };
}

export type IncomingImporter = ReturnType<typeof createIncomingImporter>;
