import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { IdParams, ProblemSchema } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';
import { defineRoute, HttpResult, type AnyRoute } from '../../http/route.ts';
import { parsePart } from '../../http/request-parsing.ts';
import { anyone, staffRead, staffMedia } from '../../http/access.ts';
import { AppError, NotFoundError, ValidationError } from '../../errors.ts';
import {
  AdminMediaPage,
  AdminMediaSchema,
  BinaryFile,
  CreateMediaBody,
  FileKeyParams,
  ListMediaQuery,
  MediaSchema,
  UpdateMediaBody,
  UploadMediaForm,
  UploadMediaQuery,
  UploadMetadata,
  type UploadMetadataInput,
} from './media.schemas.ts';
import type { MediaService } from './media.service.ts';
import { receiveUpload, stopReading, type UploadLimits } from './media.upload.ts';

const tag = 'Media';
const inUse = "The media is used by articles (listed in `articles`, with their status) or as a user's avatar; code `media_in_use`.";
const binary = { schema: BinaryFile };

// Metadata fields of a multipart form, checked like a JSON body (422 naming `body.<field>`).
// Parsed as a JSON body is (a NUL character refused first), its fields named `body.<field>`.
function parseFormFields(fields: Record<string, string>): UploadMetadataInput {
  return parsePart(UploadMetadata, fields, 'body', ValidationError) as UploadMetadataInput;
}

export interface UploadSettings {
  limits: UploadLimits;
  /** Uploads this instance receives at once, at most; 503 with Retry-After beyond. */
  maxUploadsInFlight: number;
}

const busyRetryAfterSeconds = 5;

function tooManyUploads(max: number): AppError {
  return new AppError(
    503,
    'too_many_uploads',
    'Too many uploads',
    `This server is receiving ${max} uploads already; retry after Retry-After seconds.`,
  );
}

// What an upload says, for its Idempotency-Key: the file's bytes (their sha256) and its metadata.
function uploadDigest(contentHash: string, metadata: UploadMetadataInput): string {
  const fields = Object.entries(metadata)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `${contentHash}\n${JSON.stringify(fields)}`;
}

