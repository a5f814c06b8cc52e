import type { Prisma } from '../../db/database.ts';
import { createCommentsRepository } from './comments.repository.ts';
import { commentAdminRoutes, commentPublicRoutes } from './comments.routes.ts';
import { createCommentsService } from './comments.service.ts';

/** Comment counts: comments live in a separate service, which reports how many each article has. */
export function createCommentsModule(deps: { prisma: Prisma; now: () => Date; purge: (keys: string[]) => void }) {
  const service = createCommentsService({ repo: createCommentsRepository({ prisma: deps.prisma }), now: deps.now, purge: deps.purge });
  return { service, adminRoutes: commentAdminRoutes(service), publicRoutes: commentPublicRoutes(service) };
}

export type { CommentsService } from './comments.service.ts';
