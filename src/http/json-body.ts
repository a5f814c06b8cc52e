import express, { type Request, type RequestHandler } from 'express';
import { AppError, BadRequestError } from '../errors.ts';
import type { AnyRoute } from './route-definition.ts';

const jsonTypes = ['application/json', 'application/*+json'];
/**
 * The deepest nesting of arrays and objects a JSON body may have. No request of this API comes near it,
 * and whatever walks a body recursively (a fingerprint, a validator) must not run out of stack on one.
 */
export const maxJsonDepth = 64;

export interface JsonBodyDeps {
  /** The routes the app mounts: those declaring a `streamedBody` read their body themselves. */
  routes: readonly AnyRoute[];
  /** The largest JSON body accepted, e.g. `100kb`. */
  limit: string;
}

/**
 * Parses JSON bodies, and refuses with 415 a body that is not JSON on a method that takes one (express.json
 * would ignore it silently), and with 400 one nested deeper than `maxJsonDepth`, before anything else reads
 * it. A route declaring a `streamedBody` reads its body as a stream itself, in any type.
 */
export function jsonBody({ routes, limit }: JsonBodyDeps): RequestHandler {
  const isStreamedBody = streamedBodyMatcher(routes);
  const parseJson = express.json({ limit, type: jsonTypes, strict: true });
  return (req, res, next) => {
    if (isStreamedBody(req)) return next();
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && ['POST', 'PATCH', 'PUT'].includes(req.method) && !req.is(jsonTypes)) {
      throw new AppError(415, 'unsupported_media_type', 'Unsupported media type', 'Send the body as application/json.');
    }
    parseJson(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (isDeeperThan(req.body, maxJsonDepth)) {
        return next(new BadRequestError(`The JSON body is nested deeper than ${maxJsonDepth} levels of arrays and objects.`));
      }
      next();
    });
  };
}

/** Whether arrays and objects nest deeper than `limit` in a parsed value; walked with a stack, as the value may be that deep. */
export function isDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (!next.value || typeof next.value !== 'object') continue;
    if (next.depth > limit) return true;
    for (const child of Object.values(next.value))
      if (child && typeof child === 'object') pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

/** Whether a request goes to a route that declares a `streamedBody`, matched as the router matches it. */
function streamedBodyMatcher(routes: readonly AnyRoute[]): (req: Request) => boolean {
  const streamed = routes
    .filter((route) => route.streamedBody)
    .map((route) => ({ method: route.method.toUpperCase(), path: pathPattern(route.path) }));
  return (req) => streamed.some(({ method, path }) => req.method === method && path.test(req.path));
}

// `{id}` stands for one segment; like express's default routing, the case and a trailing slash do not matter.
function pathPattern(path: string): RegExp {
  const segments = path.split(/\{\w+\}/).map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${segments.join('[^/]+')}/?$`, 'i');
}
