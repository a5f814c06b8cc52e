import { deflateSync, gzipSync } from 'node:zlib';
import sharp from 'sharp';
import type { Response, Test } from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminActor, createDraft, createPublished } from '../articles/article-fixtures.ts';
import { buildNewsroom, cachingEnv, isFromStore, type Newsroom } from '../caching/caching-fixtures.ts';
import { describeEachDialect, useTestApp, type TestApp } from '../support/test-app.ts';

type Method = 'get' | 'post' | 'patch' | 'delete';
interface Operation {
  method: Method;
  path: string;
  isPublic: boolean;
  pathParams: string[];
  queryParams: string[];
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { 'x-access'?: unknown; parameters?: { in: string; name: string }[] }>>;
}

/** Every operation of the app's OpenAPI document, with its parameters. */
function operationsOf(t: TestApp): Operation[] {
  const doc = t.container.app.openApiDocument() as unknown as OpenApiDoc;
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    (['get', 'post', 'patch', 'delete'] as const)
      .filter((method) => item[method])
      .map((method) => {
        const parameters = item[method]!.parameters ?? [];
        return {
          method,
          path,
          isPublic: item[method]!['x-access'] === 'public',
          pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        };
      }),
  );
}

const someId = '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80';

/** The operation's path with each parameter well-formed (`params` first), so that only what a test sends wrong is wrong. */
function urlOf(op: Operation, params: Record<string, string> = {}): string {
  const wellFormed: Record<string, string> = { folder: 'renditions', name: `${'a'.repeat(64)}.jpg`, page: '1', token: 'x', slug: 'gorod' };
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? wellFormed[name] ?? someId);
}

const isProblem = (res: Response) => res.type === 'application/problem+json';

