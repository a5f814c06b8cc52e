import type { Request, RequestHandler, Response } from 'express';
import type { ZodObject } from 'zod';
import { BadRequestError, ForbiddenError, ValidationError } from '../errors.ts';
import type { Actor } from '../shared/actor.ts';
import { actorLabel } from '../shared/actor-label.ts';
import type { AuditEventInput } from '../shared/audit-event.ts';
import { collectNotedPurges } from '../shared/cache-keys.ts';
import { runWithAuditIntent, type AuditIntent, type WrittenAuditEntry } from '../shared/audit-intent.ts';
import {
  storableHeaders,
  type IdempotencyClaim,
  type IdempotencyOutcome,
  type IdempotencyStore,
  type StoredResponse,
} from './idempotency.ts';
import { problemBody, toKnownError } from './problem.ts';
import type { PublicCache, RouteAnswer } from './public-cache.ts';
import type { RateLimits } from './rate-limit.ts';
import { representationOf } from './representations.ts';
import { parseIfMatch, parsePart, strictQuerySchema } from './request-parsing.ts';
import {
  etagOf,
  HttpResult,
  Represented,
  isIdempotentRoute,
  isManagementWrite,
  isPublicRead,
  rateLimitsOf,
  type Access,
  type AnyRoute,
  type RouteContext,
} from './route-definition.ts';

export interface RoutePipelineDeps {
  /** Resolves the caller from the request's credentials; throws UnauthorizedError when absent or bad. */
  authenticate: (req: Request) => Promise<Actor>;
  /**
   * Routes declared with `audit` call it when they succeed: it writes the event, or, when the change's
   * transaction wrote it (`written`), completes it with the details added since.
   */
  recordAudit?: (event: AuditEventInput, written?: WrittenAuditEntry) => Promise<void>;
  /** Makes management POSTs safe to retry with an Idempotency-Key. */
  idempotency?: IdempotencyStore;
  /** Caches public GETs; management writes purge it. */
  publicCache?: PublicCache;
  /** Counts calls (management per caller, public reads per address) and failed sign-ins and token uses; 429 beyond. */
  rateLimits?: RateLimits;
}

/** One call of a route: the caller and the parts of the request its declaration names, parsed. */
type Call = Omit<RouteContext<unknown, unknown, unknown>, 'addAuditDetails'> & {
  auditDetails: Record<string, unknown>;
  /** The audit entry the call owes (routes declared with `audit`), open while the handler runs. */
  auditIntent?: AuditIntent;
  /** The public answers the handler's services said the write changes (undefined: they said nothing). */
  notedPurges?: string[];
};

/**
 * A route's request pipeline, in its order: count a public read (rate limit); a stored public answer (on a miss,
 * concurrent requests for one URL share one run of what follows); authenticate; count a management call; authorise; claim the Idempotency-Key (or replay its answer; a streamed body
 * is compared once the handler has read it, before it writes); parse;
 * refuse a caller who failed too often (sign-in, tokens); the handler, whose change's transaction writes the audit
 * event, its services noting the public answers it changes; after a write, purge those and complete the audit event;
 * then answer (storing a public one).
 */
