import type { Prisma } from '../../db/database.ts';
import type { Dialect } from '../../db/dialect.ts';
import type { AdPlacementTracker } from '../../shared/ad-placements.ts';
import { noEventRecorder, type EventRecorder } from '../../shared/domain-events.ts';
import { createFeedRepository } from './feed.repository.ts';
import { feedAdminRoutes, feedPublicRoutes } from './feed.routes.ts';
import { createFeedService } from './feed.service.ts';

export function createFeedModule(deps: {
  prisma: Prisma;
  dialect: Dialect;
  now: () => Date;
  events?: EventRecorder;
  ads?: AdPlacementTracker;
}) {
  const service = createFeedService({
    repo: createFeedRepository({ prisma: deps.prisma, dialect: deps.dialect }),
    now: deps.now,
    events: deps.events ?? noEventRecorder,
    ...(deps.ads ? { ads: deps.ads } : {}),
  });
  return { service, adminRoutes: feedAdminRoutes(service), publicRoutes: feedPublicRoutes(service) };
}

export type { ArticleForFeed, FeedService } from './feed.service.ts';
