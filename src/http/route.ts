import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { expressPathOf, type AnyRoute } from './route-definition.ts';
import { registerInOpenApi } from './route-openapi.ts';
import { createRouteHandler, type RoutePipelineDeps } from './route-pipeline.ts';

// The one entry for routes: their declaration, their pipeline and their documentation live beside it.
export {
  defineRoute,
  etagOf,
  HttpResult,
  Represented,
  isCachedPublicRoute,
  type Access,
  type AnyRoute,
  type RouteContext,
  type RouteDefinition,
} from './route-definition.ts';
export { writeConflictResponse } from './route-openapi.ts';

export interface RouteMountDeps extends RoutePipelineDeps {
  registry: OpenAPIRegistry;
}

/** Mounts routes on a router and documents each in the OpenAPI registry. */
export function mountRoutes(routes: AnyRoute[], deps: RouteMountDeps): Router {
  const router = Router();
  for (const route of routes) {
    if (!route.access) throw new Error(`Route ${route.method.toUpperCase()} ${route.path} declares no access rule`);
    registerInOpenApi(deps.registry, route);
    router[route.method](expressPathOf(route), createRouteHandler(route, deps));
  }
  return router;
}
