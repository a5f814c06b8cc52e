import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { ZodObject, ZodType } from 'zod';
import {
  BadRequestError,
  ForbiddenError,
  PreconditionRequiredError,
  UnauthorizedError,
  ValidationError,
  type FieldError,
} from '../errors.ts';
import type { Actor, Role, Scope } from '../shared/actor.ts';
import { actorLabel } from '../shared/actor-label.ts';
import type { AuditEventInput } from '../shared/audit-event.ts';
import { ProblemSchema } from '../shared/common.schemas.ts';
import { storableHeaders, type IdempotencyClaim, type IdempotencyStore, type StoredResponse } from './idempotency.ts';
import { problemBody, toKnownError } from './problem.ts';
import type { PublicCache, RouteCacheOptions } from './public-cache.ts';
import { z } from '../shared/zod.ts';

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
}

/** A response with a status and headers other than the route's default. */
export class HttpResult {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

export interface RouteDefinition<P extends ZodObject | undefined, Q extends ZodObject | undefined, B extends ZodType | undefined> {
  method: 'get' | 'post' | 'patch' | 'delete';
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
  /** A body the handler reads from the stream itself (an upload): documented with these content types instead of JSON. */
  streamedBody?: { description: string; content: Record<string, { schema: ZodType }> };
  /**
   * Public GETs only: how the answer is cached (ETag, Cache-Control, Surrogate-Key, the in-process
   * store); `false` for an answer never cached (health, previews, a handler that sends its own).
   */
  cache?: false | RouteCacheOptions;
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDefinition<any, any, any>;

export interface RouteMountDeps {
  registry: OpenAPIRegistry;
  /** Resolves the caller from the request's credentials; throws UnauthorizedError when absent or bad. */
  authenticate: (req: Request) => Promise<Actor>;
  /** Writes an audit event; routes declared with `audit` call it when they succeed. */
  recordAudit?: (event: AuditEventInput) => Promise<void>;
  /** Makes management POSTs safe to retry with an Idempotency-Key. */
  idempotency?: IdempotencyStore;
  /** Caches public GETs; management writes purge it. */
  publicCache?: PublicCache;
}

/** A public GET whose answer is cached: ETag and 304, Cache-Control, Surrogate-Key. */
export function isCachedPublicRoute(route: AnyRoute): boolean {
  return route.method === 'get' && 'public' in route.access && route.cache !== false;
}

/** Management POSTs take an Idempotency-Key; sign-in and the public API do not. */
function isIdempotentRoute(route: AnyRoute): boolean {
  return route.method === 'post' && !('public' in route.access);
}

/** Mounts routes on a router and documents each in the OpenAPI registry. */
export function mountRoutes(routes: AnyRoute[], deps: RouteMountDeps): Router {
  const router = Router();
  for (const route of routes) {
    if (!route.access) throw new Error(`Route ${route.method.toUpperCase()} ${route.path} declares no access rule`);
    registerInOpenApi(deps.registry, route);
    const expressPath = route.path.replace(/\{(\w+)\}/g, ':$1');
    router[route.method](expressPath, createHandler(route, deps));
  }
  return router;
}

interface Outcome {
  status: number;
  headers: Record<string, string>;
  /** undefined: no body. */
  body: unknown;
}

function createHandler(route: AnyRoute, deps: RouteMountDeps): RequestHandler {
  const usesIdempotency = isIdempotentRoute(route) && deps.idempotency !== undefined;
  const isPublicRead = route.method === 'get' && 'public' in route.access;
  const publicCache = isPublicRead ? deps.publicCache?.forRoute(route) : undefined;
  return async (req: Request, res: Response, _next: NextFunction) => {
    if (publicCache?.serveStored(req, res)) return;
    // Errors and uncached answers of the public API are not kept anywhere; a cached answer says otherwise.
    if (isPublicRead) res.setHeader('Cache-Control', 'no-store');
    const fill = await publicCache?.beginFill();
    const actor = 'public' in route.access ? (undefined as unknown as Actor) : await deps.authenticate(req);
    if (actor) {
      res.locals.actor = actor;
      assertAccess(route.access, actor);
    }
    const idempotency = usesIdempotency ? await deps.idempotency!.begin(req, actorLabel(actor)) : undefined;
    if (idempotency?.kind === 'replay') {
      sendStored(res, idempotency.response);
      return;
    }
    let outcome: Outcome | undefined;
    try {
      outcome = await run(route, deps, actor, req, res);
    } catch (error) {
      if (idempotency) await settleFailure(idempotency, error, req, res);
      throw error;
    }
    if (!outcome) {
      // The handler answered by itself: there is nothing to store, so a retry runs again.
      await idempotency?.release();
      return;
    }
    if (idempotency) await idempotency.complete(toStored(outcome, route.secretResponseFields ?? []));
    if (fill && publicCache!.sendAndStore(req, res, outcome, fill)) return;
    res.set(outcome.headers).status(outcome.status);
    if (outcome.body === undefined) res.end();
    else if (route.mediaType && typeof outcome.body === 'string') res.send(outcome.body);
    else res.json(outcome.body);
  };
}

/** Parses the request, runs the handler and records the audit event; undefined when the handler sent the response itself. */
async function run(route: AnyRoute, deps: RouteMountDeps, actor: Actor, req: Request, res: Response): Promise<Outcome | undefined> {
  const params = parsePart(route.params, req.params, 'params', BadRequestError);
  const query = parsePart(route.query, { ...(req.query as object) }, 'query', BadRequestError);
  const body = parsePart(route.body, req.body ?? {}, 'body', ValidationError);
  const expectedVersion = route.ifMatch ? parseIfMatch(req.get('if-match')) : null;
  const auditDetails: Record<string, unknown> = {};
  const addAuditDetails = (details: Record<string, unknown>) => void Object.assign(auditDetails, details);
  const result = await route.handler({ params, query, body, actor, req, res, expectedVersion, addAuditDetails });
  if (res.headersSent) return undefined;
  const outcome: Outcome =
    result instanceof HttpResult
      ? { status: result.status, headers: { ...result.headers }, body: result.body }
      : { status: result === undefined && (route.status ?? 200) === 200 ? 204 : (route.status ?? 200), headers: {}, body: result };
  if (outcome.status === 204) outcome.body = undefined;
  // A management answer that carries a version is tagged with it, for the next If-Match.
  const version = (outcome.body as { version?: unknown } | undefined)?.version;
  if (!('public' in route.access) && typeof version === 'number') outcome.headers.ETag = etagOf(version);
  if (outcome.body !== undefined) outcome.headers['Content-Type'] ??= `${route.mediaType ?? 'application/json'}; charset=utf-8`;
  const targetId = (outcome.body as { id?: unknown } | undefined)?.id ?? (params as { id?: unknown } | undefined)?.id;
  // A management write purges the public answers it touched before it answers, so its caller reads it back.
  if (route.method !== 'get' && !('public' in route.access) && outcome.status < 400) {
    await deps.publicCache?.purgeAfterWrite({
      action: route.audit?.action,
      targetType: route.audit?.targetType,
      targetId: typeof targetId === 'string' ? targetId : null,
    });
  }
  if (route.audit && deps.recordAudit) {
    const fields =
      ['post', 'patch'].includes(route.method) && body && typeof body === 'object' && !Array.isArray(body)
        ? { fields: Object.keys(body) }
        : {};
    const details = { ...fields, ...auditDetails };
    try {
      await deps.recordAudit({
        actor: actorLabel(actor),
        action: route.audit.action,
        targetType: route.audit.targetType,
        targetId: typeof targetId === 'string' ? targetId : null,
        requestId: (res.locals.requestId as string | undefined) ?? null,
        details: Object.keys(details).length ? details : null,
      });
    } catch (error) {
      // The write is done and cannot be undone here; answering 500 would invite a second one.
      (res.locals.logger as { error?: (o: unknown, m: string) => void } | undefined)?.error?.(
        { err: error, action: route.audit.action },
        'could not record an audit event',
      );
    }
  }
  return outcome;
}

function toStored(outcome: Outcome, secretFields: readonly string[]): StoredResponse {
  const body =
    outcome.body && typeof outcome.body === 'object' && secretFields.length
      ? Object.fromEntries(Object.entries(outcome.body).filter(([name]) => !secretFields.includes(name)))
      : outcome.body;
  return { status: outcome.status, headers: storableHeaders(outcome.headers), body: body === undefined ? null : JSON.stringify(body) };
}

function sendStored(res: Response, stored: StoredResponse): void {
  res.set(stored.headers).set('Idempotent-Replayed', 'true').status(stored.status);
  if (stored.body === null) res.end();
  else res.send(stored.body);
}

// A client error is the answer to this request and is replayed; a 5xx (or an auth failure) is not, so a retry runs again.
async function settleFailure(claim: IdempotencyClaim, error: unknown, req: Request, res: Response): Promise<void> {
  const known = toKnownError(error);
  try {
    if (known && known.status >= 400 && known.status < 500 && known.status !== 401 && known.status !== 403) {
      await claim.complete({
        status: known.status,
        headers: { 'content-type': 'application/problem+json; charset=utf-8' },
        body: JSON.stringify(problemBody(req, res, known)),
      });
    } else {
      await claim.release();
    }
  } catch (storeError) {
    (res.locals.logger as { error?: (o: unknown, m: string) => void } | undefined)?.error?.(
      { err: storeError },
      'could not settle an idempotency record',
    );
  }
}

/** The strong ETag of a resource version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

function parseIfMatch(header: string | undefined): number | null {
  if (header === undefined) throw new PreconditionRequiredError();
  if (header.trim() === '*') return null;
  const match = /^\s*"(\d{1,12})"\s*$/.exec(header);
  if (!match)
    throw new BadRequestError('If-Match must be the ETag of the resource, e.g. "3", or *.', [
      { field: 'header.if-match', message: 'Not an ETag of this API' },
    ]);
  return Number(match[1]);
}

function assertAccess(access: Access, actor: Actor): void {
  if ('anyAuthenticated' in access || 'public' in access) return;
  const allowed =
    actor.type === 'user' ? access.roles.includes(actor.role) : actor.scopes.includes(access.scope) || actor.scopes.includes('admin');
  if (!allowed) {
    throw new ForbiddenError(
      actor.type === 'user' ? `The ${actor.role} role may not do this.` : `This API key lacks the "${access.scope}" scope.`,
    );
  }
}

function parsePart<T extends ZodType | undefined>(
  schema: T,
  value: unknown,
  part: 'params' | 'query' | 'body',
  ErrorClass: typeof BadRequestError | typeof ValidationError,
): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    field: [part, ...issue.path.map(String)].join('.') + (issue.code === 'unrecognized_keys' ? `.${issue.keys.join(',')}` : ''),
    message:
      issue.code === 'unrecognized_keys' ? `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` : issue.message,
  }));
  const where = part === 'body' ? 'request body' : part === 'query' ? 'query parameters' : 'path parameters';
  throw new ErrorClass(`The ${where} ${errors.length === 1 ? 'has an invalid field' : `have ${errors.length} invalid fields`}.`, errors);
}

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

/** The 503 of every write (a WriteConflictError), described once in components.responses. */
export const writeConflictResponse = 'WriteConflict';

function registerInOpenApi(registry: OpenAPIRegistry, route: AnyRoute): void {
  const responses: Record<string, ResponseConfig> = {};
  const status = route.status ?? 200;
  responses[status] = {
    description: route.responseDescription ?? (route.response ? 'Success.' : 'Done; no content.'),
    ...(route.response ? { content: { [route.mediaType ?? 'application/json']: { schema: route.response } } } : {}),
  };
  const problem = (description: string): ResponseConfig => ({ description, content: problemContent });
  if (route.params || route.query) responses[400] = problem('Malformed JSON or invalid path or query parameters.');
  if (route.body) {
    responses[400] = problem('Malformed JSON or invalid path or query parameters.');
    responses[413] = problem('The body is larger than the limit.');
    responses[415] = problem('The body is not JSON.');
    responses[422] = problem('The body is well-formed but not valid.');
  }
  if (!('public' in route.access)) {
    responses[401] = problem('Missing, invalid or expired credentials.');
    responses[403] = problem('The caller may not do this.');
  }
  if (route.params) responses[404] = problem('Not found, or not visible to the caller.');
  if (route.ifMatch) {
    responses[412] = problem('If-Match is not the current ETag; `current` holds the current version.');
    responses[428] = problem('If-Match is missing.');
  }
  const idempotent = isIdempotentRoute(route);
  if (idempotent) {
    responses[400] = problem('Malformed JSON, invalid parameters, or an Idempotency-Key longer than 255 characters.');
    responses[409] = problem('A request with this Idempotency-Key is still being processed after 10 s (code `idempotency_key_in_use`).');
    responses[422] = problem(
      'The body is well-formed but not valid, or the Idempotency-Key was used for a different request (code `idempotency_key_reused`).',
    );
  }
  if (!('public' in route.access) && responses[status]) {
    responses[status] = {
      ...responses[status],
      headers: z.object({
        ...(route.response
          ? { ETag: z.string().optional().openapi({ description: 'The version of the resource, for If-Match.', example: '"3"' }) }
          : {}),
        ...(idempotent
          ? {
              'Idempotent-Replayed': z
                .literal('true')
                .optional()
                .openapi({ description: 'Present on a response replayed for a retried Idempotency-Key.' }),
            }
          : {}),
      }),
    };
  }
  if (isCachedPublicRoute(route) && responses[status]) {
    responses[status] = { ...responses[status], headers: cachedAnswerHeaders(registry) };
    responses[304] = {
      description: 'Not modified: If-None-Match holds the current ETag. No body.',
      headers: cachedAnswerHeaders(registry),
    };
  }
  for (const [code, description] of Object.entries(route.errors ?? {})) {
    const replaces = responses[code]?.description;
    responses[code] = problem(
      idempotent && replaces && Number(code) === 409 ? `${description} Or: ${replaces}` : (description ?? 'Error.'),
    );
  }
  // A reference object, which the registry takes in place of a response.
  if (route.method !== 'get') responses[503] = { $ref: `#/components/responses/${writeConflictResponse}` } as ResponseConfig;
  Object.assign(responses, route.extraResponses ?? {});
  responses[500] = problem('An unexpected error; the body holds the request id to quote.');

  const access = route.access;
  const accessNote =
    'public' in access
      ? 'Public: no credentials.'
      : 'anyAuthenticated' in access
        ? 'Any signed-in user or API key.'
        : `Roles: ${access.roles.join(', ')}. API-key scope: \`${access.scope}\`.`;
  const requestHeaders: Record<string, ZodType> = {
    ...(route.ifMatch
      ? {
          'If-Match': z
            .string()
            .openapi({ description: 'The ETag of the version being changed (from a GET), or * for any.', example: '"3"' }),
        }
      : {}),
    ...(idempotent
      ? {
          'Idempotency-Key': z.string().min(1).max(255).optional().openapi({
            description:
              'A unique key per intended operation (a UUID). A retry with the same key and body gets the first response again, with `Idempotent-Replayed: true`, instead of running twice; keys are per caller and kept 24 hours.',
            example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
          }),
        }
      : {}),
    ...(isCachedPublicRoute(route)
      ? {
          'If-None-Match': z
            .string()
            .optional()
            .openapi({
              description: 'The ETag of the answer the caller holds: 304 without a body while it is current.',
              example: '"k3J0c2VjcmV0LWhhc2gtb2YtdGhlLWJvZHk"',
            }),
        }
      : {}),
    ...route.requestHeaders,
  };
  registry.registerPath({
    method: route.method,
    path: route.path,
    operationId: route.operationId,
    summary: route.summary,
    description: [route.description, accessNote].filter(Boolean).join('\n\n'),
    tags: [route.tag],
    // Machine-readable access rule: the role × route matrix test is driven by it.
    'x-access':
      'public' in access ? 'public' : 'anyAuthenticated' in access ? 'authenticated' : { roles: [...access.roles], scope: access.scope },
    ...('public' in access ? { security: [] } : { security: [{ bearerAuth: [] }, { apiKeyHeader: [] }] }),
    request: {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.body ? { body: { required: !route.isBodyOptional, content: { 'application/json': { schema: route.body } } } } : {}),
      ...(route.streamedBody ? { body: { required: true, ...route.streamedBody } } : {}),
      ...(Object.keys(requestHeaders).length ? { headers: z.object(requestHeaders) } : {}),
    },
    responses,
  });
}

// Documented once as header components; every cached answer refers to them.
const cachedAnswerHeaderDocs: Record<string, { description: string; required: boolean; schema: { type: 'string'; example: string } }> = {
  ETag: {
    description: 'A strong validator: a hash of the body. Send it back as If-None-Match.',
    required: true,
    schema: { type: 'string', example: '"k3J0c2VjcmV0LWhhc2gtb2YtdGhlLWJvZHk"' },
  },
  'Last-Modified': {
    description:
      'The newest `updatedAt` or `publishedAt` of the records in the answer; when it has none, when the answer was made. Conditional requests go by ETag.',
    required: true,
    schema: { type: 'string', example: 'Mon, 23 Nov 2026 09:30:00 GMT' },
  },
  'Cache-Control': {
    description:
      '`public` with max-age, s-maxage and stale-while-revalidate (configurable per route), shortened so that no cache keeps the answer past the next scheduled publication, embargo end or feed window.',
    required: true,
    schema: { type: 'string', example: 'public, max-age=30, s-maxage=60, stale-while-revalidate=300' },
  },
  'Surrogate-Key': {
    description:
      "Space-separated keys of the records in the answer (`article:<id>`, `rubric:<id>`, `tag:<id>`, `user:<id>`, `media:<id>`, `feed-item:<id>`) and of the lists it shows (`articles`, `feed`, `rubrics`, `tags`, `users`, `media`; `all` on answers whose route names none, purged by every write). A management write purges its record's key and the lists it changes, so a CDN purge by key removes exactly the answers an edit touches.",
    required: true,
    schema: {
      type: 'string',
      example: 'articles article:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80 rubric:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b',
    },
  },
  'Cache-Tag': {
    description: 'The Surrogate-Key keys, comma-separated (the form Cloudflare reads).',
    required: true,
    schema: { type: 'string', example: 'articles,article:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80' },
  },
  Age: {
    description: "Seconds since the answer was made, when it comes from the server's own cache.",
    required: false,
    schema: { type: 'string', example: '3' },
  },
};

function cachedAnswerHeaders(registry: OpenAPIRegistry) {
  return Object.fromEntries(
    Object.entries(cachedAnswerHeaderDocs).map(([name, header]) => {
      registry.registerComponent('headers', name, header);
      return [name, { $ref: `#/components/headers/${name}` }];
    }),
  );
}
