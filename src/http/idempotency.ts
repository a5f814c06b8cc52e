import { createHash, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { Prisma } from '../db/database.ts';
import type { Dialect } from '../db/dialect.ts';
import { AppError, BadRequestError } from '../errors.ts';

const recordTtlMs = 24 * 60 * 60 * 1000;
const maxKeyLength = 255;
// Headers a replay repeats; the rest (request id, caching) belong to the replaying request.
const replayedHeaders = ['content-type', 'location', 'etag'] as const;

/** A response as stored under an idempotency key and sent again on a retry. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as sent, or null when there was none. */
  body: string | null;
}

/** The first request with a key owns it: it runs and then completes (stores its response) or releases the key. */
export interface IdempotencyClaim {
  kind: 'claimed';
  /** Stores the response; for a streamed body whose digest never came (cut off, refused unread), releases the key instead. */
  complete(response: StoredResponse): Promise<void>;
  /** Forgets the key, so that a retry runs again (after a 5xx, or a response that cannot be stored). */
  release(): Promise<void>;
  /** A streamed body was read: its digest becomes the key's fingerprint, which a retry's body must match. Nothing to replay. */
  bodyRead(digest: string): Promise<StoredResponse | undefined>;
}

/**
 * A retry with a streamed body (an upload) whose key has a stored answer: known to be the same request
 * only once its body is read. `bodyRead` answers the stored response for the same body, or throws 422.
 */
export interface IdempotencyReplayIfSameBody {
  kind: 'replayIfSameBody';
  bodyRead(digest: string): Promise<StoredResponse | undefined>;
}

export type IdempotencyOutcome = IdempotencyClaim | IdempotencyReplayIfSameBody | { kind: 'replay'; response: StoredResponse };

export interface BeginOptions {
  /**
   * The handler reads the body itself (an upload): it cannot be fingerprinted now, so the fingerprint is
   * taken from the digest the handler gives once it has read it, and a retry is compared then.
   */
  isBodyStreamed?: boolean;
}

export interface IdempotencyStore {
  /**
   * Claims the request's Idempotency-Key for the caller, or answers the stored response of an earlier
   * request with that key; undefined when the request has no key. A request that finds the key still
   * being processed waits for it.
   */
  begin(req: Request, actor: string, options?: BeginOptions): Promise<IdempotencyOutcome | undefined>;
}

export interface IdempotencyOptions {
  /**
   * How long a request may hold its key while processing. Past it the holder is taken for dead (a
   * crash between claim and response), and a retry may claim the key instead of waiting for a day.
   */
  processingLeaseMs?: number;
  prisma: Prisma;
  dialect: Dialect;
  now: () => Date;
  pollIntervalMs?: number;
  maxWaitMs?: number;
}

