import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { CacheKeySchemaError } from '../../src/shared/cache-keys.ts';
import { createLogger } from '../../src/http/logger.ts';
import type { PublicCacheSettings } from '../../src/config.ts';
import { createPublicCache } from '../../src/http/public-cache.ts';
import { defineRoute, type AnyRoute } from '../../src/http/route.ts';
import { z } from '../../src/shared/zod.ts';
import { TestClock } from '../support/test-app.ts';

const settings: PublicCacheSettings = {
  ttlSeconds: 60,
  maxBytes: 1024 * 1024,
  maxAgeSeconds: 30,
  sMaxAgeSeconds: 60,
  staleWhileRevalidateSeconds: 300,
};
const Item = z.object({ id: z.string(), title: z.string() }).openapi('Rubric');

/** An app of hand-made public routes on a real cache, to test the cache layer apart from the modules. */
function buildApp(routes: AnyRoute[], options: { settings?: Partial<PublicCacheSettings> } = {}) {
  const clock = new TestClock();
  const calls = new Map<string, number>();
  const publicCache = createPublicCache({
    settings: { ...settings, ...options.settings },
    now: clock.now,
    logger: createLogger('silent'),
    nextScheduledChange: async () => null,
  });
  const app = createApp({
    config: { corsOrigins: [], bodyLimit: '1mb' },
    logger: createLogger('silent'),
    authenticate: async () => ({ type: 'apiKey', apiKeyId: 'test', scopes: ['admin'] }),
    modules: [
      {
        publicRoutes: routes.map((route) => ({
          ...route,
          handler: async (ctx: Parameters<AnyRoute['handler']>[0]) => {
            calls.set(route.path, (calls.get(route.path) ?? 0) + 1);
            return route.handler(ctx);
          },
        })),
        adminRoutes: [
          defineRoute({
            method: 'patch',
            path: '/v1/admin/things/{id}',
            operationId: 'updateThing',
            summary: 'x',
            tag: 'Test',
            access: { roles: ['admin'], scope: 'write' },
            params: z.strictObject({ id: z.string() }),
            audit: { action: 'thing.update', targetType: 'thing' },
            handler: async () => undefined,
          }),
          defineRoute({
            method: 'patch',
            path: '/v1/admin/rubrics/{id}',
            operationId: 'updateRubric',
            summary: 'x',
            tag: 'Test',
            access: { roles: ['admin'], scope: 'write' },
            params: z.strictObject({ id: z.string() }),
            audit: { action: 'rubric.update', targetType: 'rubric' },
            handler: async () => undefined,
          }),
        ],
      },
    ],
    publicCache,
  });
  return { http: () => supertest(app), clock, publicCache, callsOf: (path: string) => calls.get(path) ?? 0 };
}

const route = (path: string, extra: Partial<AnyRoute> & Pick<AnyRoute, 'handler'>): AnyRoute =>
  defineRoute({
    method: 'get',
    path,
    operationId: path.replace(/\W/g, ''),
    summary: 'x',
    tag: 'Test',
    access: { public: true },
    ...extra,
  } as AnyRoute);