export function createRouteHandler(route: AnyRoute, deps: RoutePipelineDeps): RequestHandler {
  const idempotency = isIdempotentRoute(route) ? deps.idempotency : undefined;
  const isPublic = isPublicRead(route);
  const publicCache = isPublic ? deps.publicCache?.forRoute(route) : undefined;
  const querySchema = strictQuerySchema(route.query);
  const limits = rateLimitsOf(route);
  const limitCalls = limits.calls ? deps.rateLimits?.forCalls(limits.calls) : undefined;
  const limitFailures = limits.failures ? deps.rateLimits?.forFailures(limits.failures) : undefined;
  if (route.representations && !isPublic)
    throw new Error(`Route ${route.method.toUpperCase()} ${route.path}: representations are for public GETs`);
  return async (req: Request, res: Response) => {
    // Every answer, a redirect, an error and a 304 too: a cache on the way keeps one per representation.
    if (route.representations) res.vary('Accept');
    // Errors (a 429 too) and uncached answers of the public API are not kept anywhere; a cached answer says otherwise.
    if (isPublic) res.setHeader('Cache-Control', 'no-store');
    // A public read counts before anything, a stored answer included; a management call once its caller is known.
    if (isPublic) await limitCalls?.(req, res, undefined);
    /** The route's answer, or undefined once the request is answered (a replay, a handler that sends its own). */
    const produce = async (): Promise<RouteAnswer | undefined> => {
      const actor = await authenticate(route, deps, req, res);
      if (!isPublic) await limitCalls?.(req, res, actor);
      if (actor) authorise(route.access, actor);
      const idempotent = await idempotency?.begin(req, actorLabel(actor), { isBodyStreamed: route.streamedBody !== undefined });
      if (idempotent?.kind === 'replay') return void sendStored(res, idempotent.response);
      const claim = idempotent?.kind === 'claimed' ? idempotent : undefined;
      return underClaim(claim, route, req, res, async () => {
        const call = parse(route, querySchema, actor, req, res, idempotent);
        // Before the handler spends anything (a password hash) on a caller who failed too often.
        const succeeded = await limitFailures?.(req, res, accountOf(route, call.body));
        const answer = await runHandler(route, call);
        if (answer && answer.status < 400) await succeeded?.();
        if (answer) await afterWrite(route, deps, call, answer);
        return answer;
      });
    };
    if (publicCache?.serveStored(req, res)) return;
    // A miss: concurrent requests for the URL share one run of the route, and its answer is stored.
    const answer = publicCache ? await publicCache.fill(req, res, produce) : await produce();
    if (answer) send(route, res, answer);
  };
}

/** Who a sign-in is for, named by the route from its parsed body. */
function accountOf(route: AnyRoute, body: unknown): string | undefined {
  return route.rateLimit && 'accountOf' in route.rateLimit ? route.rateLimit.accountOf(body) : undefined;
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
    // A retry whose streamed body proved the same as the first one's: the first answer again (no claim is held).
    if (error instanceof StoredAnswerReplay) return void sendStored(res, error.response);
    if (claim) await settleFailure(claim, error, req, res);
    throw error;
  }
  // The handler answered by itself: there is nothing to store, so a retry runs again.
  if (!answer) await claim?.release();
  else if (claim) await claim.complete(toStored(answer, route.secretResponseFields ?? []));
  return answer;
}

/** Thrown by `streamedBodyRead` to stop the handler of a retry and replay the stored answer. */
class StoredAnswerReplay extends Error {
  constructor(readonly response: StoredResponse) {
    super('replay of a stored answer');
  }
}

function parse(
  route: AnyRoute,
  querySchema: ZodObject,
  actor: Actor,
  req: Request,
  res: Response,
  idempotent: IdempotencyOutcome | undefined,
): Call {
  return {
    params: parsePart(route.params, req.params, 'params', BadRequestError),
    query: parsePart(querySchema, { ...(req.query as object) }, 'query', BadRequestError),
    body: parsePart(route.body, req.body ?? {}, 'body', ValidationError),
    expectedVersion: route.ifMatch ? parseIfMatch(req.get('if-match')) : null,
    representation: representationOf(route, req),
    actor,
    req,
    res,
    auditDetails: {},
    streamedBodyRead: async (digest) => {
      const stored = idempotent && idempotent.kind !== 'replay' ? await idempotent.bodyRead(digest) : undefined;
      if (stored) throw new StoredAnswerReplay(stored);
    },
  };
}

