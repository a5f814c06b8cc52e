import type { Prisma } from '../../db/database.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { ApiKeysService } from '../api-keys/api-keys.service.ts';
import type { AuditService } from '../audit/index.ts';
import type { UsersService } from '../users/users.service.ts';
import { LoginBody, MeSchema, RefreshBody, TokenPairSchema } from './auth.schemas.ts';
import { createAuthService } from './auth.service.ts';
import { createAccessTokens } from './tokens.ts';

const tag = 'Auth';

export function createAuthModule(deps: {
  prisma: Prisma;
  users: UsersService;
  apiKeys: ApiKeysService;
  jwtSecret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  now: () => Date;
  audit: AuditService;
}) {
  const tokens = createAccessTokens({ secret: deps.jwtSecret, ttlSeconds: deps.accessTtlSeconds, now: deps.now });
  const service = createAuthService({
    prisma: deps.prisma,
    users: deps.users,
    tokens,
    refreshTtlSeconds: deps.refreshTtlSeconds,
    now: deps.now,
    audit: deps.audit,
  });
  const publicRoutes: AnyRoute[] = [
    defineRoute({
      method: 'post',
      path: '/v1/auth/login',
      operationId: 'login',
      summary: 'Sign in with e-mail and password',
      tag,
      access: { public: true },
      description: 'Sign-ins and failed sign-ins are recorded in the audit log.',
      body: LoginBody,
      response: TokenPairSchema,
      errors: { 401: 'The e-mail or password is wrong, or the account is disabled.' },
      handler: ({ body, res }) => service.login(body.email, body.password, { requestId: res.locals.requestId as string }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/auth/refresh',
      operationId: 'refreshTokens',
      summary: 'Trade a refresh token for a new token pair',
      tag,
      access: { public: true },
      description: 'Each refresh token works once. Presenting a used one revokes every token of that sign-in.',
      body: RefreshBody,
      response: TokenPairSchema,
      errors: { 401: 'The refresh token is unknown, used, revoked or expired.' },
      handler: ({ body, res }) => service.refresh(body.refreshToken, { requestId: res.locals.requestId as string }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/auth/logout',
      operationId: 'logout',
      summary: 'End a sign-in: revoke its refresh tokens',
      tag,
      access: { public: true },
      body: RefreshBody,
      status: 204,
      handler: ({ body }) => service.logout(body.refreshToken),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/auth/me',
      operationId: 'me',
      summary: 'Who the credentials belong to',
      tag,
      access: { anyAuthenticated: true },
      response: MeSchema,
      handler: async ({ actor }) =>
        actor.type === 'user'
          ? { type: 'user' as const, user: await deps.users.get(actor.userId) }
          : { type: 'apiKey' as const, apiKey: await deps.apiKeys.describe(actor.apiKeyId) },
    }),
  ];
  return { service, tokens, publicRoutes, adminRoutes: [] as AnyRoute[] };
}