describe('the public cache layer', () => {
  it('when a route declares no lists, then its answers are keyed `all` and any management write purges them', async () => {
    const app = buildApp([route('/anything', { response: z.object({ n: z.number() }), handler: async () => ({ n: 1 }) })]);
    const first = await app.http().get('/anything').expect(200);
    expect(first.headers['surrogate-key']).toBe('all');
    expect(first.headers['cache-tag']).toBe('all');
    expect((await app.http().get('/anything').expect(200)).headers.age).toBe('0');
    await app.http().patch('/v1/admin/rubrics/r1').expect(204);
    expect((await app.http().get('/anything').expect(200)).headers.age).toBeUndefined();
    expect(app.callsOf('/anything')).toBe(2);
  });

  it('when a write has a target type the cache does not know, then everything is purged', async () => {
    const app = buildApp([route('/exact', { response: Item, cache: { lists: [] }, handler: async () => ({ id: 'r1', title: 'Город' }) })]);
    await app.http().get('/exact').expect(200);
    await app.http().get('/exact').expect(200);
    expect(app.callsOf('/exact')).toBe(1);
    await app.http().patch('/v1/admin/things/x').expect(204);
    await app.http().get('/exact').expect(200);
    expect(app.callsOf('/exact')).toBe(2);
  });

  it('when a route with lists answers an object with an id its schema does not name, then the app does not start', () => {
    const Unnamed = z.object({ items: z.array(z.object({ id: z.string() })) });
    expect(() => buildApp([route('/bad', { response: Unnamed, cache: { lists: [] }, handler: async () => ({ items: [] }) })])).toThrow(
      CacheKeySchemaError,
    );
    expect(() => buildApp([route('/bad', { response: Unnamed, cache: { lists: [] }, handler: async () => ({ items: [] }) })])).toThrow(
      /\/bad\.items\[\] has an id/,
    );
  });

  it('when a union has two options holding records and no discriminator, then the app does not start', () => {
    const Either = z.union([Item, z.object({ id: z.string(), name: z.string() }).openapi('Tag')]);
    expect(() =>
      buildApp([route('/either', { response: Either, cache: { lists: [] }, handler: async () => ({ id: 'x', title: 'y' }) })]),
    ).toThrow(/discriminated union/);
  });

  it('when a discriminated union holds records, then each item is keyed by the option its discriminator names', async () => {
    const Block = z.discriminatedUnion('type', [
      z.object({ type: z.literal('rubric'), rubric: Item }),
      z.object({ type: z.literal('tag'), rubric: z.object({ id: z.string() }).openapi('TagRef') }),
    ]);
    const app = buildApp([
      route('/blocks', {
        response: z.object({ blocks: z.array(Block) }),
        cache: { lists: ['tags'] },
        handler: async () => ({
          blocks: [
            { type: 'rubric', rubric: { id: 'r1', title: 'Город' } },
            { type: 'tag', rubric: { id: 't1' } },
          ],
        }),
      }),
    ]);
    const res = await app.http().get('/blocks').expect(200);
    expect(res.headers['surrogate-key']).toBe('tags rubric:r1 tag:t1');
  });

  it('when a purge comes while an answer is being made, then that answer is sent but not kept', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const isBeingMade = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let isFirst = true;
    const app = buildApp([
      route('/slow', {
        response: Item,
        cache: { lists: [] },
        handler: async () => {
          if (isFirst) {
            isFirst = false;
            entered();
            await gate;
          }
          return { id: 'r1', title: 'Город' };
        },
      }),
    ]);
    // then() sends the request now; supertest waits for it otherwise.
    const pending = app
      .http()
      .get('/slow')
      .expect(200)
      .then((res) => res);
    await isBeingMade;
    app.publicCache.purge(['rubric:r1']);
    release();
    expect((await pending).headers.age).toBeUndefined();
    expect((await app.http().get('/slow').expect(200)).headers.age).toBeUndefined();
    expect((await app.http().get('/slow').expect(200)).headers.age).toBe('0');
    expect(app.callsOf('/slow')).toBe(2);
  });

  /** A route whose answers wait for the gate closed last (`close()` returns its opener), each saying the `version` current when it was made. */
  function gatedRoute(path: string) {
    let gate = Promise.resolve();
    const state = { version: 1 };
    const close = (): (() => void) => {
      let open!: () => void;
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      return open;
    };
    const gated = route(path, {
      response: Item,
      cache: { lists: [] },
      handler: async () => {
        const version = state.version;
        await gate;
        return { id: 'r1', title: `Город, версия ${version}` };
      },
    });
    return { gated, state, close };
  }

  // then() sends the request now; supertest waits for it otherwise.
  const sent = (request: supertest.Test) => request.expect(200).then((res) => res);

  it('when 50 requests miss the same URL at once, then the route runs once and each gets its answer, none from the store', async () => {
    const { gated, close } = gatedRoute('/busy');
    const app = buildApp([gated]);
    const open = close();
    const pending = Array.from({ length: 50 }, () => sent(app.http().get('/busy')));
    await expect.poll(() => app.publicCache.stats().waiting).toBe(50);
    open();
    const answers = await Promise.all(pending);
    expect(app.callsOf('/busy')).toBe(1);
    expect(new Set(answers.map((res) => res.text)).size).toBe(1);
    expect(answers.every((res) => res.headers.age === undefined && res.headers.etag === answers[0]!.headers.etag)).toBe(true);
    expect(app.publicCache.stats()).toMatchObject({ entries: 1, reads: 0, waiting: 0 });
    expect((await app.http().get('/busy').expect(200)).headers.age).toBe('0');
  });

  it('when a purge comes while requests wait on a read, then later requests make a new one, and only the new answer is kept', async () => {
    const { gated, state, close } = gatedRoute('/racing');
    const app = buildApp([gated]);
    const openFirst = close();
    const early = [sent(app.http().get('/racing')), sent(app.http().get('/racing'))];
    await expect.poll(() => app.publicCache.stats().waiting).toBe(2);
    // The write: the record changes, then its key is purged; the read under way began before it.
    state.version = 2;
    app.publicCache.purge(['rubric:r1']);
    const openSecond = close();
    const late = sent(app.http().get('/racing'));
    await expect.poll(() => app.callsOf('/racing')).toBe(2);
    openSecond();
    expect((await late).body.title).toBe('Город, версия 2');
    openFirst();
    for (const res of await Promise.all(early)) expect(res.body.title).toBe('Город, версия 1');
    const after = await app.http().get('/racing').expect(200);
    expect([after.headers.age, after.body.title]).toEqual(['0', 'Город, версия 2']);
    expect(app.callsOf('/racing')).toBe(2);
  });

  it('when a route declares a longest life, then the store keeps its answers no longer and the headers say no more', async () => {
    const app = buildApp([
      route('/brief', { response: Item, cache: { lists: [], maxLifeSeconds: 20 }, handler: async () => ({ id: 'r1', title: 'Город' }) }),
    ]);
    const res = await app.http().get('/brief').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=20, s-maxage=20, stale-while-revalidate=300');
    app.clock.advance(19_999);
    expect((await app.http().get('/brief').expect(200)).headers.age).toBe('19');
    app.clock.advance(1);
    expect((await app.http().get('/brief').expect(200)).headers.age).toBeUndefined();
  });

  it('when a route sets its own cache lifetimes, then they override the configured ones', async () => {
    const app = buildApp([
      route('/short', {
        response: Item,
        cache: { lists: [], maxAgeSeconds: 5, sMaxAgeSeconds: 10, staleWhileRevalidateSeconds: 0 },
        handler: async () => ({ id: 'r1', title: 'Город' }),
      }),
    ]);
    const res = await app.http().get('/short').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=5, s-maxage=10, stale-while-revalidate=0');
  });

  it('when a route answers a document of its own media type, then the string is sent as it is, with an ETag and 304', async () => {
    const xml = '<?xml version="1.0"?><rss version="2.0"><channel><title>Новости</title></channel></rss>';
    const app = buildApp([route('/rss.xml', { mediaType: 'application/rss+xml', response: z.string(), handler: async () => xml })]);
    const res = await app
      .http()
      .get('/rss.xml')
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => {
          text += c;
        });
        r.on('end', () => done(null, text));
      })
      .expect(200);
    expect(res.body).toBe(xml);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    await app.http().get('/rss.xml').set('If-None-Match', res.headers.etag!).expect(304);
  });

  it('when the bodies kept pass the memory limit, then the oldest answers are dropped first', async () => {
    const big = 'ж'.repeat(200);
    const app = buildApp(
      ['/a', '/b', '/c'].map((path) => route(path, { response: z.object({ text: z.string() }), handler: async () => ({ text: big }) })),
      { settings: { maxBytes: 3500 } },
    );
    for (const path of ['/a', '/b', '/c']) await app.http().get(path).expect(200);
    // Each entry counts its body (411 bytes) and about a kilobyte of overhead: two fit, not three.
    expect(app.publicCache.stats().entries).toBe(2);
    expect(app.publicCache.stats().bytes).toBeLessThanOrEqual(3500);
    await app.http().get('/a').expect(200);
    expect(app.callsOf('/a')).toBe(2);
    await app.http().get('/c').expect(200);
    expect(app.callsOf('/c')).toBe(1);
  });

  it('when many small answers come (random cursors), then each counts its overhead and the store stays under the limit', async () => {
    const app = buildApp(
      [
        route('/empty', {
          query: z.strictObject({ cursor: z.string().optional() }),
          response: z.object({ items: z.array(z.string()) }),
          handler: async () => ({ items: [] }),
        }),
      ],
      { settings: { maxBytes: 20_000 } },
    );
    for (let i = 0; i < 100; i++)
      await app
        .http()
        .get(`/empty?cursor=${'x'.repeat(200)}${i}`)
        .expect(200);
    expect(app.publicCache.stats().bytes).toBeLessThanOrEqual(20_000);
    expect(app.publicCache.stats().entries).toBeLessThan(20);
  });

  it('when the query names the same parameters in another order, then it is the same entry; another value is another', async () => {
    const app = buildApp([
      route('/q', {
        query: z.strictObject({ a: z.string().optional(), b: z.string().optional() }),
        response: z.object({ n: z.number() }),
        handler: async () => ({ n: 1 }),
      }),
    ]);
    await app.http().get('/q?a=1&b=2').expect(200);
    expect((await app.http().get('/q?b=2&a=1').expect(200)).headers.age).toBe('0');
    expect((await app.http().get('/q?b=3&a=1').expect(200)).headers.age).toBeUndefined();
    expect(app.callsOf('/q')).toBe(2);
  });

  it('when the clock passes the entry life, then the answer is made again', async () => {
    const app = buildApp([route('/ttl', { response: z.object({ n: z.number() }), handler: async () => ({ n: 1 }) })]);
    await app.http().get('/ttl').expect(200);
    app.clock.advance(59_999);
    expect((await app.http().get('/ttl').expect(200)).headers.age).toBe('59');
    app.clock.advance(1);
    expect((await app.http().get('/ttl').expect(200)).headers.age).toBeUndefined();
  });
});