const deepArrays = (depth: number, inner = '1') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
const deepObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describeEachDialect('bad input gets a 4xx, never a 500', (dialect) => {
  const { t } = useTestApp(dialect, { env: cachingEnv, mediaDir: true });
  let n: Newsroom;
  let operations: Operation[];
  beforeAll(async () => {
    n = await buildNewsroom(t);
    operations = operationsOf(t);
  });

  const asAdmin = (req: Test) => req.set(n.admin.headers);
  const send = (op: Operation, url: string) => {
    const req = asAdmin(t.http()[op.method](url)).set('If-Match', '*');
    return op.method === 'post' || op.method === 'patch' ? req.send({}) : req;
  };
  /** Row counts of what the bodies below would create. */
  const counts = async () => {
    const p = t.container.db.prisma;
    return Promise.all([p.rubric.count(), p.tag.count(), p.article.count(), p.user.count(), p.idempotencyRecord.count()]);
  };

  describe('a NUL character (\\u0000)', () => {
    it('when a path parameter of any route holds one, then 400 naming it, on both databases', async () => {
      const withPathParams = operations.filter((op) => op.pathParams.length);
      expect(withPathParams.length).toBeGreaterThan(30);
      for (const op of withPathParams) {
        for (const param of op.pathParams) {
          const res = await send(op, urlOf(op, { [param]: '%00' }));
          const where = `${op.method.toUpperCase()} ${op.path} with ${param}=%00`;
          expect(res.status, `${where}: ${res.text}`).toBe(400);
          expect(isProblem(res), where).toBe(true);
          expect(res.body.errors, where).toEqual([{ field: `params.${param}`, message: 'Contains a NUL character (\\u0000)' }]);
        }
      }
    });

    it('when a query parameter of any route holds one, then 400 naming it', async () => {
      const withQuery = operations.filter((op) => op.queryParams.length);
      expect(withQuery.map((op) => op.path)).toEqual(
        expect.arrayContaining([
          '/v1/articles',
          '/v1/feed',
          '/v1/search',
          '/v1/admin/articles',
          '/v1/admin/audit',
          '/v1/admin/media/upload',
        ]),
      );
      for (const op of withQuery) {
        for (const param of op.queryParams) {
          const res = await send(op, `${urlOf(op)}?${param}=a%00b`);
          const where = `${op.method.toUpperCase()} ${op.path}?${param}=a%00b`;
          expect(res.status, `${where}: ${res.text}`).toBe(400);
          expect(res.body.errors?.[0]?.field, where).toBe(`query.${param}`);
        }
      }
    });

    it.each([
      ['/v1/articles/%00'],
      ['/v1/rubrics/%00'],
      ['/v1/tags/%00'],
      ['/v1/authors/%00'],
      ['/v1/articles?rubric=%00'],
      ['/v1/articles?tag=%00'],
      ['/v1/articles?author=%00'],
      ['/v1/feed?rubric=%00'],
      ['/v1/rubrics/%00/feeds/rss.xml'],
    ])('when a reader asks for %s, then 400 as problem+json', async (url) => {
      const res = await t.http().get(url).expect(400);
      expect(isProblem(res)).toBe(true);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it.each([
      ['/v1/admin/articles?q=%00'],
      ['/v1/admin/articles/%00'],
      ['/v1/admin/audit?actor=%00'],
      ['/v1/admin/audit?action=%00'],
      ['/v1/admin/users/%00'],
    ])('when the newsroom asks for %s, then 400', async (url) => {
      expect(isProblem(await asAdmin(t.http().get(url)).expect(400))).toBe(true);
    });

    it('when a JSON body holds one anywhere (a value, deep in a list, a key), then 422 naming it and nothing is written', async () => {
      const before = await counts();
      const rubricId = n.city.id;
      const cases: { method: 'post' | 'patch'; url: string; body: unknown; field: string; isPublic?: true }[] = [
        { method: 'post', url: '/v1/admin/rubrics', body: { name: 'Город\u0000' }, field: 'body.name' },
        { method: 'post', url: '/v1/admin/tags', body: { name: '\u0000' }, field: 'body.name' },
        { method: 'patch', url: `/v1/admin/rubrics/${rubricId}`, body: { name: 'Гор\u0000од' }, field: 'body.name' },
        {
          method: 'post',
          url: '/v1/admin/articles',
          body: {
            title: 'Заголовок',
            body: [
              { type: 'paragraph', text: 'Первый' },
              { type: 'paragraph', text: 'a\u0000b' },
            ],
          },
          field: 'body.body.1.text',
        },
        { method: 'post', url: '/v1/admin/rubrics', body: { 'na\u0000me': 'Город' }, field: 'body.na\u0000me' },
        {
          method: 'post',
          url: '/v1/auth/login',
          body: { email: 'editor\u0000@example.com', password: 'x' },
          field: 'body.email',
          isPublic: true,
        },
      ];
      for (const { method, url, body, field, isPublic } of cases) {
        const req = t.http()[method](url).set('If-Match', '*');
        const res = await (isPublic ? req : asAdmin(req)).send(body as object);
        expect(res.status, `${method} ${url}: ${res.text}`).toBe(422);
        expect(isProblem(res)).toBe(true);
        expect(res.body.errors).toEqual([{ field, message: 'Contains a NUL character (\\u0000)' }]);
      }
      expect(await counts()).toEqual(before);
    });

    it("when an upload's form field holds one, then 422 naming it, and nothing is stored", async () => {
      const media = await t.container.db.prisma.media.count();
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c0392b' } })
        .png()
        .toBuffer();
      const res = await asAdmin(t.http().post('/v1/admin/media/upload')).field('caption', 'Подпись\u0000').attach('file', png, 'red.png');
      expect(res.status, res.text).toBe(422);
      expect(res.body.errors).toEqual([{ field: 'body.caption', message: 'Contains a NUL character (\\u0000)' }]);
      expect(await t.container.db.prisma.media.count()).toBe(media);
    });
  });

  describe('deeply nested JSON', () => {
    const post = (body: string, key?: string) => {
      const req = asAdmin(t.http().post('/v1/admin/rubrics')).set('Content-Type', 'application/json');
      return (key ? req.set('Idempotency-Key', key) : req).send(body);
    };

    it.each([
      ['10,000 arrays', deepArrays(10_000)],
      ['10,000 objects', deepObjects(10_000)],
      ['65 arrays in a field', `{"name":${deepArrays(64)}}`],
    ])('when a body nests %s, then 400 before anything reads it, with or without an Idempotency-Key', async (_, body) => {
      const before = await counts();
      for (const key of [undefined, `deep-${body.length}`]) {
        const res = await post(body, key);
        expect(res.status, res.text).toBe(400);
        expect(isProblem(res)).toBe(true);
        expect(res.body.detail).toBe('The JSON body is nested deeper than 64 levels of arrays and objects.');
      }
      const login = await t.http().post('/v1/auth/login').set('Content-Type', 'application/json').send(body).expect(400);
      expect(isProblem(login)).toBe(true);
      // No idempotency record was made: the key is free for a request that reads.
      expect(await counts()).toEqual(before);
    });

    it('when a body nests 64 levels, then it is read (and refused by its schema), and its key then answers the same', async () => {
      const body = `{"name":${deepArrays(63)}}`;
      const first = await post(body, 'sixty-four');
      expect(first.status, first.text).toBe(422);
      expect(first.body.errors[0].field).toBe('body.name');
      const replay = await post(body, 'sixty-four').expect(422);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    });

    it('when the key of a refused deep body is used again with a good body, then the good one runs', async () => {
      await post(deepArrays(10_000), 'reused-after-deep').expect(400);
      const created = await post(JSON.stringify({ name: 'Глубина' }), 'reused-after-deep').expect(201);
      expect(created.body.name).toBe('Глубина');
    });
  });

  describe('a body the parser cannot read', () => {
    // The bytes as they are: supertest would send a Buffer with a JSON type as JSON.
    const login = () =>
      t
        .http()
        .post('/v1/auth/login')
        .set('Content-Type', 'application/json')
        .serialize((bytes) => bytes);
    const credentials = Buffer.from(JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password' }));

    it.each([
      ['corrupt gzip', 'gzip', Buffer.from('this is not gzip at all')],
      ['gzip cut short', 'gzip', gzipSync(credentials).subarray(0, 12)],
      ['corrupt deflate', 'deflate', Buffer.from('nor is this deflate')],
      ['corrupt brotli', 'br', Buffer.from([0xff, 0xff, 0xff, 0xff])],
    ])('when the body is %s, then 400 as problem+json', async (_, encoding, body) => {
      const res = await login().set('Content-Encoding', encoding).send(body);
      expect(res.status, res.text).toBe(400);
      expect(isProblem(res)).toBe(true);
      expect(res.body.code).toBe('bad_request');
    });

    it('when the body is well-formed gzip, then it is read', async () => {
      const res = await login().set('Content-Encoding', 'gzip').send(gzipSync(credentials));
      expect(res.status, res.text).toBe(401);
      const deflated = await login().set('Content-Encoding', 'deflate').send(deflateSync(credentials));
      expect(deflated.status, deflated.text).toBe(401);
    });

    it('when the encoding is unknown, then 415', async () => {
      const res = await login().set('Content-Encoding', 'compress').send(credentials).expect(415);
      expect(isProblem(res)).toBe(true);
      expect(res.body.code).toBe('unsupported_media_type');
    });

    it('when the charset is not UTF, then 415', async () => {
      const res = await login().set('Content-Type', 'application/json; charset=latin1').send(credentials).expect(415);
      expect(isProblem(res)).toBe(true);
    });

    it('when the body is larger than the limit, gzipped or not, then 413', async () => {
      const huge = Buffer.from(JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1_100_000) }));
      for (const [encoding, body] of [
        [undefined, huge],
        ['gzip', gzipSync(huge)],
      ] as const) {
        const req = login();
        const res = await (encoding ? req.set('Content-Encoding', encoding) : req).send(body);
        expect(res.status, `${encoding}: ${res.text}`).toBe(413);
        expect(isProblem(res)).toBe(true);
        expect(res.body.code).toBe('payload_too_large');
      }
    });

    it('when a path parameter is not valid percent-encoding, then 400', async () => {
      const res = await t.http().get('/v1/articles/%E0%A4%A').expect(400);
      expect(isProblem(res)).toBe(true);
      expect(isProblem(await asAdmin(t.http().get('/v1/admin/rubrics/%zz')).expect(400))).toBe(true);
    });
  });

  describe('query parameters a public route does not declare', () => {
    const wellFormedParams = () => ({
      slug: n.story.slug,
      id: n.cover.id,
    });
    const urlOfPublic = (op: Operation, liveSlug?: string) => {
      const params: Record<string, string> = { ...wellFormedParams() };
      if (op.path === '/v1/articles/{slug}/live-entries' && liveSlug) params.slug = liveSlug;
      if (op.path.startsWith('/v1/rubrics/')) params.slug = n.city.slug;
      if (op.path.startsWith('/v1/tags/')) params.slug = n.budget.slug;
      if (op.path.startsWith('/v1/authors/')) params.slug = n.anna.user.slug as string;
      // The public reads that need a parameter.
      const required: Record<string, string> = {
        '/v1/search': '?q=бюджет',
        '/v1/comment-counts': `?articles=${n.story.id}`,
        '/v1/stream': '?topics=feed',
        '/v1/redirects': '?path=/2019/05/no-such-post/',
      };
      return urlOf(op, params) + (required[op.path] ?? '');
    };
    const withQuery = (url: string, query: string) => `${url}${url.includes('?') ? '&' : '?'}${query}`;

    it('when any public GET gets one, then 400 naming it and nothing is stored', async () => {
      // A live blog, for the route of its entries.
      const live = await createPublished(t, { title: 'Прямой эфир с заседания', format: 'live' }, adminActor);
      const publicReads = operations.filter((op) => op.isPublic && op.method === 'get');
      expect(publicReads.map((op) => op.path)).toEqual(
        expect.arrayContaining([
          '/v1/feeds/rss.xml',
          '/v1/sitemap.xml',
          '/v1/sitemaps/{page}.xml',
          '/v1/media/files/{folder}/{name}',
          '/docs',
          '/openapi.json',
          '/health',
          '/ready',
        ]),
      );
      // Each well-formed URL answers without a stray parameter, so the 400s below are for it alone.
      for (const op of publicReads) {
        // The stream never ends by itself: its own tests read it.
        if (op.path.startsWith('/v1/media/files/') || op.path.startsWith('/v1/preview/') || op.path === '/v1/stream') continue;
        const plain = await t.http().get(urlOfPublic(op, live.slug));
        // A lookup of an old site's address answers a redirect or, for an unknown one, 404.
        const expected = op.path === '/v1/redirects' ? 404 : 200;
        expect(plain.status, `${urlOfPublic(op)}: ${plain.text.slice(0, 200)}`).toBe(expected);
      }
      const stored = t.container.publicCache.stats().entries;
      for (const op of publicReads) {
        const url = urlOfPublic(op);
        for (const query of ['x=1', '_=1700000000000', 'utm_source=newsletter']) {
          const res = await t.http().get(withQuery(url, query));
          expect(res.status, `${withQuery(url, query)}: ${res.text.slice(0, 200)}`).toBe(400);
          expect(res.body.errors[0].field).toBe(`query.${query.split('=')[0]}`);
          expect(res.headers['cache-control']).toBe('no-store');
        }
        // Beside the declared ones too.
        if (op.queryParams.includes('limit')) await t.http().get(withQuery(url, 'limit=5&x=1')).expect(400);
      }
      expect(t.container.publicCache.stats().entries).toBe(stored);
    });

    it('when a feed is asked with ever new parameters, then its stored answer stays and serves the plain URL', async () => {
      await t.http().get('/v1/feeds/rss.xml').expect(200);
      expect(isFromStore(await t.http().get('/v1/feeds/rss.xml').expect(200))).toBe(true);
      const stored = t.container.publicCache.stats().entries;
      for (let i = 0; i < 20; i++) await t.http().get(`/v1/feeds/rss.xml?x=${i}`).expect(400);
      expect(t.container.publicCache.stats().entries).toBe(stored);
      expect(isFromStore(await t.http().get('/v1/feeds/rss.xml').expect(200))).toBe(true);
    });

    it('when the reference page loads its files with their version parameter, then they come (they are not API routes)', async () => {
      const page = await t.http().get('/docs').expect(200);
      const assets = [...page.text.matchAll(/\/docs\/assets\/[\w.-]+\?v=\w+/g)].map((m) => m[0]);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) await t.http().get(asset).expect(200);
    });

    it('when a management route that declares no query gets one, then 400 too', async () => {
      const res = await asAdmin(t.http().get(`/v1/admin/rubrics/${n.city.id}?x=1`)).expect(400);
      expect(res.body.errors[0].field).toBe('query.x');
    });
  });

  describe('q on the newsroom list', () => {
    const titles = {
      percent: 'Цены выросли на 50% за год',
      underscore: 'Переменная snake_case в коде редакции',
      backslash: 'Путь C:\\новости\\архив',
      plain: 'Обычный заголовок про 50 лет и snakeXcase',
    };
    let ids: Record<keyof typeof titles, string>;
    beforeAll(async () => {
      const made = await Promise.all(Object.entries(titles).map(async ([name, title]) => [name, (await createDraft(t, { title })).id]));
      ids = Object.fromEntries(made) as typeof ids;
    });
    const found = async (q: string) => {
      const res = await asAdmin(t.http().get('/v1/admin/articles').query({ q, limit: 100 })).expect(200);
      return (res.body.items as { id: string }[]).map((a) => a.id).sort();
    };

    it.each([
      ['%', ['percent']],
      ['_', ['underscore']],
      ['50%', ['percent']],
      ['snake_case', ['underscore']],
      ['%%', []],
      ['\\', ['backslash']],
      ['\\н', ['backslash']],
      ['\\%', []],
    ] as const)('when q is %j, then only titles holding it as written match', async (q, names) => {
      expect(await found(q)).toEqual(names.map((name) => ids[name]).sort());
    });

    it('when q has no special character, then it still matches anywhere, in any case', async () => {
      expect(await found('SNAKE')).toEqual([ids.underscore, ids.plain].sort());
    });
  });
});
