import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import {
  compileKeyExtractor,
  everythingKey,
  keysPurgedBy,
  type FoundKeys,
  type ListKey,
  type ManagementWrite,
} from '../shared/cache-keys.ts';
import type { PurgeBus, PurgeBusHandlers, PurgeMessage } from './purge-bus.ts';
import { representationOf } from './representations.ts';
import type { PublicCacheSettings } from '../config.ts';

/** A public GET route's caching, declared as `cache` on its definition. */
export interface RouteCacheOptions {
  /** Cache-Control max-age (browsers); PUBLIC_CACHE_MAX_AGE_SECONDS when left out. */
  maxAgeSeconds?: number;
  /** Cache-Control s-maxage (CDNs and proxies); PUBLIC_CACHE_S_MAXAGE_SECONDS when left out. */
  sMaxAgeSeconds?: number;
  /** Cache-Control stale-while-revalidate; PUBLIC_CACHE_STALE_WHILE_REVALIDATE_SECONDS when left out. */
  staleWhileRevalidateSeconds?: number;
  /**
   * The longest the answer lives anywhere: the in-process store keeps it no longer, and max-age and s-maxage
   * say no more. For answers no purge reaches when they should change (a new article matching a search).
   */
  maxLifeSeconds?: number;
  /**
   * The lists the answer depends on beyond the records in it: a query's result, which a newly published
   * article may join. Declaring it (even `[]`) gives the answer exact keys: the records found in the body
   * plus these (a document of its own media type, a feed or a sitemap, is keyed by these alone). Left out,
   * the answer is keyed `all`, which every write purges.
   */
  lists?: readonly ListKey[] | ((body: Record<string, unknown>, request: ListRequest) => readonly ListKey[]);
}

/** What a route's `cache.lists` may read of the request besides the body: its query and path parameters, as sent. */
export interface ListRequest {
  query: Record<string, unknown>;
  params: Record<string, string>;
}

export interface PublicCacheDeps {
  settings: PublicCacheSettings;
  /** The container's clock: entry lifetimes and scheduled times are read from it. */
  now: () => Date;
  logger: Logger;
  /**
   * The next time after `after` at which public content changes with no write (a scheduled article,
   * an embargo's end, a feed item's window), or null when none is pending.
   */
  nextScheduledChange: (after: Date) => Promise<Date | null>;
  /** Links the instances (Redis); without it this instance purges only itself. */
  connectBus?: (handlers: PurgeBusHandlers) => PurgeBus;
}

/** The route's answer as its pipeline hands it over, before it is sent. */
export interface RouteAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** For a body in another representation than JSON: the JSON answer it stands for, which the keys are read from. */
  keyedBy?: unknown;
}

/** What the cache needs to know of a route. */
export interface CachedRouteShape {
  method: string;
  path: string;
  response?: ZodType;
  mediaType?: string;
  cache?: false | RouteCacheOptions;
  /** Other representations than JSON, chosen by Accept: each is an entry of its own. */
  representations?: Record<string, unknown>;
}

/** Noted before a route runs on a miss, checked when its answer is stored. */
export interface Fill {
  generation: number;
  startedAt: number;
  /** Epoch ms of the next scheduled change, null for none. */
  changesAt: number | null;
}

export interface RoutePublicCache {
  /** Sends the stored answer for this URL when a fresh one is held; true when it did. */
  serveStored(req: Request, res: Response): boolean;
  /**
   * On a miss: runs `produce` (the route) once for all the concurrent requests of this URL, stores a 200 answer
   * and sends it to each with its validators and caching headers. Returns any other answer for the caller to
   * send, or undefined when the request was answered.
   */
  fill(req: Request, res: Response, produce: () => Promise<RouteAnswer | undefined>): Promise<RouteAnswer | undefined>;
}

/** How one read of a URL ended, for every request that waited on it. */
type FlightOutcome = { entry: Entry } | { answer: RouteAnswer } | { isSentByHandler: true };

interface Entry {
  cacheKey: string;
  body: Buffer;
  contentType: string;
  etag: string;
  /** Every header but Content-Type, which a 304 leaves out. */
  headers: [string, string][];
  keys: readonly string[];
  /** Bytes it holds: the body and the key headers. */
  size: number;
  storedAt: number;
  expiresAt: number;
}

// While purges from other instances may be missed, an answer is kept this long at most.
const fallbackTtlMs = 1000;
/** Roughly what an entry costs beyond its bytes (its object, header arrays, map slots). */
const ENTRY_OVERHEAD_BYTES = 1024;

