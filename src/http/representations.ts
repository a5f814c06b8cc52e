import type { Request } from 'express';

/**
 * The representation a request's Accept chooses among the route's `representations`, by quality: JSON on a tie, for
 * no Accept or a wildcard, and when none is acceptable (never a 406). Undefined for JSON or a route without any.
 */
export function representationOf(route: { representations?: Record<string, unknown> }, req: Request): string | undefined {
  if (!route.representations) return undefined;
  const chosen = req.accepts(['application/json', ...Object.keys(route.representations)]);
  return chosen && chosen !== 'application/json' ? chosen : undefined;
}
