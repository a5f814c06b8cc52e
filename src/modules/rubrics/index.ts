import type { Prisma } from '../../db/database.ts';
import type { Dialect } from '../../db/dialect.ts';
import { noEventRecorder, type EventRecorder } from '../../shared/domain-events.ts';
import { createRubricsRepository } from './rubrics.repository.ts';
import { rubricAdminRoutes, rubricPublicRoutes } from './rubrics.routes.ts';
import { createRubricsService } from './rubrics.service.ts';

export function createRubricsModule(deps: { prisma: Prisma; dialect: Dialect; events?: EventRecorder }) {
  const service = createRubricsService({
    repo: createRubricsRepository({ prisma: deps.prisma, dialect: deps.dialect }),
    events: deps.events ?? noEventRecorder,
  });
  return { service, adminRoutes: rubricAdminRoutes(service), publicRoutes: rubricPublicRoutes(service) };
}

export type { RubricsService } from './rubrics.service.ts';
