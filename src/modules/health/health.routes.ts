import { anyone } from '../../http/access.ts';
import { defineRoute, HttpResult, type AnyRoute } from '../../http/route.ts';
import { HealthSchema } from './health.schemas.ts';

const tag = 'Health';

export function healthRoutes(deps: { isDatabaseReachable: () => Promise<boolean> }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      operationId: 'health',
      summary: 'Liveness: the process answers',
      tag,
      access: anyone,
      response: HealthSchema,
      cache: false,
      handler: async () => ({ status: 'ok' }),
    }),
    defineRoute({
      method: 'get',
      path: '/ready',
      operationId: 'ready',
      summary: 'Readiness: the database answers',
      tag,
      access: anyone,
      response: HealthSchema,
      cache: false,
      extraResponses: { 503: { description: 'The database does not answer.', content: { 'application/json': { schema: HealthSchema } } } },
      handler: async () => ((await deps.isDatabaseReachable()) ? { status: 'ok' } : new HttpResult(503, { status: 'unavailable' })),
    }),
  ];
}
