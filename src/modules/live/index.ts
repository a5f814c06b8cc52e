import type { Prisma } from '../../db/database.ts';
import { noEventRecorder, type EventRecorder } from '../../shared/domain-events.ts';
import { noStreamRecorder, type StreamRecorder } from '../../shared/stream-events.ts';
import { createLiveRepository } from './live.repository.ts';
import { liveAdminRoutes, livePublicRoutes } from './live.routes.ts';
import { createLiveService, type LiveServiceDeps } from './live.service.ts';

/** Live coverage: a live article's entries, its coverage actions, and what the public reads of them. */
export function createLiveModule(
  deps: { prisma: Prisma; events?: EventRecorder; stream?: StreamRecorder } & Omit<LiveServiceDeps, 'repo' | 'events' | 'stream'>,
) {
  const { prisma, ...rest } = deps;
  const service = createLiveService({
    ...rest,
    repo: createLiveRepository({ prisma }),
    events: deps.events ?? noEventRecorder,
    stream: deps.stream ?? noStreamRecorder,
  });
  return { service, adminRoutes: liveAdminRoutes(service), publicRoutes: livePublicRoutes(service) };
}

export type { LiveService } from './live.service.ts';
