import type { Prisma } from '../../db/database.ts';
import type { AnyRoute } from '../../http/route.ts';
import { createAuditRepository } from './audit.repository.ts';
import { auditAdminRoutes } from './audit.routes.ts';
import { createAuditService } from './audit.service.ts';

export function createAuditModule(deps: { prisma: Prisma; now: () => Date }) {
  const service = createAuditService({ repo: createAuditRepository({ prisma: deps.prisma }), now: deps.now });
  // `trail` writes a request's entry in its change's transaction; `service.record` after it, where no transaction wrote one.
  return { service, trail: service.trail, adminRoutes: auditAdminRoutes(service), publicRoutes: [] as AnyRoute[] };
}

export type { AuditEvent, AuditService } from './audit.service.ts';