export function mediaAdminRoutes(service: MediaService, uploads: UploadSettings): AnyRoute[] {
  // Uploads being received or processed by this instance: each holds a temporary file and, for an image, its pixels.
  let uploadsInFlight = 0;
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/media',
      operationId: 'listMedia',
      summary: 'List media, newest first',
      tag,
      access: staffRead,
      query: ListMediaQuery,
      response: AdminMediaPage,
      handler: ({ query }) => service.list(query),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/media/{id}',
      operationId: 'getMedia',
      summary: 'Get a media item',
      tag,
      access: staffRead,
      params: IdParams,
      response: AdminMediaSchema,
      handler: ({ params }) => service.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/media',
      operationId: 'createMedia',
      summary: 'Register a media item (its metadata)',
      tag,
      access: staffMedia,
      description: 'The file itself is served from `url`; this records what a page needs to show it with its credit.',
      body: CreateMediaBody,
      status: 201,
      response: AdminMediaSchema,
      audit: { action: 'media.create', targetType: 'media' },
      handler: ({ body, actor }) => service.create(body, actor),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/media/upload',
      operationId: 'uploadMedia',
      summary: 'Upload a media file',
      tag,
      access: staffMedia,
      description: [
        'Either `multipart/form-data` with the file in `file` and metadata fields, or the file itself as the body (any Content-Type) with metadata in the query.',
        'The type is decided by the content, never by the name or the declared type: JPEG, PNG, WebP, AVIF, GIF, MP3, M4A, OGG, MP4, WebM and PDF are accepted (SVG is not).',
        'Limits per kind are in the configuration (MEDIA_MAX_*_BYTES). Images get their size, dominant colour and renditions ' +
          '(AVIF, WebP and JPEG or PNG at several widths, upright, without metadata); their original is kept but never served. ' +
          'An image of more pixels than MEDIA_MAX_IMAGE_PIXELS is refused from its header.',
        'The same file uploaded again answers the media already stored, with 200. ' +
          'With an Idempotency-Key, a retry is replayed only for the same file (by its sha256) and metadata.',
      ].join('\n\n'),
      query: UploadMediaQuery,
      streamedBody: {
        description: 'The file, as a form or as the body itself.',
        content: { 'multipart/form-data': { schema: UploadMediaForm }, 'application/octet-stream': binary, '*/*': binary },
      },
      status: 201,
      response: AdminMediaSchema,
      responseDescription: 'Stored.',
      errors: {
        413: 'The file is larger than the limit of its kind (code `payload_too_large`); the rest of the body is not read.',
        415: 'The content is not an accepted type (code `unsupported_media_type`).',
        422:
          'An image that cannot be decoded (code `unreadable_media`), an image of more pixels than accepted (code `image_too_large`), ' +
          'invalid form fields (code `validation_failed`), or an Idempotency-Key used for another file (code `idempotency_key_reused`).',
      },
      extraResponses: {
        503: {
          description:
            'This server is receiving as many uploads as it takes at once (code `too_many_uploads`; nothing was read or stored), ' +
            'or the database could not take the write (codes `write_conflict`, `database_unavailable`). Retry after Retry-After.',
          headers: {
            'Retry-After': { description: 'Seconds to wait before retrying.', required: true, schema: { type: 'string', example: '5' } },
          },
          content: { 'application/problem+json': { schema: ProblemSchema } },
        },
        200: {
          description: 'The same file was uploaded before: the media already stored.',
          content: { 'application/json': { schema: AdminMediaSchema } },
        },
      },
      audit: { action: 'media.upload', targetType: 'media' },
      handler: async ({ req, res, query, actor, addAuditDetails, streamedBodyRead }) => {
        if (uploadsInFlight >= uploads.maxUploadsInFlight) {
          stopReading(req);
          res.set('Retry-After', String(busyRetryAfterSeconds));
          throw tooManyUploads(uploads.maxUploadsInFlight);
        }
        uploadsInFlight++;
        try {
          const { filename, ...queryMetadata } = query;
          const file = await receiveUpload(req, uploads.limits);
          try {
            const metadata = { ...queryMetadata, ...parseFormFields(file.fields) };
            // Before anything is stored: a retry of this upload replays its first answer, another file under its key is refused.
            await streamedBodyRead(uploadDigest(file.contentHash, metadata));
            // Known before the media is stored, so that the audit entry commits with it.
            const fileName = file.fileName ?? filename ?? null;
            addAuditDetails({ fileName, mimeType: file.type.mimeType, sizeBytes: file.sizeBytes, deduplicated: false });
            const { created, media } = await service.upload(file, metadata, actor);
            // Nothing was stored: the entry is written after the call, with this.
            if (!created) addAuditDetails({ deduplicated: true });
            return created ? media : new HttpResult(200, media);
          } finally {
            await file.dispose();
          }
        } finally {
          uploadsInFlight--;
        }
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/admin/media/{id}',
      operationId: 'updateMedia',
      summary: 'Update a media item',
      tag,
      access: staffMedia,
      description:
        'An author may change only media they added. Media that a published or scheduled article shows is public: changing it ' +
        'needs the editor or admin role, or an API key with the `publish` scope. The kind cannot change while the media is in use; ' +
        'the file facts of uploaded media never change.',
      params: IdParams,
      body: UpdateMediaBody,
      response: AdminMediaSchema,
      errors: { 409: inUse },
      ifMatch: true,
      audit: { action: 'media.update', targetType: 'media' },
      handler: ({ params, body, actor, expectedVersion }) => service.update(params.id, body, actor, expectedVersion),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/admin/media/{id}',
      operationId: 'deleteMedia',
      summary: 'Delete a media item',
      tag,
      access: staffMedia,
      description:
        'An author may delete only media they added; media that a published or scheduled article shows needs the editor or admin ' +
        "role, or an API key with the `publish` scope (403 otherwise). Refused while an article (of any status) or a user's avatar " +
        'uses it. Deletes the renditions and the stored files too.',
      params: IdParams,
      status: 204,
      errors: { 409: inUse },
      ifMatch: true,
      audit: { action: 'media.delete', targetType: 'media' },
      handler: ({ params, actor, expectedVersion }) => service.delete(params.id, actor, expectedVersion),
    }),
  ];
}

const text = { type: 'string' } as const;
const embeddable = {
  'Cross-Origin-Resource-Policy': { description: '`cross-origin`: pages on any site may show the file.', schema: text },
};
const fileHeaders = {
  ETag: { description: 'The content hash.', schema: text },
  'Cache-Control': { description: '`public, max-age=31536000, immutable`', schema: text },
  'Accept-Ranges': { description: '`bytes`', schema: text },
  ...embeddable,
};
const fileRequestHeaders = {
  Range: z.string().optional().openapi({
    description:
      'One byte range (`bytes=<first>-<last>`, `bytes=<first>-` or `bytes=-<suffix length>`): answered with 206. Several ranges, or another unit, get the whole file.',
    example: 'bytes=0-1',
  }),
  'If-Range': z.string().optional().openapi({
    description: 'The ETag the caller holds: the Range is served only while it is current (a weak ETag or a date gets the whole file).',
    example: '"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
  }),
  'If-None-Match': z.string().optional().openapi({ description: 'The ETag the caller holds: 304 without a body while it is current.' }),
};
const fileContent = { 'image/*': binary, 'audio/*': binary, 'video/*': binary, 'application/pdf': binary };

