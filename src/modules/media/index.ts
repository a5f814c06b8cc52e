import type { Prisma } from '../../db/database.ts';
import { createMediaRepository } from './media.repository.ts';
import { mediaAdminRoutes, mediaPublicRoutes } from './media.routes.ts';
import { createMediaService } from './media.service.ts';

export function createMediaModule(deps: { prisma: Prisma; now: () => Date }) {
  const service = createMediaService(createMediaRepository(deps.prisma), deps.now);
  return { service, adminRoutes: mediaAdminRoutes(service), publicRoutes: mediaPublicRoutes(service) };
}

export type { MediaKind, MediaService } from './media.service.ts';
