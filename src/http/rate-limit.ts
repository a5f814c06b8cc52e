import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { Redis } from 'ioredis';
import ipaddr from 'ipaddr.js';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit, RateLimitSettings } from '../config.ts';
import { RateLimitedError } from '../errors.ts';
import type { Actor } from '../shared/actor.ts';
import { actorLabel } from '../shared/actor-label.ts';

/** The limits, as named in the `RateLimit` and `RateLimit-Policy` headers. */
export type RateLimitPolicyName = 'login' | 'login-address' | 'token-address' | 'management' | 'public';

/** Calls every one of which counts: management calls per caller, public reads per address. */
export type CallLimitKind = 'management' | 'public';

/** Calls of which only the failed ones count: sign-ins, and uses of a refresh token or a preview link. */
export type FailureLimitKind = 'sign-in' | 'token';

/** Counts a call and sets the RateLimit headers; throws RateLimitedError (429) when the caller is over a limit. */
export type CallLimiter = (req: Request, res: Response, actor: Actor | undefined) => Promise<void>;

/**
 * Counts a call as a failure until it succeeds, and sets the RateLimit headers; throws RateLimitedError when
 * the caller has failed too often. `account` is who a sign-in is for (its e-mail). Resolves to what to call
 * when the call succeeded: it then does not count (and a sign-in clears its account's count).
 */
export type FailureLimiter = (req: Request, res: Response, account?: string) => Promise<() => Promise<void>>;

export interface RateLimits {
  /** The limiter of calls of the kind, or undefined when that limit is off. */
  forCalls(kind: CallLimitKind): CallLimiter | undefined;
  /** The limiter of failed calls of the kind, or undefined when its limits are off. */
  forFailures(kind: FailureLimitKind): FailureLimiter | undefined;
  /** True while the counters are shared through Redis (false: per instance, without Redis or while it is away). */
  isShared(): boolean;
  close(): Promise<void>;
}

export interface RateLimitsDeps {
  settings: RateLimitSettings;
  logger: Logger;
  /** Counters shared by every instance in this Redis, under keys that start with `keyPrefix`; unset, each instance counts alone. */
  redis?: { url: string; keyPrefix: string };
  /** How long a Redis command may take before the instance counts alone (Redis unreachable); tests shorten it. */
  redisTimeoutMs?: number;
  /** While counting alone, how often Redis is asked whether it is back. */
  redisProbeIntervalMs?: number;
}

type WhenSucceeded = 'reset' | 'refund' | 'keep';

/** What a policy's counters do: a RateLimiterMemory, or Redis counters with their insurance. */
interface Counters {
  consume(key: string): Promise<RateLimiterRes>;
  reward(key: string, points: number): Promise<RateLimiterRes>;
  delete(key: string): Promise<boolean>;
}

interface Policy {
  name: RateLimitPolicyName;
  limit: RateLimit;
  whenSucceeded: WhenSucceeded;
  counters: Counters;
}

/**
 * Rate limits with rate-limiter-flexible. With Redis the counters are shared, so N instances enforce one
 * limit; each Redis limiter has an in-memory insurance limiter, so Redis being away never fails a request:
 * the instance counts alone until Redis answers again (said once in the log each way).
 */
