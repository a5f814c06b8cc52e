import type { AnyRoute } from '../../http/route.ts';
import { healthRoutes } from './health.routes.ts';

// No service or repository: the only fact it reports (is the database reachable) comes from db/.
export function createHealthModule(deps: { isDatabaseReachable: () => Promise<boolean> }) {
  return { adminRoutes: [] as AnyRoute[], publicRoutes: healthRoutes(deps) };
}
