import type { Prisma } from '../../db/database.ts';
import type { MediaStorage } from '../../storage/storage.ts';
import { noEventRecorder, type EventRecorder } from '../../shared/domain-events.ts';
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
  const service = createMediaService({
    repo: createMediaRepository({ prisma: deps.prisma }),
    now: deps.now,
    storage: deps.storage,
    ...(deps.publicBaseUrl ? { publicBaseUrl: deps.publicBaseUrl } : {}),
    renditionWidths: deps.renditionWidths ?? [320, 640, 1024, 1600],
    aspectRatios: deps.aspectRatios ?? [],
    events: deps.events ?? noEventRecorder,
  });
  return { service, adminRoutes: mediaAdminRoutes(service, deps.maxBytes ?? defaultMaxBytes), publicRoutes: mediaPublicRoutes(service) };
}

export { toMediaResponse } from './media.mapper.ts';
export { receiveBytes } from './media.upload.ts';
export type { MediaKind, MediaService } from './media.service.ts';