/**
 * The public API's cache: strong ETags and 304s, Cache-Control, Surrogate-Key / Cache-Tag naming the
 * records an answer contains, and an in-process store of serialized answers (a hit runs no query and
 * no serialisation) that writes purge by the same keys, here and, through the bus, on every instance.
 * An entry never outlives the next scheduled change, so a scheduled article shows at its time.
 */
export function createPublicCache(deps: PublicCacheDeps) {
  const { settings, now, logger } = deps;
  const entries = new Map<string, Entry>();
  const cacheKeysByKey = new Map<string, Set<string>>();
  let storedBytes = 0;
  // Bumped by every purge: an answer computed across a purge may predate the write and is not stored.
  let generation = 0;
  let horizon: { from: number; at: number | null; generation: number } | undefined;
  let horizonInFlight: Promise<number | null> | undefined;
  let horizonInFlightGeneration = -1;
  // The reads under way, by method and URL: a miss joins the one running rather than starting its own.
  const flights = new Map<string, Promise<FlightOutcome>>();
  let waitingOnFlights = 0;
  const isStoring = settings.ttlSeconds > 0;

  const bus = deps.connectBus?.({
    onPurge: (message) => applyPurge(message),
    onMissedPurges: () => applyPurge({ everything: true }),
  });

  function remove(cacheKey: string): void {
    const entry = entries.get(cacheKey);
    if (!entry) return;
    entries.delete(cacheKey);
    storedBytes -= entry.size;
    for (const key of entry.keys) {
      const set = cacheKeysByKey.get(key);
      set?.delete(cacheKey);
      if (set?.size === 0) cacheKeysByKey.delete(key);
    }
  }

  function applyPurge(message: PurgeMessage): void {
    generation++;
    // A read under way may predate the write: requests from now on start their own.
    flights.clear();
    if ('everything' in message) {
      entries.clear();
      cacheKeysByKey.clear();
      storedBytes = 0;
      horizon = undefined;
      return;
    }
    // Article and feed writes may add or move a scheduled time.
    if (message.keys.some((key) => key === 'articles' || key === 'feed')) horizon = undefined;
    for (const key of message.keys) {
      const cacheKeys = cacheKeysByKey.get(key);
      if (cacheKeys) for (const cacheKey of [...cacheKeys]) remove(cacheKey);
    }
  }

  function purge(message: PurgeMessage): void {
    if ('keys' in message && message.keys.length === 0) return;
    applyPurge(message);
    bus?.publish(message);
  }

  /** The next scheduled change after `at`: known until a purge, re-read once `at` passes it. */
  function nextChangeAt(at: number): Promise<number | null> | number | null {
    if (horizon && horizon.generation === generation && horizon.from <= at && (horizon.at === null || at < horizon.at)) return horizon.at;
    // A read started before the last purge may miss what that write scheduled: start another.
    if (!horizonInFlight || horizonInFlightGeneration !== generation) {
      const startedGeneration = generation;
      horizonInFlightGeneration = generation;
      const inFlight: Promise<number | null> = deps
        .nextScheduledChange(new Date(at))
        .then(
          (next) => {
            const value = next ? next.getTime() : null;
            if (generation === startedGeneration) horizon = { from: at, at: value, generation: startedGeneration };
            return value;
          },
          (error: unknown) => {
            logger.error({ err: error }, 'public cache: could not read the next scheduled change; keeping answers a second');
            return at + fallbackTtlMs;
          },
        )
        .finally(() => {
          if (horizonInFlight === inFlight) horizonInFlight = undefined;
        });
      horizonInFlight = inFlight;
    }
    return horizonInFlight;
  }

  /** Taken on a miss before the route runs: what its answer is checked against when it is stored. */
  async function beginFill(): Promise<Fill> {
    const startedGeneration = generation;
    const startedAt = now().getTime();
    return { generation: startedGeneration, startedAt, changesAt: await nextChangeAt(startedAt) };
  }

  function store(entry: Entry, fill: Fill, maxLifeSeconds: number): void {
    if (settings.ttlSeconds <= 0 || fill.generation !== generation) return;
    const ttlMs = Math.min(settings.ttlSeconds, maxLifeSeconds) * 1000;
    const lifeMs = bus && !bus.isConnected() ? Math.min(ttlMs, fallbackTtlMs) : ttlMs;
    entry.expiresAt = Math.min(fill.startedAt + lifeMs, fill.changesAt ?? Infinity);
    if (entry.expiresAt <= now().getTime() || entry.size > settings.maxBytes) return;
    remove(entry.cacheKey);
    entries.set(entry.cacheKey, entry);
    storedBytes += entry.size;
    for (const key of entry.keys) {
      const set = cacheKeysByKey.get(key) ?? new Set<string>();
      cacheKeysByKey.set(key, set);
      set.add(entry.cacheKey);
    }
    // Maps iterate in insertion order: the oldest entries go first.
    for (const oldest of entries.keys()) {
      if (storedBytes <= settings.maxBytes) break;
      remove(oldest);
    }
  }

  function forRoute(route: CachedRouteShape): RoutePublicCache {
    const options = route.cache || {};
    const where = `${route.method.toUpperCase()} ${route.path}`;
    // Only a route that says which lists it shows gets exact keys; its schema must name every record.
    // A document of its own media type (a JSON Feed's ids are addresses) names no records: its lists key it.
    const extract =
      options.lists !== undefined && route.response && !route.mediaType ? compileKeyExtractor(route.response, where) : undefined;
    const maxAge = options.maxAgeSeconds ?? settings.maxAgeSeconds;
    const sMaxAge = options.sMaxAgeSeconds ?? settings.sMaxAgeSeconds;
    const staleWhileRevalidate = options.staleWhileRevalidateSeconds ?? settings.staleWhileRevalidateSeconds;
    const maxLifeSeconds = options.maxLifeSeconds ?? Infinity;

    function keysOf(req: Request, body: unknown, found: FoundKeys | undefined): string[] {
      if (options.lists === undefined) return [everythingKey];
      const request = { query: req.query as Record<string, unknown>, params: req.params as Record<string, string> };
      const lists =
        typeof options.lists === 'function'
          ? options.lists(body && typeof body === 'object' ? (body as Record<string, unknown>) : {}, request)
          : options.lists;
      return [...new Set([...lists, ...(found?.keys ?? [])])];
    }

    async function read(req: Request, produce: () => Promise<RouteAnswer | undefined>): Promise<FlightOutcome> {
      const fill = await beginFill();
      const answer = await produce();
      if (!answer) return { isSentByHandler: true };
      const entry = entryOf(req, answer, fill);
      if (!entry) return { answer };
      store(entry, fill, maxLifeSeconds);
      return { entry };
    }

    /** A 200 answer as stored and sent, with its validators and caching headers; null for any other answer. */
    function entryOf(req: Request, answer: RouteAnswer, fill: Fill): Entry | null {
      const { status, body: value } = answer;
      if (status !== 200 || value === undefined || hasHeader(answer.headers, 'cache-control')) return null;
      const body = Buffer.isBuffer(value)
        ? value
        : Buffer.from(typeof value === 'string' && route.mediaType ? value : JSON.stringify(value), 'utf8');
      // Another representation names its records as the JSON answer it stands for does.
      const keyed = answer.keyedBy ?? value;
      const found = extract && keyed && typeof keyed === 'object' ? extract(keyed) : undefined;
      const keys = keysOf(req, keyed, found);
      const secondsToChange = Math.min(
        maxLifeSeconds,
        fill.changesAt === null ? Infinity : Math.max(0, Math.floor((fill.changesAt - fill.startedAt) / 1000)),
      );
      const representation = representationOf(route, req);
      // Each representation is a resource of its own to a cache on the way: its validator differs even for equal bytes.
      const hash = createHash('sha256').update(body);
      if (representation) hash.update(`\n${representation}`);
      const etag = `"${hash.digest('base64url').slice(0, 32)}"`;
      const contentType = headerValue(answer.headers, 'content-type') ?? 'application/json; charset=utf-8';
      const routeHeaders = Object.entries(answer.headers).filter(([name]) => name.toLowerCase() !== 'content-type');
      const keyHeader = keys.join(' ');
      const cacheKey = cacheKeyOf(req, representation);
      return {
        cacheKey,
        body,
        contentType,
        etag,
        headers: [
          ...routeHeaders,
          ['ETag', etag],
          // The newest change of the records in the answer; without dates in it, when it was made.
          ['Last-Modified', new Date(found?.newestChange || fill.startedAt).toUTCString()],
          [
            'Cache-Control',
            `public, max-age=${Math.min(maxAge, secondsToChange)}, s-maxage=${Math.min(sMaxAge, secondsToChange)}, ` +
              `stale-while-revalidate=${staleWhileRevalidate}`,
          ],
          ['Surrogate-Key', keyHeader],
          ['Cache-Tag', keys.join(',')],
        ],
        keys,
        // The body, the key headers twice, the cache key in two maps, and the entry's own overhead:
        // counted whole so that many small answers (random cursors, queries) cannot outgrow the limit.
        size: body.length + 2 * keyHeader.length + 2 * cacheKey.length + ENTRY_OVERHEAD_BYTES,
        storedAt: fill.startedAt,
        expiresAt: 0,
      };
    }

    return {
      serveStored(req, res) {
        const entry = entries.get(cacheKeyOf(req, representationOf(route, req)));
        if (!entry) return false;
        const at = now().getTime();
        if (at >= entry.expiresAt || at < entry.storedAt) {
          remove(entry.cacheKey);
          return false;
        }
        send(req, res, entry, Math.floor((at - entry.storedAt) / 1000));
        return true;
      },

      async fill(req, res, produce) {
        // The exact URL: requests that share an entry but spell their query otherwise may be answered otherwise (a redirect's Location).
        const representation = representationOf(route, req);
        const flightKey = `${req.method} ${req.originalUrl}${representation ? ` ${representation}` : ''}`;
        // With the store off (PUBLIC_CACHE=off) nothing is shared either: every request runs the route.
        let flight = isStoring ? flights.get(flightKey) : undefined;
        const isFirst = flight === undefined;
        if (!flight) {
          const started = read(req, produce);
          if (isStoring) {
            const land = () => {
              if (flights.get(flightKey) === started) flights.delete(flightKey);
            };
            started.then(land, land);
            flights.set(flightKey, started);
          }
          flight = started;
        }
        waitingOnFlights++;
        let outcome: FlightOutcome;
        try {
          outcome = await flight;
        } finally {
          waitingOnFlights--;
        }
        if ('entry' in outcome) {
          send(req, res, outcome.entry);
          return undefined;
        }
        if ('answer' in outcome) return outcome.answer;
        // The first request's handler answered it by itself: each of the others runs its own.
        return isFirst ? undefined : produce();
      },
    };
  }

  return {
    /** The cache side of a public GET route; undefined for a route declared `cache: false`. */
    forRoute: (route: CachedRouteShape): RoutePublicCache | undefined => (route.cache === false ? undefined : forRoute(route)),
    /** Purges what a successful management write touched, here and on the other instances. */
    async purgeAfterWrite(write: ManagementWrite): Promise<void> {
      const keys = keysPurgedBy(write);
      purge(keys === 'everything' ? { everything: true } : { keys });
      // The write may have scheduled something: the next scheduled change is read now rather than by the next reader.
      if (horizon === undefined) await nextChangeAt(now().getTime());
    },
    /** Purges answers carrying any of the keys, here and on the other instances. */
    purge: (keys: string[]) => purge({ keys }),
    /** Drops every stored answer, here and on the other instances. */
    purgeEverything: () => purge({ everything: true }),
    /**
     * What the store holds, the reads under way and the requests waiting on them, and whether purges from
     * other instances arrive (null without Redis).
     */
    stats: () => ({
      entries: entries.size,
      bytes: storedBytes,
      reads: flights.size,
      waiting: waitingOnFlights,
      isLinked: bus ? bus.isConnected() : null,
    }),
    close: async () => {
      await bus?.close();
    },
  };
}

