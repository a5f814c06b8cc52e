import cors from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Actor } from './shared/actor.ts';
import { errorHandler, notFoundHandler, requireJsonBody } from './http/problem.ts';
import { requestContext } from './http/request-context.ts';
import { mountRoutes, type AnyRoute } from './http/route.ts';
import { buildOpenApiDocument, createOpenApiRegistry } from './openapi.ts';

export interface AppModule {
  adminRoutes: AnyRoute[];
  publicRoutes: AnyRoute[];
}

export interface AppDeps {
  config: Pick<Config, 'corsOrigins' | 'bodyLimit'>;
  logger: Logger;
  modules: AppModule[];
  authenticate: (req: express.Request) => Promise<Actor>;
}

// Management and auth answers are per caller and must never be stored by a cache on the way.
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

// Public reads are the same for everyone: short browser and CDN caching, served stale while refreshed.
const publicCaching: RequestHandler = (req, res, next) => {
  const isPublicRead = (req.method === 'GET' || req.method === 'HEAD') && !/^\/v1\/(admin|auth)(\/|$)/.test(req.path);
  if (isPublicRead) res.set('Cache-Control', 'public, max-age=30, s-maxage=60, stale-while-revalidate=300');
  next();
};

/** Builds the HTTP app from its dependencies; no side effects, so a test can build several. */
export function createApp(deps: AppDeps): Express & { openApiDocument: () => ReturnType<typeof buildOpenApiDocument> } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');

  app.use(requestContext(deps.logger));
  app.use(helmet());
  app.use(cors({
    origin: deps.config.corsOrigins.includes('*') ? '*' : deps.config.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-API-Key', 'X-Request-Id', 'If-Match', 'If-None-Match', 'Idempotency-Key'],
    exposedHeaders: ['X-Request-Id', 'ETag', 'Location'],
    maxAge: 600,
  }));
  app.use(requireJsonBody);
  app.use(express.json({ limit: deps.config.bodyLimit, type: ['application/json', 'application/*+json'], strict: true }));
  app.use(['/v1/admin', '/v1/auth'], noStore);
  app.use(publicCaching);

  const registry = createOpenApiRegistry();
  const routes = deps.modules.flatMap((m) => [...m.publicRoutes, ...m.adminRoutes]);
  app.use(mountRoutes(routes, { registry, authenticate: deps.authenticate }));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return Object.assign(app, { openApiDocument: () => buildOpenApiDocument(registry) });
}
