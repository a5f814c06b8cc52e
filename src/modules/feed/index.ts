import type { Prisma } from '../../db/database.ts';
import { createFeedRepository } from './feed.repository.ts';
import { feedAdminRoutes, feedPublicRoutes } from './feed.routes.ts';
import { createFeedService } from './feed.service.ts';

export function createFeedModule(deps: { prisma: Prisma; now: () => Date }) {
  const service = createFeedService(createFeedRepository(deps.prisma), deps.now);
  return { service, adminRoutes: feedAdminRoutes(service), publicRoutes: feedPublicRoutes(service) };
}

export type { ArticleForFeed, FeedService } from './feed.service.ts';
