import type { PrismaTx } from '../../db/database.ts';
import { translatePrismaError } from '../../db/prisma-errors.ts';
import { AppError, NotFoundError, PreconditionFailedError } from '../../errors.ts';
import { actorLabel } from '../../shared/actor-label.ts';
import type { Actor } from '../../shared/actor.ts';
import { decodeCursor, toPage, type Page } from '../../shared/cursor.ts';
import type { DomainEventType, EventRecorder } from '../../shared/domain-events.ts';
import type { SearchIndexer } from '../../shared/search-indexer.ts';
import { keysOfFilterRecordChange, notePurge } from '../../shared/cache-keys.ts';
import { resolveSlug } from '../../shared/slug-check.ts';
import { toTagRef, toTagResponse } from './tags.mapper.ts';
import type { TagRow, TagsRepository } from './tags.repository.ts';
import type { CreateTagInput, TagRefResponse, TagResponse, UpdateTagInput } from './tags.schemas.ts';

const isNameIdKey = (v: unknown[]): v is [string, string] => v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string';
const keyOf = (row: TagRow) => [row.name, row.id];

export interface TagsDeps {
  repo: TagsRepository;
  /** A tag's name is searchable on its articles, so a rename or deletion reindexes them. */
  searchIndex: Pick<SearchIndexer, 'reindexAfterTagChange'>;
  events: EventRecorder;
}

export function createTagsService(deps: TagsDeps) {
  const { repo, searchIndex, events } = deps;
  // The webhook event of a write, recorded in its transaction; a tag belongs to no rubric, so rubric-filtered subscriptions skip it.
  // With the public answers the write changes, noted for the purge and named in the event: the tag's pages under its slugs.
  const recordEvent = (tx: PrismaTx, type: DomainEventType, row: TagRow, actor: Actor | undefined, formerSlug?: string) =>
    events.record(tx, {
      type,
      entity: { id: row.id, slug: row.slug, version: row.version },
      actor: actor ? actorLabel(actor) : 'system',
      details: { surrogateKeys: notePurge(keysOfFilterRecordChange('tag', row.id, [formerSlug, row.slug])) },
    });

  // A conditional write that changed nothing: the tag is gone (404) or at another version (412).
  async function failConditionalWrite(id: string): Promise<never> {
    const row = await repo.findById(id);
    if (!row) throw new NotFoundError('tag');
    throw new PreconditionFailedError(toTagResponse(row));
  }

  const service = {
    async list(limit: number, cursor?: string): Promise<Page<TagResponse>> {
      const key = cursor ? decodeCursor(cursor, isNameIdKey) : undefined;
      return toPage(await repo.list(limit + 1, key), limit, toTagResponse, keyOf);
    },

    async listPublic(limit: number, cursor?: string): Promise<Page<TagRefResponse>> {
      const key = cursor ? decodeCursor(cursor, isNameIdKey) : undefined;
      return toPage(await repo.list(limit + 1, key), limit, toTagRef, keyOf);
    },

    /** A tag as front ends show it (a tag page's heading), by its slug. */
    async getPublic(slug: string): Promise<TagRefResponse> {
      const row = await repo.findBySlug(slug);
      if (!row) throw new NotFoundError('tag');
      return toTagRef(row);
    },

    async get(id: string): Promise<TagResponse> {
      const row = await repo.findById(id);
      if (!row) throw new NotFoundError('tag');
      return toTagResponse(row);
    },

    async create(input: CreateTagInput, actor?: Actor): Promise<TagResponse> {
      const slug = await resolveSlug({ given: input.slug, source: input.name, isTaken: (s) => repo.isSlugTaken(s) });
      const row = await repo.inTransaction(async (tx) => {
        const created = await repo.create({ name: input.name, slug }, tx);
        await recordEvent(tx, 'tag.created', created, actor);
        return created;
      });
      events.committed();
      return toTagResponse(row);
    },

    /** Changes the tag if it is still at `expectedVersion` (null: whatever its version). */
    async update(id: string, input: UpdateTagInput, expectedVersion: number | null = null, actor?: Actor): Promise<TagResponse> {
      const current = await repo.findById(id);
      if (!current) throw new NotFoundError('tag');
      if (expectedVersion !== null && current.version !== expectedVersion) throw new PreconditionFailedError(toTagResponse(current));
      // A renamed tag keeps its slug: links to the tag page stay valid unless a new slug is given.
      const slug =
        input.slug !== undefined && input.slug !== current.slug
          ? await resolveSlug({ given: input.slug, source: current.name, isTaken: (s) => repo.isSlugTaken(s, id) })
          : undefined;
      const data = { ...(input.name !== undefined ? { name: input.name } : {}), ...(slug ? { slug } : {}) };
      const isRenamed = input.name !== undefined && input.name !== current.name;
      const row = await repo.inTransaction(async (tx) => {
        const write = () => repo.updateAtVersion(id, expectedVersion, data, tx);
        if (!(await (isRenamed ? searchIndex.reindexAfterTagChange(tx, id, write) : write()))) return null;
        const updated = await repo.findById(id, tx);
        if (updated) await recordEvent(tx, 'tag.updated', updated, actor, current.slug);
        return updated;
      });
      if (!row) return failConditionalWrite(id);
      events.committed();
      return toTagResponse(row);
    },

    /** Also takes the tag off every article that has it. */
    async delete(id: string, expectedVersion: number | null = null, actor?: Actor): Promise<void> {
      const isDeleted = await repo.inTransaction(async (tx) => {
        // Read in the transaction: the event describes the tag as it was when deleted.
        const row = await repo.findById(id, tx);
        if (!row || !(await searchIndex.reindexAfterTagChange(tx, id, () => repo.deleteAtVersion(id, expectedVersion, tx)))) return false;
        await recordEvent(tx, 'tag.deleted', row, actor);
        return true;
      });
      if (!isDeleted) await failConditionalWrite(id);
      events.committed();
    },

    /** The slugs of the given tags, by id (the lists filtered by them are keyed by slug). */
    async slugsOf(ids: readonly string[]): Promise<Map<string, string>> {
      if (!ids.length) return new Map();
      return new Map((await repo.slugsOf([...new Set(ids)])).map((row) => [row.id, row.slug]));
    },

    /** Ids among the given that are not tags, for validating an article's tag list. */
    async missingIds(ids: string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const known = new Set(await repo.findIds([...new Set(ids)]));
      return ids.filter((id) => !known.has(id));
    },

    /** A tag's id by slug, for filters of other modules; null when there is none. */
    async findIdBySlug(slug: string): Promise<string | null> {
      return (await repo.findBySlug(slug))?.id ?? null;
    },

    /**
     * The id of the tag of this slug, made when there is none: what an import names its tags by. Two imports
     * making the same tag at once get the same one (the slug is unique).
     */
    async ensureBySlug(wanted: { slug: string; name: string }, actor?: Actor): Promise<{ id: string; created: boolean }> {
      const found = await repo.findBySlug(wanted.slug);
      if (found) return { id: found.id, created: false };
      try {
        return { id: (await service.create({ name: wanted.name, slug: wanted.slug }, actor)).id, created: true };
      } catch (error) {
        const code = error instanceof AppError ? error.code : translatePrismaError(error)?.code;
        const winner = code === 'slug_taken' || code === 'already_exists' ? await repo.findBySlug(wanted.slug) : null;
        if (winner) return { id: winner.id, created: false };
        throw error;
      }
    },
  };
  return service;
}

export type TagsService = ReturnType<typeof createTagsService>;
