import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { anyone, anySignedIn } from '../../http/access.ts';
import { LoginBody, MeSchema, RefreshBody, TokenPairSchema } from './auth.schemas.ts';
import type { AuthService } from './auth.service.ts';

const tag = 'Auth';

export function authPublicRoutes(service: AuthService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/auth/login',
      operationId: 'login',
      summary: 'Sign in with e-mail and password',
      tag,
      access: anyone,
      description: 'Sign-ins and failed sign-ins are recorded in the audit log.',
      body: LoginBody,
      response: TokenPairSchema,
      errors: { 401: 'The e-mail or password is wrong, or the account is disabled.', 503: 'This server is checking as many passwords as it takes at once (code `server_busy`); nothing changed. Retry after Retry-After.' },
      // Failed sign-ins per e-mail and address and per address: a password spray meets 429 before any hashing.
      rateLimit: { failures: 'sign-in', accountOf: (body) => body.email },
      handler: ({ body, res }) => service.login(body.email, body.password, { requestId: res.locals.requestId as string }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/auth/refresh',
      operationId: 'refreshTokens',
      summary: 'Trade a refresh token for a new token pair',
      tag,
      access: anyone,
      description: 'Each refresh token works once. Presenting a used one revokes every token of that sign-in.',
      body: RefreshBody,
      response: TokenPairSchema,
      errors: { 401: 'The refresh token is unknown, used, revoked or expired.' },
      rateLimit: { failures: 'token' },
      handler: ({ body, res }) => service.refresh(body.refreshToken, { requestId: res.locals.requestId as string }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/auth/logout',
      operationId: 'logout',
      summary: 'End a sign-in: revoke its refresh tokens',
      tag,
      access: anyone,
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
      access: anySignedIn,
      response: MeSchema,
      handler: ({ actor }) => service.me(actor),
    }),
  ];
}
