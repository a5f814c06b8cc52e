import type { Prisma } from '../../db/database.ts';
import type { AuditTrail } from '../../shared/audit-intent.ts';
import type { AnyRoute } from '../../http/route.ts';
import { createApiKeysRepository } from './api-keys.repository.ts';
import { apiKeyAdminRoutes } from './api-keys.routes.ts';
import { createApiKeysService } from './api-keys.service.ts';

export function createApiKeysModule(deps: { prisma: Prisma; now: () => Date; audit: AuditTrail }) {
  const service = createApiKeysService({ repo: createApiKeysRepository({ prisma: deps.prisma }), now: deps.now, audit: deps.audit });
  return { service, adminRoutes: apiKeyAdminRoutes(service), publicRoutes: [] as AnyRoute[] };
}

export type { ApiKeysService } from './api-keys.service.ts';