export type PublicCache = ReturnType<typeof createPublicCache>;

/**
 * The path and the query with its parameters in order, so `?b=1&a=2` and `?a=2&b=1` share an entry, then the
 * representation other than JSON, after a space (no URL has one). Only parameters the route declares reach a
 * stored answer: the parse stage refuses any other (`?x=1`) with 400.
 */
function cacheKeyOf(req: Request, representation: string | undefined): string {
  const suffix = representation ? ` ${representation}` : '';
  const url = req.originalUrl;
  const mark = url.indexOf('?');
  if (mark === -1) return url + suffix;
  const params = new URLSearchParams(url.slice(mark + 1));
  params.sort();
  const query = params.toString();
  return (query ? `${url.slice(0, mark)}?${query}` : url.slice(0, mark)) + suffix;
}

function send(req: Request, res: Response, entry: Entry, ageSeconds?: number): void {
  for (const [name, value] of entry.headers) res.setHeader(name, value);
  if (ageSeconds !== undefined) res.setHeader('Age', String(ageSeconds));
  if (isNotModified(req.headers['if-none-match'], entry.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.setHeader('Content-Type', entry.contentType);
  res.statusCode = 200;
  res.end(entry.body);
}

// If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x"; * matches any current answer.
function isNotModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header === etag) return true;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === etag;
  });
}

function hasHeader(headers: Record<string, string>, lowerCaseName: string): boolean {
  return headerValue(headers, lowerCaseName) !== undefined;
}

function headerValue(headers: Record<string, string>, lowerCaseName: string): string | undefined {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === lowerCaseName) return value;
  return undefined;
}