export function createRateLimits(deps: RateLimitsDeps): RateLimits {
  const { settings } = deps;
  const store = deps.redis ? createRedisStore({ ...deps, redis: deps.redis }) : undefined;
  const policies = new Map<RateLimitPolicyName, Policy>();
  const define = (name: RateLimitPolicyName, limit: RateLimit | null, whenSucceeded: WhenSucceeded) => {
    if (limit) policies.set(name, { name, limit, whenSucceeded, counters: store ? store.counters(name, limit) : memoryCounters(limit) });
  };
  // A successful sign-in clears its account's failures and gives back its address's point, as do token uses.
  define('login', settings.loginPerAccount, 'reset');
  define('login-address', settings.loginPerAddress, 'refund');
  define('token-address', settings.tokenPerAddress, 'refund');
  define('management', settings.managementPerCaller, 'keep');
  define('public', settings.publicPerAddress, 'keep');

  const refusal: Record<RateLimitPolicyName, string> = {
    login: 'Too many failed sign-ins for this e-mail from this address.',
    'login-address': 'Too many failed sign-ins from this address.',
    'token-address': 'Too many failed token uses from this address.',
    management: 'Too many calls with these credentials.',
    public: 'Too many requests from this address.',
  };

  return {
    forCalls(kind) {
      const policy = policies.get(kind);
      if (!policy) return undefined;
      return async (req, res, actor) => {
        const key = kind === 'management' && actor ? actorLabel(actor) : clientAddress(req);
        await count(res, [{ policy, key }], { refusal, isRefusedCounted: true });
      };
    },
    forFailures(kind) {
      const names: RateLimitPolicyName[] = kind === 'sign-in' ? ['login', 'login-address'] : ['token-address'];
      const chosen = names.flatMap((name) => policies.get(name) ?? []);
      if (!chosen.length) return undefined;
      return async (req, res, account) => {
        const address = clientAddress(req);
        const counted = chosen.map((policy) => ({
          policy,
          key: policy.name === 'login' ? accountKey(account ?? '', address) : address,
        }));
        // A refused try is not a failure: it checked nothing, and must not use up the address's other counts.
        await count(res, counted, { refusal, isRefusedCounted: false });
        return async () => {
          await Promise.all(
            counted.map(({ policy, key }) => {
              if (policy.whenSucceeded === 'reset') return policy.counters.delete(key).catch(() => false);
              if (policy.whenSucceeded === 'refund') return policy.counters.reward(key, 1).catch(() => undefined);
              return undefined;
            }),
          );
        };
      };
    },
    isShared: () => store?.isShared() ?? false,
    close: async () => {
      await store?.close();
    },
  };
}

/**
 * Counts one point under each policy; sets RateLimit and RateLimit-Policy; throws when any is over its limit,
 * after giving the points back unless a refused call counts too.
 */
async function count(
  res: Response,
  counted: Array<{ policy: Policy; key: string }>,
  { refusal, isRefusedCounted }: { refusal: Record<RateLimitPolicyName, string>; isRefusedCounted: boolean },
): Promise<void> {
  const outcomes = await Promise.all(
    counted.map(async ({ policy, key }) => {
      try {
        return { policy, result: await policy.counters.consume(key), isOver: false };
      } catch (error) {
        // Over the limit: the library rejects with the counter's state. Anything else (none is expected behind
        // the insurance limiter) lets the call through: a limit never fails a request.
        if (error instanceof RateLimiterRes) return { policy, result: error, isOver: true };
        return undefined;
      }
    }),
  );
  const known = outcomes.filter((outcome) => outcome !== undefined);
  appendHeader(res, 'RateLimit-Policy', known.map(({ policy }) => policyItem(policy)).join(', '));
  appendHeader(res, 'RateLimit', known.map(({ policy, result }) => remainingItem(policy, result)).join(', '));
  const over = known.filter((outcome) => outcome.isOver);
  if (over.length) {
    if (!isRefusedCounted) await Promise.all(counted.map(({ policy, key }) => policy.counters.reward(key, 1).catch(() => undefined)));
    const retryAfterSeconds = Math.max(...over.map(({ result }) => secondsUntilReset(result)));
    throw new RateLimitedError(retryAfterSeconds, `${refusal[over[0]!.policy.name]} Retry after ${retryAfterSeconds} seconds.`);
  }
}

// draft-ietf-httpapi-ratelimit-headers-10: `"name";q=quota;w=window` and `"name";r=remaining;t=seconds until reset`.
const policyItem = ({ name, limit }: Policy) => `"${name}";q=${limit.points};w=${limit.windowSeconds}`;
const remainingItem = ({ name }: Policy, result: RateLimiterRes) => `"${name}";r=${result.remainingPoints};t=${secondsUntilReset(result)}`;
const secondsUntilReset = (result: RateLimiterRes) => Math.max(1, Math.ceil(result.msBeforeNext / 1000));

