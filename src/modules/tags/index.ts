import type { Prisma } from '../../db/database.ts';
import { noEventRecorder, type EventRecorder } from '../../shared/domain-events.ts';
import type { SearchIndexer } from '../../shared/search-indexer.ts';
import { createTagsRepository } from './tags.repository.ts';
import { tagAdminRoutes, tagPublicRoutes } from './tags.routes.ts';
import { createTagsService } from './tags.service.ts';

export function createTagsModule(deps: { prisma: Prisma; searchIndex: SearchIndexer; events?: EventRecorder }) {
  const service = createTagsService({
    repo: createTagsRepository({ prisma: deps.prisma }),
    searchIndex: deps.searchIndex,
    events: deps.events ?? noEventRecorder,
  });
  return { service, adminRoutes: tagAdminRoutes(service), publicRoutes: tagPublicRoutes(service) };
}

export type { TagsService } from './tags.service.ts';
