import cors from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Actor } from './shared/actor.ts';
import { jsonBody } from './http/json-body.ts';
import { errorHandler, notFoundHandler } from './http/problem.ts';
import { requestContext } from './http/request-context.ts';
import type { IdempotencyStore } from './http/idempotency.ts';
import type { PublicCache } from './http/public-cache.ts';
import type { RateLimits } from './http/rate-limit.ts';
import { mountRoutes, type AnyRoute } from './http/route.ts';
import type { AuditEventInput } from './shared/audit-event.ts';
import type { WrittenAuditEntry } from './shared/audit-intent.ts';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { buildOpenApiDocument, createOpenApiRegistry } from './openapi.ts';

export interface AppModule {
  adminRoutes: AnyRoute[];
  publicRoutes: AnyRoute[];
  /** Documents what is not a route (the webhooks the API sends). */
  registerOpenApi?: (registry: OpenAPIRegistry) => void;
  /** Middleware and files that are not API operations (the reference's static assets), mounted before the routes. */
  router?: express.Router;
}

export interface AppDeps {
  config: Pick<Config, 'corsOrigins' | 'bodyLimit'> & Partial<Pick<Config, 'trustProxy'>>;
  logger: Logger;
  modules: AppModule[];
  authenticate: (req: express.Request) => Promise<Actor>;
  /** Where routes declared with `audit` record their succeeded calls. */
  recordAudit?: (event: AuditEventInput, written?: WrittenAuditEntry) => Promise<void>;
  /** Idempotency-Key support for management POSTs. */
  idempotency?: IdempotencyStore;
  /** Caches public GETs (validators, caching headers, an in-process store); management writes purge it. */
  publicCache?: PublicCache;
  /** Rate limits: management calls, public reads (when on), failed sign-ins and token uses. */
  rateLimits?: RateLimits;
}

// Management and auth answers are per caller and must never be stored by a cache on the way.
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/** Builds the HTTP app from its dependencies; no side effects, so a test can build several. */
export function createApp(deps: AppDeps): Express & { openApiDocument: () => ReturnType<typeof buildOpenApiDocument> } {
  const app = express();
  app.disable('x-powered-by');
  // Who the client is (rate limits, logs): X-Forwarded-For only from the proxies named, else a client could pick its address.
  app.set('trust proxy', deps.config.trustProxy ?? false);
  app.set('query parser', 'simple');

  app.use(requestContext(deps.logger));
  // First, so that even a refused body or a CORS preflight of the management API is never stored.
  app.use(['/v1/admin', '/v1/auth'], noStore);
  app.use(helmet());
  app.use(
    cors({
      origin: deps.config.corsOrigins.includes('*') ? '*' : deps.config.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'X-API-Key',
        'X-Request-Id',
        'If-Match',
        'If-None-Match',
        'Idempotency-Key',
        'Range',
        'If-Range',
      ],
      // Beyond the safelisted ones: what a front end needs to retry (Retry-After) and to read media in parts.
      exposedHeaders: [
        'X-Request-Id',
        'ETag',
        'Location',
        'Idempotent-Replayed',
        'Retry-After',
        'RateLimit',
        'RateLimit-Policy',
        'Accept-Ranges',
        'Content-Range',
      ],
      maxAge: 600,
    }),
  );
  const routes = deps.modules.flatMap((m) => [...m.publicRoutes, ...m.adminRoutes]);
  app.use(jsonBody({ routes, limit: deps.config.bodyLimit }));

  const registry = createOpenApiRegistry();
  for (const module of deps.modules) module.registerOpenApi?.(registry);
  for (const module of deps.modules) if (module.router) app.use(module.router);
  app.use(
    mountRoutes(routes, {
      registry,
      authenticate: deps.authenticate,
      recordAudit: deps.recordAudit,
      idempotency: deps.idempotency,
      publicCache: deps.publicCache,
      rateLimits: deps.rateLimits,
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler);
  return Object.assign(app, { openApiDocument: () => buildOpenApiDocument(registry) });
}