/** Idempotency-Key (IETF httpapi draft): a retried POST answers the first one's response instead of running again. */
export function createIdempotencyStore({
  prisma,
  dialect,
  now,
  pollIntervalMs = 25,
  maxWaitMs = 10_000,
  processingLeaseMs = 60_000,
}: IdempotencyOptions): IdempotencyStore {
  let beginsSincePurge = 0;

  // Expired records are dead weight: once in a while, with a request, they are removed.
  async function purgeExpiredNowAndThen(): Promise<void> {
    if (++beginsSincePurge < 100) return;
    beginsSincePurge = 0;
    await prisma.idempotencyRecord.deleteMany({ where: { expiresAt: { lte: now() } } });
  }

  type NewRecord = Parameters<Prisma['idempotencyRecord']['create']>[0]['data'] & { id: string };

  /** Inserts the record unless (actor, key) is taken; answers whether it did. */
  async function insertUnlessTaken(data: NewRecord): Promise<boolean> {
    // PostgreSQL: ON CONFLICT DO NOTHING. A failed insert there slows the connection's next query by tens of ms.
    if (dialect === 'postgresql') {
      const createMany = prisma.idempotencyRecord.createMany as unknown as (args: {
        data: NewRecord[];
        skipDuplicates: boolean;
      }) => Promise<{ count: number }>;
      return (await createMany({ data: [data], skipDuplicates: true })).count === 1;
    }
    try {
      await prisma.idempotencyRecord.create({ data, select: { id: true } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  function claim(id: string, method: string, path: string, isBodyStreamed: boolean): IdempotencyClaim {
    // A streamed body's answer is kept only with the digest of that body: without it no retry could be matched.
    let isFingerprinted = !isBodyStreamed;
    const release = async () => {
      await prisma.idempotencyRecord.deleteMany({ where: { id, state: 'processing' } });
    };
    return {
      kind: 'claimed',
      complete: async (response) => {
        if (!isFingerprinted) return release();
        await prisma.idempotencyRecord.updateMany({
          where: { id, state: 'processing' },
          data: { state: 'completed', responseStatus: response.status, responseHeaders: response.headers, responseBody: response.body },
        });
      },
      release,
      bodyRead: async (digest) => {
        if (!isBodyStreamed || isFingerprinted) return undefined;
        await prisma.idempotencyRecord.updateMany({
          where: { id, state: 'processing' },
          data: { fingerprint: streamedFingerprint(method, path, digest) },
        });
        isFingerprinted = true;
        return undefined;
      },
    };
  }

  return {
    async begin(req, actor, { isBodyStreamed = false } = {}) {
      const header = req.get('idempotency-key');
      if (header === undefined) return undefined;
      const key = parseKey(header);
      const method = req.method;
      const path = req.originalUrl.split('?')[0] ?? req.originalUrl;
      // A streamed body has no fingerprint yet: the claim holds one of its route until the handler gives its digest.
      const fingerprint = isBodyStreamed ? streamedFingerprint(method, path, null) : fingerprintOf(req, method, path);
      const deadline = Date.now() + maxWaitMs;
      await purgeExpiredNowAndThen();
      let mayClaim = true;
      for (;;) {
        if (mayClaim) {
          const at = now();
          const id = randomUUID();
          const data = {
            id,
            actor,
            key,
            method,
            path,
            fingerprint,
            state: 'processing' as const,
            createdAt: at,
            expiresAt: new Date(at.getTime() + recordTtlMs),
          };
          // The unique (actor, key) decides which of concurrent first requests runs.
          if (await insertUnlessTaken(data)) return claim(id, method, path, isBodyStreamed);
        }
        // findFirst: findUnique of this model is tens of ms slower on PostgreSQL (measured), and this is polled.
        const existing = await prisma.idempotencyRecord.findFirst({
          where: { actor, key },
          select: {
            id: true,
            method: true,
            path: true,
            fingerprint: true,
            state: true,
            createdAt: true,
            expiresAt: true,
            responseStatus: true,
            responseHeaders: true,
            responseBody: true,
          },
        });
        // Gone (released by a failed first attempt), expired, or abandoned (its process died while
        // processing and the lease ran out): this request may claim the key.
        const isAbandoned = existing?.state === 'processing' && existing.createdAt.getTime() + processingLeaseMs <= now().getTime();
        mayClaim = !existing || existing.expiresAt <= now() || isAbandoned;
        if (existing && mayClaim) await prisma.idempotencyRecord.deleteMany({ where: { id: existing.id } });
        if (existing && !mayClaim) {
          // A streamed body is compared once read (below); until then, the same route is the same request.
          const isSameRequest = isBodyStreamed
            ? existing.method === method && existing.path === path
            : existing.fingerprint === fingerprint;
          if (!isSameRequest) throw keyReused();
          if (existing.state === 'completed' && existing.responseStatus !== null) {
            const response = { status: existing.responseStatus, headers: headersOf(existing.responseHeaders), body: existing.responseBody };
            if (!isBodyStreamed) return { kind: 'replay', response };
            const stored = existing.fingerprint;
            return {
              kind: 'replayIfSameBody',
              bodyRead: async (digest) => {
                if (streamedFingerprint(method, path, digest) !== stored) throw keyReused();
                return response;
              },
            };
          }
          // Still processing: wait for it, then look again.
          if (Date.now() >= deadline) {
            throw new AppError(
              409,
              'idempotency_key_in_use',
              'Conflict',
              'A request with this Idempotency-Key is still being processed; retry later.',
            );
          }
          await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
        }
      }
    },
  };
}

/** The response parts a replay repeats, from a response about to be sent. */
export function storableHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const lowerCased = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return Object.fromEntries(replayedHeaders.flatMap((name) => (lowerCased[name] !== undefined ? [[name, String(lowerCased[name])]] : [])));
}

// The draft makes the key a structured-field string ("..."); a bare token is accepted too.
function parseKey(header: string): string {
  const trimmed = header.trim();
  const key = /^"[\x20-\x7e]*"$/.test(trimmed) ? trimmed.slice(1, -1).replace(/\\(["\\])/g, '$1') : trimmed;
  if (key.length === 0 || key.length > maxKeyLength) {
    throw new BadRequestError(`Idempotency-Key must be 1 to ${maxKeyLength} characters.`, [
      { field: 'header.idempotency-key', message: `Between 1 and ${maxKeyLength} characters` },
    ]);
  }
  return key;
}

function keyReused(): AppError {
  return new AppError(
    422,
    'idempotency_key_reused',
    'Idempotency key reused',
    'This Idempotency-Key was used for a different request (method, path or body); use a new key for a new request.',
  );
}

/** sha256 of method, path and the body as canonical JSON (sorted keys). */
function fingerprintOf(req: Request, method: string, path: string): string {
  return createHash('sha256')
    .update(`${method}\n${path}\n${canonicalJson(req.body ?? null)}`)
    .digest('hex');
}

/** sha256 of method, path and the digest of a streamed body (its bytes' sha256 and what else the request said); null before it is read. */
function streamedFingerprint(method: string, path: string, digest: string | null): string {
  return createHash('sha256')
    .update(`${method}\n${path}\nstreamed:${digest ?? '(not read yet)'}`)
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function headersOf(stored: unknown): Record<string, string> {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return {};
  return Object.fromEntries(
    Object.entries(stored as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}
