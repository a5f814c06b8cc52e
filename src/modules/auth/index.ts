import type { Prisma } from '../../db/database.ts';
import type { AnyRoute } from '../../http/route.ts';
import { createAuthRepository } from './auth.repository.ts';
import { authPublicRoutes } from './auth.routes.ts';
import { createAuthService, type AuthServiceDeps } from './auth.service.ts';
import { createAccessTokens } from './tokens.ts';

export function createAuthModule(
  deps: { prisma: Prisma; jwtSecret: string; accessTtlSeconds: number } & Omit<AuthServiceDeps, 'repo' | 'tokens'>,
) {
  const tokens = createAccessTokens({ secret: deps.jwtSecret, ttlSeconds: deps.accessTtlSeconds, now: deps.now });
  const service = createAuthService({
    repo: createAuthRepository({ prisma: deps.prisma }),
    users: deps.users,
    apiKeys: deps.apiKeys,
    tokens,
    refreshTtlSeconds: deps.refreshTtlSeconds,
    now: deps.now,
    audit: deps.audit,
    passwords: deps.passwords,
  });
  return { service, tokens, publicRoutes: authPublicRoutes(service), adminRoutes: [] as AnyRoute[] };
}

export type { AuthService } from './auth.service.ts';
