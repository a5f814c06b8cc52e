import { translatePrismaError } from '../../db/prisma-errors.ts';
import { AppError, ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../errors.ts';
import { isRole, userIdOf, type Actor } from '../../shared/actor.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import { actorLabel } from '../../shared/actor-label.ts';
import type { DomainEventType, EventRecorder } from '../../shared/domain-events.ts';
import type { MediaStorage, OpenedObject } from '../../storage/storage.ts';
import type { ImageWork, StoredRendition } from './media.image-work.ts';
import { ImageTooLargeError, UnreadableImageError, type ImageFacts, type ImageSource } from './media.images.ts';
import { fileUrl, toAdminMediaResponse, toMediaResponse } from './media.mapper.ts';
import { mayChangeWhatThePublicSees } from './media.policy.ts';
import type { AfterWrite, MediaRepository, MediaRow, RenditionData } from './media.repository.ts';
import {
  uploadFacts,
  type AdminMediaResponse,
  type CreateMediaInput,
  type ListMediaInput,
  type MediaResponse,
  type UpdateMediaInput,
  type UploadMetadataInput,
} from './media.schemas.ts';
import { publicOriginalExts, renditionExts, servedTypes } from './media.types.ts';
import type { ReceivedFile } from './media.upload.ts';

export type MediaKind = MediaRow['kind'];

export interface MediaServiceDeps {
  repo: MediaRepository;
  now: () => Date;
  storage: MediaStorage;
  /** Origin put before file URLs (a CDN); empty: paths on this API. */
  publicBaseUrl?: string;
  /** Decodes images and makes their renditions, a few at a time. */
  images: ImageWork;
  /** Aspect ratios ("16:9") each image is also cropped to, around its focal point. */
  aspectRatios?: readonly string[];
  /** Records each change's webhook event in the change's transaction. */
  events: EventRecorder;
}

/** A stored file as served: its size and bytes (read only as far as asked), type and strong ETag (the content hash in its name). */
export interface ServedFile extends OpenedObject {
  contentType: string;
  etag: string;
}

export function unreadableMedia(detail: string): AppError {
  return new AppError(
    422,
    'unreadable_media',
    'Unreadable media',
    `The file looks like an image but cannot be decoded (truncated or damaged): ${detail}`,
  );
}

function imageTooLarge({ width, height, maxPixels }: ImageTooLargeError): AppError {
  return new AppError(
    422,
    'image_too_large',
    'Image too large',
    `The image is ${width}×${height} pixels; at most ${maxPixels} pixels (width × height) are accepted.`,
    { width, height, maxPixels },
  );
}

// What the image library refuses, as the API answers it.
function translateImageError(error: unknown): unknown {
  if (error instanceof ImageTooLargeError) return imageTooLarge(error);
  if (error instanceof UnreadableImageError) return unreadableMedia(error.message);
  return error;
}

export function createMediaService({ repo, now, storage, publicBaseUrl = '', images, aspectRatios = [], events }: MediaServiceDeps) {
  const recordEvent =
    (type: DomainEventType, actor: Actor | null): AfterWrite =>
    (tx, row) =>
      events.record(tx, { type, entity: { id: row.id, slug: null, version: row.version }, actor: actor ? actorLabel(actor) : 'system' });

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

  function assertAtVersion(row: MediaRow, expectedVersion: number | null): void {
    if (expectedVersion !== null && row.version !== expectedVersion) throw new PreconditionFailedError(toAdminMediaResponse(row));
  }

  // A conditional write that changed nothing: the media is gone (404) or at another version (412).
  async function failConditionalWrite(id: string): Promise<never> {
    throw new PreconditionFailedError(toAdminMediaResponse(await findOrThrow(id)));
  }

  // Any article, draft or not, keeps its media: a draft's body blocks point at it by id.
  async function assertNotInUse(id: string, doing: string): Promise<void> {
    const usage = await repo.usage(id);
    if (usage.articles.length === 0 && usage.avatarCount === 0) return;
    const uses = [
      usage.articles.length ? `${usage.articles.length} article${usage.articles.length > 1 ? 's' : ''}` : '',
      usage.avatarCount ? `the avatar of ${usage.avatarCount} user${usage.avatarCount > 1 ? 's' : ''}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    throw new ConflictError(`The media is used by ${uses}; ${doing}.`, 'media_in_use', { articles: usage.articles });
  }

  /** Deletes stored files that no media or rendition points at any more; a failure leaves an orphan file, not an error. */
  async function removeUnreferenced(keys: string[]): Promise<void> {
    const inUse = await repo.keysInUse(keys);
    await Promise.allSettled([...new Set(keys)].filter((key) => !inUse.has(key)).map((key) => storage.delete(key)));
  }

  /** A new focal point moves every aspect-ratio crop: they are encoded again from the stored original. */
  async function recropIfFocalMoved(current: MediaRow, input: UpdateMediaInput): Promise<{ rows: RenditionData[] } | undefined> {
    const focal = {
      x: input.focalX === undefined ? current.focalX : input.focalX,
      y: input.focalY === undefined ? current.focalY : input.focalY,
    };
    if (current.kind !== 'image' || !current.storageKey || aspectRatios.length === 0) return undefined;
    if (focal.x === current.focalX && focal.y === current.focalY) return undefined;
    const original = await storage.get(current.storageKey);
    if (!original) return undefined;
    const { renditions } = await renderImage(original.data, { focal, onlyCrops: true });
    const rows = renditions.map(toRenditionRow);
    for (const crop of renditions) await storage.put(crop.key, crop.data, crop.mimeType);
    return { rows };
  }

  async function renderImage(
    source: ImageSource,
    crops: { focal: { x: number | null; y: number | null }; onlyCrops?: boolean },
  ): Promise<{ facts: ImageFacts; renditions: StoredRendition[] }> {
    try {
      return await images.render(source, crops);
    } catch (error) {
      throw translateImageError(error);
    }
  }

  /**
   * Media that a published or scheduled article shows is public: changing it changes what readers see,
   * which only those who may publish may do (the editor and admin roles, a key with the publish scope).
   */
  async function assertMayChangeShown(row: MediaRow, actor: Actor): Promise<void> {
    if (mayChangeWhatThePublicSees(actor)) return;
    if (await repo.isShownByPublicArticle(row.id)) {
      throw new ForbiddenError(
        'A published or scheduled article shows this media: changing or deleting it needs the editor role or the publish scope.',
      );
    }
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
      const row = await repo.create(
        {
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
          focalX: input.focalX ?? null,
          focalY: input.focalY ?? null,
          createdById: userIdOf(actor),
          // Timestamps from the injected clock, like every other time the service records.
          createdAt: at,
          updatedAt: at,
        },
        recordEvent('media.created', actor),
      );
      events.committed();
      return toAdminMediaResponse(row);
    },

    /**
     * Stores an uploaded file: images get their size, dominant colour and renditions; the same bytes
     * uploaded again answer the media already stored (`created: false`). A refused or failed upload
     * leaves no row and no file behind.
     */
    async upload(
      file: ReceivedFile,
      metadata: UploadMetadataInput,
      /** null: the app itself made the file (a generated narration). */
      actor: Actor | null,
      /** `originUrl`: where the app fetched the file from (an imported photo), so that it is not fetched again. */
      facts: { durationSeconds?: number; originUrl?: string } = {},
    ): Promise<{ created: boolean; media: AdminMediaResponse }> {
      const existing = await repo.findByContentHash(file.contentHash);
      if (existing) return { created: false, media: toAdminMediaResponse(existing) };

      const focal = { x: metadata.focalX ?? null, y: metadata.focalY ?? null };
      const image = file.type.kind === 'image' ? await renderImage(file.imageSource, { focal }) : undefined;
      const originalKey = `originals/${file.contentHash}.${file.type.ext}`;
      // An image is shown through its renditions (its original may carry EXIF); the largest fallback one is its url.
      const shownKey = image
        ? image.renditions
            .filter((r) => r.aspectRatio === 'original' && r.format === image.facts.fallbackFormat)
            .sort((a, b) => b.width - a.width)[0]!.key
        : originalKey;
      const written: string[] = [];
      try {
        for (const rendition of image?.renditions ?? []) {
          written.push(rendition.key);
          await storage.put(rendition.key, rendition.data, rendition.mimeType);
        }
        written.push(originalKey);
        await storage.putStream(originalKey, file.read(), file.type.mimeType, file.sizeBytes);
        const at = now();
        const row = await repo.createUploaded(
          {
            kind: file.type.kind,
            url: fileUrl(shownKey, publicBaseUrl),
            mimeType: file.type.mimeType,
            sizeBytes: file.sizeBytes,
            width: image?.facts.width ?? null,
            height: image?.facts.height ?? null,
            durationSeconds: facts.durationSeconds ?? null,
            caption: metadata.caption ?? null,
            altText: metadata.altText ?? null,
            credit: metadata.credit ?? null,
            source: metadata.source ?? null,
            focalX: metadata.focalX ?? null,
            focalY: metadata.focalY ?? null,
            dominantColor: image?.facts.dominantColor ?? null,
            contentHash: file.contentHash,
            storageKey: originalKey,
            originUrl: facts.originUrl ?? null,
            createdById: actor ? userIdOf(actor) : null,
            createdAt: at,
            updatedAt: at,
          },
          (image?.renditions ?? []).map(toRenditionRow),
          recordEvent('media.created', actor),
        );
        events.committed();
        return { created: true, media: toAdminMediaResponse(row) };
      } catch (error) {
        await removeUnreferenced(written);
        // The same file uploaded at the same moment: the other upload stored it.
        if (translatePrismaError(error)?.code === 'already_exists') {
          const winner = await repo.findByContentHash(file.contentHash);
          if (winner) return { created: false, media: toAdminMediaResponse(winner) };
        }
        throw error;
      }
    },

    async update(id: string, input: UpdateMediaInput, actor: Actor, expectedVersion: number | null = null): Promise<AdminMediaResponse> {
      const current = await findOrThrow(id);
      assertMayChange(current, actor);
      await assertMayChangeShown(current, actor);
      assertAtVersion(current, expectedVersion);
      if (current.storageKey !== null) {
        const fixed = uploadFacts.filter((field) => input[field] !== undefined && input[field] !== current[field]);
        if (fixed.length) {
          throw new ValidationError(
            'These fields were measured from the uploaded file and cannot change.',
            fixed.map((field) => ({ field: `body.${field}`, message: 'Set by the upload' })),
          );
        }
      }
      // An article's cover must stay an image and its narration audio.
      if (input.kind !== undefined && input.kind !== current.kind) await assertNotInUse(id, 'its kind cannot change while it is used');
      const crops = await recropIfFocalMoved(current, input);
      const isUpdated = await repo.updateAtVersion(
        id,
        expectedVersion,
        { ...input, updatedAt: now() },
        crops?.rows,
        recordEvent('media.updated', actor),
      );
      events.committed();
      if (!isUpdated) {
        await removeUnreferenced(crops?.rows.map((r) => r.storageKey) ?? []);
        await failConditionalWrite(id);
      }
      if (crops) await removeUnreferenced(current.renditions.filter((r) => r.aspectRatio !== 'original').map((r) => r.storageKey));
      return toAdminMediaResponse(await findOrThrow(id));
    },

    /** Deletes the media, its renditions and the files no other media shares. */
    async delete(id: string, actor: Actor, expectedVersion: number | null = null): Promise<void> {
      const row = await findOrThrow(id);
      assertMayChange(row, actor);
      await assertMayChangeShown(row, actor);
      assertAtVersion(row, expectedVersion);
      await assertNotInUse(id, 'take it out of them first');
      if (!(await repo.deleteAtVersion(id, expectedVersion, recordEvent('media.deleted', actor)))) await failConditionalWrite(id);
      events.committed();
      await removeUnreferenced([...(row.storageKey ? [row.storageKey] : []), ...row.renditions.map((r) => r.storageKey)]);
    },

    /**
     * A stored file for the public: image renditions, and the originals of audio, video and
     * documents; never an image's original. Null when there is no such file.
     */
    async readFile(folder: 'renditions' | 'originals', name: string): Promise<ServedFile | null> {
      const [hash, ext = ''] = name.split('.');
      const servable = folder === 'renditions' ? renditionExts.has(ext) : publicOriginalExts.has(ext);
      if (!servable || !hash) return null;
      const stored = await storage.open(`${folder}/${name}`);
      return stored ? { ...stored, contentType: servedTypes[ext]!, etag: `"${hash}"` } : null;
    },

    /** The media fetched from this address before (an imported photo), so that it is not fetched again. */
    async findByOriginUrl(originUrl: string): Promise<AdminMediaResponse | null> {
      const row = await repo.findByOriginUrl(originUrl);
      return row ? toAdminMediaResponse(row) : null;
    },

    async exists(id: string): Promise<boolean> {
      return (await repo.kindsOf([id])).length > 0;
    },

    /** The kind of each existing media among the ids (missing ones are absent), for validating references. */
    async kindsOf(ids: string[]): Promise<Map<string, MediaKind>> {
      if (ids.length === 0) return new Map();
      const rows = await repo.kindsOf([...new Set(ids)]);
      return new Map(rows.map((r) => [r.id, r.kind]));
    },
  };
}

const toRenditionRow = (r: StoredRendition): RenditionData => ({
  aspectRatio: r.aspectRatio,
  width: r.width,
  height: r.height,
  format: r.format,
  mimeType: r.mimeType,
  sizeBytes: r.data.length,
  storageKey: r.key,
});

export type MediaService = ReturnType<typeof createMediaService>;
