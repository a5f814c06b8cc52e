import { tmpdir } from 'node:os';
import type { Prisma } from '../../db/database.ts';
import type { MediaStorage } from '../../storage/storage.ts';
import { noEventRecorder, type EventRecorder } from '../../shared/domain-events.ts';
import { createImageWork } from './media.image-work.ts';
import type { ImageDecoder } from './media.images.ts';
import { createMediaRepository } from './media.repository.ts';
import { mediaAdminRoutes, mediaPublicRoutes } from './media.routes.ts';
import { createMediaService } from './media.service.ts';
import type { MaxBytes } from './media.upload.ts';

export interface MediaModuleDeps {
  prisma: Prisma;
  now: () => Date;
  /** Where uploaded files and renditions are kept. */
  storage: MediaStorage;
  /** Origin before file URLs (a CDN in front of the API); unset: paths on this API. */
  publicBaseUrl?: string;
  /** Largest accepted upload per kind, in bytes. */
  maxBytes?: MaxBytes;
  /** Widths of image renditions. */
  renditionWidths?: readonly number[];
  aspectRatios?: readonly string[];
  /** Images with more pixels (width × height) are refused with 422 `image_too_large`. */
  maxImagePixels?: number;
  /** Images decoded and encoded at once, at most. */
  processingConcurrency?: number;
  /** Renditions made of one image, at most. */
  maxRenditionsPerImage?: number;
  /** Uploads received at once by this instance, at most; 503 beyond. */
  maxUploadsInFlight?: number;
  /** Where uploads wait in temporary files until stored; the OS's temporary folder unless said. */
  uploadTempDir?: string;
  /** Decodes an image; tests pass one that counts. */
  decodeImage?: ImageDecoder;
  /** Where each change's webhook event is recorded, in the change's transaction. */
  events?: EventRecorder;
}

const defaultMaxBytes: MaxBytes = {
  image: 20 * 1024 * 1024,
  audio: 100 * 1024 * 1024,
  video: 500 * 1024 * 1024,
  document: 50 * 1024 * 1024,
};

export function createMediaModule(deps: MediaModuleDeps) {
  const aspectRatios = deps.aspectRatios ?? [];
  const images = createImageWork({
    maxPixels: deps.maxImagePixels ?? 40_000_000,
    concurrency: deps.processingConcurrency ?? 2,
    renditionWidths: deps.renditionWidths ?? [320, 640, 1024, 1600],
    aspectRatios,
    maxRenditions: deps.maxRenditionsPerImage ?? 36,
    ...(deps.decodeImage ? { decode: deps.decodeImage } : {}),
  });
  const service = createMediaService({
    repo: createMediaRepository({ prisma: deps.prisma }),
    now: deps.now,
    storage: deps.storage,
    ...(deps.publicBaseUrl ? { publicBaseUrl: deps.publicBaseUrl } : {}),
    images,
    aspectRatios,
    events: deps.events ?? noEventRecorder,
  });
  const adminRoutes = mediaAdminRoutes(service, {
    limits: { maxBytes: deps.maxBytes ?? defaultMaxBytes, tempDir: deps.uploadTempDir ?? tmpdir() },
    maxUploadsInFlight: deps.maxUploadsInFlight ?? 4,
  });
  return { service, images, adminRoutes, publicRoutes: mediaPublicRoutes(service) };
}

export { toMediaResponse } from './media.mapper.ts';
export { receiveBytes } from './media.upload.ts';
export type { MediaKind, MediaService } from './media.service.ts';
