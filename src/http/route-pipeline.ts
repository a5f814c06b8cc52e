import type { Request, RequestHandler, Response } from 'express';
import { BadRequestError, ForbiddenError, ValidationError } from '../errors.ts';
import type { Actor } from '../shared/actor.ts';
import { actorLabel } from '../shared/actor-label.ts';
import type { AuditEventInput } from '../shared/audit-event.ts';
import { storableHeaders, type IdempotencyClaim, type IdempotencyStore, type StoredResponse } from './idempotency.ts';
import { problemBody, toKnownError } from './problem.ts';
import type { PublicCache, RouteAnswer } from './public-cache.ts';
import { parseIfMatch, parsePart } from './request-parsing.ts';
import {
  etagOf,
  HttpResult,
  isIdempotentRoute,
  isManagementWrite,
  isPublicRead,
  type Access,
  type AnyRoute,
  type RouteContext,
} from './route-definition.ts';

export interface RoutePipelineDeps {
  /** Resolves the caller from the request's credentials; throws UnauthorizedError when absent or bad. */
  authenticate: (req: Request) => Promise<Actor>;
  /** Writes an audit event; routes declared with `audit` call it when they succeed. */
  recordAudit?: (event: AuditEventInput) => Promise<void>;
  /** Makes management POSTs safe to retry with an Idempotency-Key. */
  idempotency?: IdempotencyStore;
  /** Caches public GETs; management writes purge it. */
  publicCache?: PublicCache;
}

/** One call of a route: the caller and the parts of the request its declaration names, parsed. */
type Call = Omit<RouteContext<unknown, unknown, unknown>, 'addAuditDetails'> & { auditDetails: Record<string, unknown> };

/**
 * A route's request pipeline, in its order: a stored public answer; authenticate; authorise; claim the
 * Idempotency-Key (or replay its answer); parse; the handler; after a write, purge the public answers
 * and record the audit event; then answer (storing a public one).
 */
export function createRouteHandler(route: AnyRoute, deps: RoutePipelineDeps): RequestHandler {
  const idempotency = isIdempotentRoute(route) ? deps.idempotency : undefined;
  const isPublic = isPublicRead(route);
  const publicCache = isPublic ? deps.publicCache?.forRoute(route) : undefined;
  return async (req: Request, res: Response) => {
    if (publicCache?.serveStored(req, res)) return;
    // Errors and uncached answers of the public API are not kept anywhere; a cached answer says otherwise.
    if (isPublic) res.setHeader('Cache-Control', 'no-store');
    const fill = await publicCache?.beginFill();
    const actor = await authenticate(route, deps, req, res);
    if (actor) authorise(route.access, actor);
    const claim = await idempotency?.begin(req, actorLabel(actor));
    if (claim?.kind === 'replay') return sendStored(res, claim.response);
    const answer = await underClaim(claim, route, req, res, async () => {
      const call = parse(route, actor, req, res);
      const answer = await runHandler(route, call);
      if (answer) await afterWrite(route, deps, call, answer);
      return answer;
    });
    if (!answer) return;
    if (fill && publicCache!.sendAndStore(req, res, answer, fill)) return;
    send(route, res, answer);
  };
}

// A public route has no caller: its handler is never given one.
async function authenticate(route: AnyRoute, deps: RoutePipelineDeps, req: Request, res: Response): Promise<Actor> {
  if ('public' in route.access) return undefined as unknown as Actor;
  const actor = await deps.authenticate(req);
  res.locals.actor = actor;
  return actor;
}

function authorise(access: Access, actor: Actor): void {
  if ('anyAuthenticated' in access || 'public' in access) return;
  const allowed =
    actor.type === 'user' ? access.roles.includes(actor.role) : actor.scopes.includes(access.scope) || actor.scopes.includes('admin');
  if (!allowed) {
    throw new ForbiddenError(
      actor.type === 'user' ? `The ${actor.role} role may not do this.` : `This API key lacks the "${access.scope}" scope.`,
    );
  }
}

/** Runs the call under its Idempotency-Key claim, if any: the answer is stored for a replay, a failure settled. */
async function underClaim(
  claim: IdempotencyClaim | undefined,
  route: AnyRoute,
  req: Request,
  res: Response,
  call: () => Promise<RouteAnswer | undefined>,
): Promise<RouteAnswer | undefined> {
  let answer: RouteAnswer | undefined;
  try {
    answer = await call();
  } catch (error) {
    if (claim) await settleFailure(claim, error, req, res);
    throw error;
  }
  // The handler answered by itself: there is nothing to store, so a retry runs again.
  if (!answer) await claim?.release();
  else if (claim) await claim.complete(toStored(answer, route.secretResponseFields ?? []));
  return answer;
}

