import { defineRoute, HttpResult, type AnyRoute } from '../../http/route.ts';
import { z } from '../../shared/zod.ts';

const HealthSchema = z.object({ status: z.enum(['ok', 'unavailable']) }).openapi('Health');

export function createHealthModule(deps: { isDatabaseReachable: () => Promise<boolean> }) {
  const publicRoutes: AnyRoute[] = [
    defineRoute({
      method: 'get',
      path: '/health',
      operationId: 'health',
      summary: 'Liveness: the process answers',
      tag: 'Health',
      access: { public: true },
      response: HealthSchema,
      cache: false,
      handler: async () => ({ status: 'ok' }),
    }),
    defineRoute({
      method: 'get',
      path: '/ready',
      operationId: 'ready',
      summary: 'Readiness: the database answers',
      tag: 'Health',
      access: { public: true },
      response: HealthSchema,
      cache: false,
      extraResponses: { 503: { description: 'The database does not answer.', content: { 'application/json': { schema: HealthSchema } } } },
      handler: async () => ((await deps.isDatabaseReachable()) ? { status: 'ok' } : new HttpResult(503, { status: 'unavailable' })),
    }),
  ];
  return { adminRoutes: [] as AnyRoute[], publicRoutes };
}
