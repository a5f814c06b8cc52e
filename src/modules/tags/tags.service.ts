import { NotFoundError, PreconditionFailedError } from '../../errors.ts';
import { decodeCursor, toPage, type Page } from '../../shared/cursor.ts';
import { resolveSlug } from '../../shared/slug-check.ts';
import type { SearchIndexer } from '../search/index.ts';
import { toTagRef, toTagResponse } from './tags.mapper.ts';
import type { TagRow, TagsRepository } from './tags.repository.ts';
import type { CreateTagInput, TagRefResponse, TagResponse, UpdateTagInput } from './tags.schemas.ts';

const isNameIdKey = (v: unknown[]): v is [string, string] => v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string';
const keyOf = (row: TagRow) => [row.name, row.id];

/** `searchIndex`: a tag's name is searchable on its articles, so a rename or deletion reindexes them. */
export function createTagsService(repo: TagsRepository, searchIndex: Pick<SearchIndexer, 'reindexAfterTagChange'>) {
  // A conditional write that changed nothing: the tag is gone (404) or at another version (412).
  async function failConditionalWrite(id: string): Promise<never> {
    const row = await repo.findById(id);
    if (!row) throw new NotFoundError('tag');
    throw new PreconditionFailedError(toTagResponse(row));
  }

  return {
    async list(limit: number, cursor?: string): Promise<Page<TagResponse>> {
      const key = cursor ? decodeCursor(cursor, isNameIdKey) : undefined;
      return toPage(await repo.list(limit + 1, key), limit, toTagResponse, keyOf);
    },

    async listPublic(limit: number, cursor?: string): Promise<Page<TagRefResponse>> {
      const key = cursor ? decodeCursor(cursor, isNameIdKey) : undefined;
      return toPage(await repo.list(limit + 1, key), limit, toTagRef, keyOf);
    },

    async get(id: string): Promise<TagResponse> {
      const row = await repo.findById(id);
      if (!row) throw new NotFoundError('tag');
      return toTagResponse(row);
    },

    async create(input: CreateTagInput): Promise<TagResponse> {
      const slug = await resolveSlug({ given: input.slug, source: input.name, isTaken: (s) => repo.isSlugTaken(s) });
      return toTagResponse(await repo.create({ name: input.name, slug }));
    },

    /** Changes the tag if it is still at `expectedVersion` (null: whatever its version). */
    async update(id: string, input: UpdateTagInput, expectedVersion: number | null = null): Promise<TagResponse> {
      const current = await repo.findById(id);
      if (!current) throw new NotFoundError('tag');
      if (expectedVersion !== null && current.version !== expectedVersion) throw new PreconditionFailedError(toTagResponse(current));
      // A renamed tag keeps its slug: links to the tag page stay valid unless a new slug is given.
      const slug = input.slug !== undefined && input.slug !== current.slug
        ? await resolveSlug({ given: input.slug, source: current.name, isTaken: (s) => repo.isSlugTaken(s, id) })
        : undefined;
      const data = { ...(input.name !== undefined ? { name: input.name } : {}), ...(slug ? { slug } : {}) };
      const isUpdated = input.name !== undefined && input.name !== current.name
        ? await repo.inTransaction((tx) => searchIndex.reindexAfterTagChange(tx, id, () => repo.updateAtVersion(id, expectedVersion, data, tx)))
        : await repo.updateAtVersion(id, expectedVersion, data);
      if (!isUpdated) await failConditionalWrite(id);
      const row = await repo.findById(id);
      if (!row) throw new NotFoundError('tag');
      return toTagResponse(row);
    },

    /** Also takes the tag off every article that has it. */
    async delete(id: string, expectedVersion: number | null = null): Promise<void> {
      const isDeleted = await repo.inTransaction((tx) => searchIndex.reindexAfterTagChange(tx, id, () => repo.deleteAtVersion(id, expectedVersion, tx)));
      if (!isDeleted) await failConditionalWrite(id);
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
  };
}

export type TagsService = ReturnType<typeof createTagsService>;
