import type { Request, Response } from 'express';
import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { ZodObject, ZodType } from 'zod';
import type { Actor, Role, Scope } from '../shared/actor.ts';
import type { RouteCacheOptions } from './public-cache.ts';

/**
 * Who may call a route. Every route declares one; a route without it does not start.
 * `roles` are the user roles admitted, `scope` the API-key scope admitted (`admin` admits all).
 */
export type Access = { public: true } | { roles: readonly Role[]; scope: Scope; self?: never } | { anyAuthenticated: true };

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Set on every route that is not public. */
  actor: Actor;
  req: Request;
  res: Response;
  /**
   * On routes declared `ifMatch: true`: the version the caller says it is changing (from If-Match),
   * or null for `If-Match: *`. The service must make its write conditional on it and throw
   * PreconditionFailedError when the current version differs.
   */
  expectedVersion: number | null;
  /** Adds to the details recorded in the audit log for this call (routes declared with `audit`). */
  addAuditDetails: (details: Record<string, unknown>) => void;
  /**
   * Routes with a `streamedBody` call it once they have read the body, before writing anything, with a
   * digest of all the request says (the file's sha256 and its metadata). Under an Idempotency-Key it
   * records the digest, or, for a retry, stops the handler and replays the first answer when the digest
   * is the same, or refuses another body with 422 `idempotency_key_reused`. Without a key it does nothing.
   */
  streamedBodyRead: (digest: string) => Promise<void>;
  /**
   * On routes declared with `representations`: the media type the request's Accept chose (`application/ninjs+json`),
   * or undefined for the route's JSON. The handler then returns a `Represented` answer in it.
   */
  representation: string | undefined;
}

/** A response with a status and headers other than the route's default. */
export class HttpResult {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

/**
 * The 200 answer in one of the route's `representations`: its body, and the route's JSON answer it stands for, from
 * which the public cache reads the records (the keys a write purges), as it would from the JSON answer.
 */
export class Represented {
  constructor(
    readonly body: unknown,
    readonly keyedBy: unknown,
  ) {}
}

/** Another representation of a public GET's answer, by media type (see `representations`). */
export interface RouteRepresentation {
  response: ZodType;
  description?: string;
}

export interface RouteDefinition<P extends ZodObject | undefined, Q extends ZodObject | undefined, B extends ZodType | undefined> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI-style path, e.g. `/v1/admin/articles/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** The body may be left out altogether (it is then parsed as `{}`). */
  isBodyOptional?: true;
  /** Success status (200 unless said) and its schema; undefined schema means no body. */
  status?: number;
  response?: ZodType;
  responseDescription?: string;
  /**
   * The success body's media type when it is not `application/json` (a feed, a sitemap): documented
   * under it, sent with it as Content-Type, and a string the handler returns is sent as it is.
   */
  mediaType?: string;
  /** Other statuses this route answers, beyond the ones derived from its declaration. */
  errors?: Partial<Record<number, string>>;
  extraResponses?: Record<number, ResponseConfig>;
  /** Request headers the handler reads itself (Range, say), documented beside the ones derived from the declaration. */
  requestHeaders?: Record<string, ZodType>;
  /** The write needs If-Match with the resource's ETag (428 without it, 412 when stale). */
  ifMatch?: true;
  /**
   * Records the call in the audit log when it succeeds: `action` such as `article.publish`, the
   * target's type, and its id (taken from the result's `id`, else from the `id` path parameter).
   */
  audit?: { action: string; targetType: string };
  /** Response fields never stored for an Idempotency-Key replay (secrets shown once); a replay lacks them. */
  secretResponseFields?: readonly string[];
  /**
   * A body the handler reads from the stream itself (an upload), in any type: neither refused for not
   * being JSON nor parsed as JSON, and documented with these content types instead.
   */
  streamedBody?: { description: string; content: Record<string, { schema: ZodType }> };
  /**
   * Public GETs only: how the answer is cached (ETag, Cache-Control, Surrogate-Key, the in-process
   * store); `false` for an answer never cached (health, previews, a handler that sends its own).
   */
  cache?: false | RouteCacheOptions;
  /**
   * Public GETs: representations of the 200 answer besides JSON, by media type, chosen by the request's Accept (JSON
   * stays the default and wins ties). Every answer of the route says `Vary: Accept`, the public cache keeps an entry
   * (and an ETag) per representation, and the 200 is documented with each media type. See `RouteContext.representation`.
   */
  representations?: Record<string, RouteRepresentation>;
  /**
   * Counts the route's failed calls per client address (a call that succeeds does not count) and answers 429
   * beyond the limit before the handler runs: `token` (a refresh token, a preview link), or `sign-in`, also
   * per account, which `accountOf` names from the parsed body. Management calls (per caller) and public
   * reads (per address, when that limit is on) are limited without a declaration.
   */
  rateLimit?: { failures: 'token' } | { failures: 'sign-in'; accountOf: (body: Infer<B>) => string };
  handler: (ctx: RouteContext<Infer<P>, Infer<Q>, Infer<B>>) => Promise<unknown>;
}

type Infer<T> = T extends ZodType ? T['_output'] : undefined;

// Builds a route definition with the handler's argument types inferred from its schemas.
export function defineRoute<
  P extends ZodObject | undefined = undefined,
  Q extends ZodObject | undefined = undefined,
  B extends ZodType | undefined = undefined,
>(route: RouteDefinition<P, Q, B>): RouteDefinition<P, Q, B> {
  return route;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of routes holds every combination of schemas; each route was checked by defineRoute
export type AnyRoute = RouteDefinition<any, any, any>;

/** A GET of the public API: never stored by a cache on the way unless its answer is cached. */
export function isPublicRead(route: AnyRoute): boolean {
  return route.method === 'get' && 'public' in route.access;
}

/** A public GET whose answer is cached: ETag and 304, Cache-Control, Surrogate-Key. */
export function isCachedPublicRoute(route: AnyRoute): boolean {
  return isPublicRead(route) && route.cache !== false;
}

/** Management POSTs take an Idempotency-Key; sign-in and the public API do not. */
export function isIdempotentRoute(route: AnyRoute): boolean {
  return route.method === 'post' && !('public' in route.access);
}

/** Which of its calls a rate limit counts: every one (management per caller, public reads per address), its failures, or none. */
export function rateLimitsOf(route: AnyRoute): { calls?: 'management' | 'public'; failures?: 'sign-in' | 'token' } {
  const calls = 'public' in route.access ? (isPublicRead(route) ? 'public' : undefined) : 'management';
  return { ...(calls ? { calls } : {}), ...(route.rateLimit ? { failures: route.rateLimit.failures } : {}) };
}

/** A management write: it purges the public answers it touched. */
export function isManagementWrite(route: AnyRoute): boolean {
  return route.method !== 'get' && !('public' in route.access);
}

/** The express path of an OpenAPI-style one: `{id}` becomes `:id`. */
export function expressPathOf(route: AnyRoute): string {
  return route.path.replace(/\{(\w+)\}/g, ':$1');
}

/** The strong ETag of a resource version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}
