import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.ts';
import { isRole, userIdOf, type Actor } from '../../shared/actor.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import { toAdminMediaResponse, toMediaResponse } from './media.mapper.ts';
import type { MediaRepository, MediaRow } from './media.repository.ts';
import type { AdminMediaResponse, CreateMediaInput, ListMediaInput, MediaResponse, UpdateMediaInput } from './media.schemas.ts';

export type MediaKind = MediaRow['kind'];

export function createMediaService(repo: MediaRepository, now: () => Date) {
  async function findOrThrow(id: string): Promise<MediaRow> {
    const row = await repo.findById(id);
    if (!row) throw new NotFoundError('media');
    return row;
  }

  // The library is shared, but an author's changes stay within what they uploaded.
  function assertMayChange(row: MediaRow, actor: Actor): void {
    if (isRole(actor, 'author') && (actor.type !== 'user' || row.createdById !== actor.userId)) {
      throw new ForbiddenError('An author may change or delete only media they added.');
    }
  }

  async function assertNotInUse(id: string, doing: string): Promise<void> {
    const usage = await repo.usage(id);
    if (usage.articles.length === 0 && usage.avatarCount === 0) return;
    const uses = [
      usage.articles.length ? `${usage.articles.length} article${usage.articles.length > 1 ? 's' : ''}` : '',
      usage.avatarCount ? `the avatar of ${usage.avatarCount} user${usage.avatarCount > 1 ? 's' : ''}` : '',
    ].filter(Boolean).join(' and ');
    throw new ConflictError(`The media is used by ${uses}; ${doing}.`, 'media_in_use', { articles: usage.articles });
  }

  return {
    async list(query: ListMediaInput): Promise<Page<AdminMediaResponse>> {
      const key = query.cursor ? decodeCursor(query.cursor, isDateIdKey) : undefined;
      const rows = await repo.list(query.limit + 1, query.kind, key);
      return toPage(rows, query.limit, toAdminMediaResponse, (r) => [r.createdAt.toISOString(), r.id]);
    },

    async get(id: string): Promise<AdminMediaResponse> {
      return toAdminMediaResponse(await findOrThrow(id));
    },

    async getPublic(id: string): Promise<MediaResponse> {
      return toMediaResponse(await findOrThrow(id));
    },

    async create(input: CreateMediaInput, actor: Actor): Promise<AdminMediaResponse> {
      const at = now();
      const row = await repo.create({
        kind: input.kind,
        url: input.url,
        mimeType: input.mimeType,
        sizeBytes: input.sizeBytes ?? null,
        width: input.width ?? null,
        height: input.height ?? null,
        durationSeconds: input.durationSeconds ?? null,
        caption: input.caption ?? null,
        altText: input.altText ?? null,
        credit: input.credit ?? null,
        source: input.source ?? null,
        createdById: userIdOf(actor),
        // Timestamps from the injected clock, like every other time the service records.
        createdAt: at,
        updatedAt: at,
      });
      return toAdminMediaResponse(row);
    },

    async update(id: string, input: UpdateMediaInput, actor: Actor): Promise<AdminMediaResponse> {
      const current = await findOrThrow(id);
      assertMayChange(current, actor);
      // An article's cover must stay an image and its narration audio.
      if (input.kind !== undefined && input.kind !== current.kind) await assertNotInUse(id, 'its kind cannot change while it is used');
      return toAdminMediaResponse(await repo.update(id, { ...input, updatedAt: now() }));
    },

    async delete(id: string, actor: Actor): Promise<void> {
      assertMayChange(await findOrThrow(id), actor);
      await assertNotInUse(id, 'take it out of them first');
      await repo.delete(id);
    },

    /** The kind of each existing media among the ids (missing ones are absent), for validating references. */
    async kindsOf(ids: string[]): Promise<Map<string, MediaKind>> {
      if (ids.length === 0) return new Map();
      const rows = await repo.kindsOf([...new Set(ids)]);
      return new Map(rows.map((r) => [r.id, r.kind]));
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