/** The handler's result as the answer to send; undefined when the handler sent the response itself. */
async function runHandler(route: AnyRoute, call: Call): Promise<RouteAnswer | undefined> {
  // The change's transaction writes the audit entry, so it commits with the change (see AuditTrail).
  call.auditIntent = route.audit ? openAuditIntent(route, route.audit, call) : undefined;
  const { auditDetails, auditIntent, ...context } = call;
  const addAuditDetails = (details: Record<string, unknown>) => void Object.assign(auditDetails, details);
  const handle = () => route.handler({ ...context, addAuditDetails });
  const audited = () => (auditIntent ? runWithAuditIntent(auditIntent, handle) : handle());
  let result: unknown;
  if (isManagementWrite(route)) ({ result, noted: call.notedPurges } = await collectNotedPurges(audited));
  else result = await audited();
  if (call.res.headersSent) return undefined;
  if (result instanceof Represented !== (call.representation !== undefined) && !(result instanceof HttpResult)) {
    throw new Error(`Route ${route.method.toUpperCase()} ${route.path} did not answer in ${call.representation ?? 'JSON'}`);
  }
  const answer: RouteAnswer =
    result instanceof HttpResult
      ? { status: result.status, headers: { ...result.headers }, body: result.body }
      : result instanceof Represented
        ? { status: 200, headers: { 'Content-Type': `${call.representation}; charset=utf-8` }, body: result.body, keyedBy: result.keyedBy }
        : { status: result === undefined && (route.status ?? 200) === 200 ? 204 : (route.status ?? 200), headers: {}, body: result };
  if (answer.status === 204) answer.body = undefined;
  // A management answer that carries a version is tagged with it, for the next If-Match.
  const version = (answer.body as { version?: unknown } | undefined)?.version;
  if (!('public' in route.access) && typeof version === 'number') answer.headers.ETag = etagOf(version);
  if (answer.body !== undefined) answer.headers['Content-Type'] ??= `${route.mediaType ?? 'application/json'}; charset=utf-8`;
  return answer;
}

/** Purges what a management write touched, then completes its audit event (writes it, where no transaction of the call did). */
async function afterWrite(route: AnyRoute, deps: RoutePipelineDeps, call: Call, answer: RouteAnswer): Promise<void> {
  const id = (answer.body as { id?: unknown } | undefined)?.id ?? (call.params as { id?: unknown } | undefined)?.id;
  const targetId = typeof id === 'string' ? id : null;
  // Before it answers, so its caller reads it back.
  if (isManagementWrite(route) && answer.status < 400) {
    await deps.publicCache?.purgeAfterWrite({
      action: route.audit?.action,
      targetType: route.audit?.targetType,
      targetId,
      noted: call.notedPurges,
    });
  }
  if (route.audit && deps.recordAudit) await recordAudit(deps.recordAudit, route.audit, call, targetId);
}

/** The entry the call owes: the names of the fields a POST or PATCH sends, then what the handler and the service add. */
function openAuditIntent(route: AnyRoute, audit: { action: string; targetType: string }, call: Call): AuditIntent {
  const { body, actor, res, auditDetails } = call;
  if (['post', 'patch'].includes(route.method) && body && typeof body === 'object' && !Array.isArray(body)) {
    auditDetails.fields = Object.keys(body);
  }
  const requestId = (res.locals.requestId as string | undefined) ?? null;
  return { actor: actorLabel(actor), action: audit.action, targetType: audit.targetType, requestId, details: auditDetails, isOpen: true };
}

// Where no transaction of the call wrote the entry (a call that changes nothing, such as a preview link), it is written now.
async function recordAudit(
  record: (event: AuditEventInput, written?: WrittenAuditEntry) => Promise<void>,
  audit: { action: string; targetType: string },
  { actor, res, auditDetails, auditIntent }: Call,
  targetId: string | null,
): Promise<void> {
  try {
    const requestId = (res.locals.requestId as string | undefined) ?? null;
    const details = Object.keys(auditDetails).length ? auditDetails : null;
    await record(
      { actor: actorLabel(actor), action: audit.action, targetType: audit.targetType, targetId, requestId, details },
      auditIntent?.written,
    );
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