/**
 * The one byte range a request asks for (RFC 9110 §14), or undefined to send the whole file: no or an
 * unreadable Range, several ranges (allowed to be ignored), or an If-Range that is not this file.
 */
export function byteRange(
  range: string | undefined,
  ifRange: string | undefined,
  etag: string,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!range || (ifRange !== undefined && ifRange.trim() !== etag)) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    // A suffix: the last N bytes.
    const length = Math.min(Number(match[2]), size);
    return length === 0 ? 'unsatisfiable' : { start: size - length, end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start > end && match[2] !== '' && Number(match[2]) < start) return undefined;
  return start >= size ? 'unsatisfiable' : { start, end };
}

/**
 * Sends the stream as the body. A client that goes away mid-file (a player seeking, a reader leaving)
 * is no error of ours; a store that fails mid-file is, and the cut-off response tells the client so.
 */
async function streamTo(res: Response, body: Readable): Promise<void> {
  try {
    await pipeline(body, res);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' && res.destroyed && !res.writableFinished) return;
    throw error;
  }
}

export function mediaPublicRoutes(service: MediaService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/media/{id}',
      operationId: 'getPublicMedia',
      summary: 'Get a media item',
      tag,
      access: anyone,
      params: IdParams,
      response: MediaSchema,
      cache: { lists: [] },
      handler: ({ params }) => service.getPublic(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/media/files/{folder}/{name}',
      operationId: 'getMediaFile',
      summary: 'Download a stored media file',
      tag,
      access: anyone,
      description:
        "Image renditions and the originals of audio, video and documents, as linked from media responses. Content-addressed, so cached for a year; an image's original is never served. A single byte `Range` is answered with 206 (audio and video players seek with it; Safari plays nothing without it). Any origin may embed the files (`Cross-Origin-Resource-Policy: cross-origin`): front ends on other sites show them.",
      // Content-addressed files answer with their own immutable caching and 304s.
      params: FileKeyParams,
      cache: false,
      requestHeaders: fileRequestHeaders,
      extraResponses: {
        416: {
          description: 'The Range starts beyond the end of the file; `Content-Range: bytes */<size>` tells the size.',
          headers: { 'Content-Range': { description: '`bytes */<size>`', schema: text } },
          content: { 'application/problem+json': { schema: ProblemSchema } },
        },
        200: {
          description: 'The file.',
          headers: fileHeaders,
          content: fileContent,
        },
        206: {
          description: 'The part of the file a single byte `Range` asked for.',
          headers: { ...fileHeaders, 'Content-Range': { description: '`bytes <first>-<last>/<size>`', schema: text } },
          content: fileContent,
        },
        304: { description: 'If-None-Match holds the current ETag.', headers: { ETag: fileHeaders.ETag, ...embeddable } },
      },
      handler: async ({ params, req, res }) => {
        const file = await service.readFile(params.folder, params.name);
        if (!file) throw new NotFoundError('file');
        res.set({
          'Content-Type': file.contentType,
          'Cache-Control': 'public, max-age=31536000, immutable',
          ETag: file.etag,
          'Accept-Ranges': 'bytes',
          'X-Content-Type-Options': 'nosniff',
          // helmet's default (same-origin) would stop a front end on another origin from showing the photo.
          'Cross-Origin-Resource-Policy': 'cross-origin',
        });
        if (
          req
            .get('if-none-match')
            ?.split(',')
            .some((tag) => tag.trim() === file.etag)
        ) {
          res.status(304).end();
          return;
        }
        const part = byteRange(req.get('range'), req.get('if-range'), file.etag, file.size);
        if (part === 'unsatisfiable') {
          // An error answer: not the file's year-long caching, nor its validator.
          res.removeHeader('ETag');
          res.set({ 'Content-Range': `bytes */${file.size}`, 'Cache-Control': 'no-store' });
          throw new AppError(416, 'range_not_satisfiable', 'Range not satisfiable', `The file has ${file.size} bytes.`, {
            sizeBytes: file.size,
          });
        }
        if (part) res.status(206).set('Content-Range', `bytes ${part.start}-${part.end}/${file.size}`);
        res.set('Content-Length', String(part ? part.end - part.start + 1 : file.size));
        if (req.method === 'HEAD' || file.size === 0) {
          res.end();
          return;
        }
        await streamTo(res, await file.read(part));
      },
    }),
  ];
}