function parse(route: AnyRoute, actor: Actor, req: Request, res: Response): Call {
  return {
    params: parsePart(route.params, req.params, 'params', BadRequestError),
    query: parsePart(route.query, { ...(req.query as object) }, 'query', BadRequestError),
    body: parsePart(route.body, req.body ?? {}, 'body', ValidationError),
    expectedVersion: route.ifMatch ? parseIfMatch(req.get('if-match')) : null,
    actor,
    req,
    res,
    auditDetails: {},
  };
}

/** The handler's result as the answer to send; undefined when the handler sent the response itself. */
async function runHandler(route: AnyRoute, call: Call): Promise<RouteAnswer | undefined> {
  const { auditDetails, ...context } = call;
  const addAuditDetails = (details: Record<string, unknown>) => void Object.assign(auditDetails, details);
  const result = await route.handler({ ...context, addAuditDetails });
  if (call.res.headersSent) return undefined;
  const answer: RouteAnswer =
    result instanceof HttpResult
      ? { status: result.status, headers: { ...result.headers }, body: result.body }
      : { status: result === undefined && (route.status ?? 200) === 200 ? 204 : (route.status ?? 200), headers: {}, body: result };
  if (answer.status === 204) answer.body = undefined;
  // A management answer that carries a version is tagged with it, for the next If-Match.
  const version = (answer.body as { version?: unknown } | undefined)?.version;
  if (!('public' in route.access) && typeof version === 'number') answer.headers.ETag = etagOf(version);
  if (answer.body !== undefined) answer.headers['Content-Type'] ??= `${route.mediaType ?? 'application/json'}; charset=utf-8`;
  return answer;
}

/** Purges what a management write touched, then records its audit event. */
async function afterWrite(route: AnyRoute, deps: RoutePipelineDeps, call: Call, answer: RouteAnswer): Promise<void> {
  const id = (answer.body as { id?: unknown } | undefined)?.id ?? (call.params as { id?: unknown } | undefined)?.id;
  const targetId = typeof id === 'string' ? id : null;
  // Before it answers, so its caller reads it back.
  if (isManagementWrite(route) && answer.status < 400) {
    await deps.publicCache?.purgeAfterWrite({ action: route.audit?.action, targetType: route.audit?.targetType, targetId });
  }
  if (route.audit && deps.recordAudit) await recordAudit(deps.recordAudit, route, route.audit, call, targetId);
}

async function recordAudit(
  record: (event: AuditEventInput) => Promise<void>,
  route: AnyRoute,
  audit: { action: string; targetType: string },
  { body, actor, res, auditDetails }: Call,
  targetId: string | null,
): Promise<void> {
  const fields =
    ['post', 'patch'].includes(route.method) && body && typeof body === 'object' && !Array.isArray(body)
      ? { fields: Object.keys(body) }
      : {};
  const details = { ...fields, ...auditDetails };
  try {
    await record({
      actor: actorLabel(actor),
      action: audit.action,
      targetType: audit.targetType,
      targetId,
      requestId: (res.locals.requestId as string | undefined) ?? null,
      details: Object.keys(details).length ? details : null,
    });
  } catch (error) {
    // The write is done and cannot be undone here; answering 500 would invite a second one.
    logError(res, { err: error, action: audit.action }, 'could not record an audit event');
  }
}

function send(route: AnyRoute, res: Response, answer: RouteAnswer): void {
  res.set(answer.headers).status(answer.status);
  if (answer.body === undefined) res.end();
  else if (route.mediaType && typeof answer.body === 'string') res.send(answer.body);
  else res.json(answer.body);
}

function toStored(answer: RouteAnswer, secretFields: readonly string[]): StoredResponse {
  const body =
    answer.body && typeof answer.body === 'object' && secretFields.length
      ? Object.fromEntries(Object.entries(answer.body).filter(([name]) => !secretFields.includes(name)))
      : answer.body;
  return { status: answer.status, headers: storableHeaders(answer.headers), body: body === undefined ? null : JSON.stringify(body) };
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
    logError(res, { err: storeError }, 'could not settle an idempotency record');
  }
}

// The request's logger, when the request context set one: a failure after the write is logged, not answered.
function logError(res: Response, fields: Record<string, unknown>, message: string): void {
  (res.locals.logger as { error?: (o: unknown, m: string) => void } | undefined)?.error?.(fields, message);
}
