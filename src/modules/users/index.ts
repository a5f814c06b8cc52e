import type { Prisma } from '../../db/database.ts';
import { createUsersRepository } from './users.repository.ts';
import { authorPublicRoutes, userAdminRoutes } from './users.routes.ts';
import { createUsersService, type UsersServiceDeps } from './users.service.ts';

export function createUsersModule(deps: { prisma: Prisma } & Omit<UsersServiceDeps, 'repo'>) {
  const service = createUsersService({
    repo: createUsersRepository({ prisma: deps.prisma }),
    now: deps.now,
    media: deps.media,
    revokeSignIns: deps.revokeSignIns,
    passwords: deps.passwords,
    audit: deps.audit,
  });
  return { service, adminRoutes: userAdminRoutes(service), publicRoutes: authorPublicRoutes(service) };
}

export type { UsersService } from './users.service.ts';