// A route may be under two limiters (a public read of a preview link): their items make one list.
function appendHeader(res: Response, name: string, value: string): void {
  if (!value) return;
  const current = res.getHeader(name);
  res.setHeader(name, current ? `${String(current)}, ${value}` : value);
}

/**
 * The address a request is counted under: the client's (X-Forwarded-For only through the proxies TRUST_PROXY
 * names), an IPv4-mapped IPv6 address as IPv4, and an IPv6 address by its /64, which one subscriber holds whole.
 */
export function clientAddress(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress;
  if (!ip || !ipaddr.isValid(ip)) return 'unknown';
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const bytes = address.toByteArray().fill(0, 8);
  return `${ipaddr.fromByteArray(bytes).toString()}/64`;
}

// The e-mail as the sign-in would match it, hashed so that no e-mail is written to Redis.
function accountKey(email: string, address: string): string {
  return `${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url').slice(0, 22)}@${address}`;
}

const memoryCounters = (limit: RateLimit): Counters => new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds });

/** In-memory counters that say when they are used: only when Redis did not answer (as the insurance limiter). */
class FallbackLimiter extends RateLimiterMemory {
  constructor(
    limit: RateLimit,
    private readonly onUse: () => void,
  ) {
    super({ points: limit.points, duration: limit.windowSeconds });
  }
  override consume(...args: Parameters<RateLimiterMemory['consume']>) {
    this.onUse();
    return super.consume(...args);
  }
  override reward(...args: Parameters<RateLimiterMemory['reward']>) {
    this.onUse();
    return super.reward(...args);
  }
  override delete(...args: Parameters<RateLimiterMemory['delete']>) {
    this.onUse();
    return super.delete(...args);
  }
}

/**
 * Counters in Redis, each insured by an in-memory limiter. The first command that Redis does not answer in
 * time turns the instance to its own counters (one warning); while so, Redis is not asked for counts, so a
 * call does not wait on it, only probed; the first answer turns the shared counters back on (one line).
 */
function createRedisStore(deps: RateLimitsDeps & { redis: { url: string; keyPrefix: string } }) {
  const { logger } = deps;
  const client = new Redis(deps.redis.url, {
    connectionName: `newsroom-cms:rate-limits:${deps.redis.keyPrefix}`,
    // A command waits at most this long, whether Redis is slow, unreachable, or not connected yet.
    commandTimeout: deps.redisTimeoutMs ?? 500,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    connectTimeout: 2000,
  });
  // Each reconnection attempt fails alike; the fallback says once what it means for the limits.
  client.on('error', (error: Error) => logger.debug({ err: error }, 'rate limits: Redis error'));
  let isShared = true;
  let isClosed = false;
  let probe: NodeJS.Timeout | undefined;

  const countAlone = () => {
    if (!isShared || isClosed) return;
    isShared = false;
    logger.warn('rate limits: Redis does not answer; each instance counts on its own until it is back');
    let isProbing = false;
    probe = setInterval(() => {
      if (isProbing) return;
      isProbing = true;
      client
        .ping()
        .then(() => {
          if (isShared || isClosed) return;
          isShared = true;
          clearInterval(probe);
          logger.info('rate limits: Redis answers again; counts are shared by every instance');
        })
        .catch(() => undefined)
        .finally(() => {
          isProbing = false;
        });
    }, deps.redisProbeIntervalMs ?? 1000);
    probe.unref();
  };

  return {
    counters(name: RateLimitPolicyName, limit: RateLimit): Counters {
      const insurance = new FallbackLimiter(limit, countAlone);
      const shared = new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `${deps.redis.keyPrefix}:${name}`,
        points: limit.points,
        duration: limit.windowSeconds,
        insuranceLimiter: insurance,
      });
      // While Redis is away its counters are skipped, not waited on for each call.
      const current = () => (isShared ? shared : insurance);
      return {
        consume: (key) => current().consume(key),
        reward: (key, points) => current().reward(key, points),
        delete: (key) => current().delete(key),
      };
    },
    isShared: () => isShared,
    async close() {
      isClosed = true;
      clearInterval(probe);
      if (client.status !== 'ready') return client.disconnect();
      await Promise.race([client.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      client.disconnect();
    },
  };
}
