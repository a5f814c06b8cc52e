import type { Prisma } from '../../db/database.ts';
import { authorPublicRoutes, userAdminRoutes } from './users.routes.ts';
import { createUsersService } from './users.service.ts';

export function createUsersModule(deps: { prisma: Prisma; now: () => Date }) {
  const service = createUsersService(deps.prisma, deps.now);
  return { service, adminRoutes: userAdminRoutes(service), publicRoutes: authorPublicRoutes(service) };
}

export type { UsersService } from './users.service.ts';
