import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, describeEachDialect, useTestApp } from '../support/test-app.ts';
import { buildNewsroom, cachingEnv, surrogateKeysOf, type Newsroom } from './caching-fixtures.ts';

/** The newest updatedAt/publishedAt anywhere in a body, as Last-Modified says it. */
function newestChangeIn(body: unknown): number {
  if (Array.isArray(body)) return Math.max(0, ...body.map(newestChangeIn));
  if (!body || typeof body !== 'object') return 0;
  return Math.max(
    0,
    ...Object.entries(body).map(([name, value]) =>
      (name === 'updatedAt' || name === 'publishedAt') && typeof value === 'string' ? Date.parse(value) : newestChangeIn(value),
    ),
  );
}

describeEachDialect('public caching headers', (dialect) => {
  const { t } = useTestApp(dialect, { env: cachingEnv });
  let n: Newsroom;
  let feedItemId: string;
  beforeAll(async () => {
    n = await buildNewsroom(t);
    const feed = await t.http().get('/v1/feed').expect(200);
    feedItemId = feed.body.items.find((item: { article: { id: string } | null }) => item.article?.id === n.story.id).id;
  });

  const publicReads = () => ({
    'an article by slug': `/v1/articles/${n.story.slug}`,
    'the article list': '/v1/articles',
    'the feed': '/v1/feed',
    'the rubric list': '/v1/rubrics',
    'a rubric': `/v1/rubrics/${n.city.slug}`,
    'the tag list': '/v1/tags',
    'an author': `/v1/authors/${n.anna.user.slug}`,
    'a media item': `/v1/media/${n.cover.id}`,
  });

  for (const kind of [
    'an article by slug',
    'the article list',
    'the feed',
    'the rubric list',
    'a rubric',
    'the tag list',
    'an author',
    'a media item',
  ] as const) {
    it(`when ${kind} is asked for again with its ETag, then 304 without a body, the same validators, and the answer is made once`, async () => {
      const url = publicReads()[kind];
      const first = await t.http().get(url).expect(200);
      const etag = first.headers.etag!;
      // Strong, and a hash of exactly the bytes sent.
      expect(etag).toBe(`"${createHash('sha256').update(first.text).digest('base64url').slice(0, 32)}"`);
      t.queries.reset();
      for (const ifNoneMatch of [etag, `W/${etag}`, `"elsewhere", ${etag}`, '*']) {
        const again = await t.http().get(url).set('If-None-Match', ifNoneMatch).expect(304);
        expect(again.text).toBe('');
        expect(again.headers.etag).toBe(etag);
        expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
        expect(again.headers['surrogate-key']).toBe(first.headers['surrogate-key']);
        expect(again.headers['last-modified']).toBe(first.headers['last-modified']);
      }
      expect(t.queries.count()).toBe(0);
      const changed = await t.http().get(url).set('If-None-Match', '"not-this-one"').expect(200);
      expect(changed.text).toBe(first.text);
    });
  }

  it('when a public answer is sent, then Cache-Control holds the configured max-age, s-maxage and stale-while-revalidate', async () => {
    for (const url of Object.values(publicReads())) {
      const res = await t.http().get(url).expect(200);
      expect(res.headers['cache-control'], url).toBe('public, max-age=30, s-maxage=60, stale-while-revalidate=300');
    }
  });

  it('when the lifetimes are configured, then every public answer says so', async () => {
    const other = await createTestApp(dialect, {
      PUBLIC_CACHE_MAX_AGE_SECONDS: '5',
      PUBLIC_CACHE_S_MAXAGE_SECONDS: '120',
      PUBLIC_CACHE_STALE_WHILE_REVALIDATE_SECONDS: '30',
    });
    try {
      const res = await other.http().get('/v1/rubrics').expect(200);
      expect(res.headers['cache-control']).toBe('public, max-age=5, s-maxage=120, stale-while-revalidate=30');
    } finally {
      await other.close();
    }
  });

  it('when an answer holds dated records, then Last-Modified is the newest updatedAt or publishedAt in it; without dates, when it was made', async () => {
    for (const url of [`/v1/articles/${n.story.slug}`, '/v1/articles', '/v1/feed', `/v1/media/${n.cover.id}`]) {
      const res = await t.http().get(url).expect(200);
      const newest = newestChangeIn(res.body);
      expect(newest, url).toBeGreaterThan(0);
      expect(res.headers['last-modified'], url).toBe(new Date(newest).toUTCString());
    }
    t.clock.advance(5_000);
    const undated = await t.http().get('/v1/tags').query({ limit: 3 }).expect(200);
    expect(undated.headers['last-modified']).toBe(t.clock.now().toUTCString());
  });

  it('when an article page is sent, then its keys name the article, its rubric, tags, authors, cover, body photo and narration, and nothing else', async () => {
    const res = await t.http().get(`/v1/articles/${n.story.slug}`).expect(200);
    const expected = [
      `article:${n.story.id}`,
      `rubric:${n.city.id}`,
      `tag:${n.budget.id}`,
      `tag:${n.transport.id}`,
      `user:${n.anna.user.id}`,
      `user:${n.boris.user.id}`,
      `media:${n.cover.id}`,
      `media:${n.photo.id}`,
      `media:${n.narration.id}`,
    ];
    expect(surrogateKeysOf(res).sort()).toEqual(expected.sort());
    expect(res.headers['cache-tag']!.split(',')).toEqual(surrogateKeysOf(res));
  });

  it('when an article page leaves records out with include, then the lists of what its JSON-LD still names are keys instead', async () => {
    const res = await t.http().get(`/v1/articles/${n.story.slug}`).query({ include: 'rubric' }).expect(200);
    expect(res.body.jsonLd).toBeDefined();
    expect(surrogateKeysOf(res).sort()).toEqual(
      ['media', 'tags', 'users', `article:${n.story.id}`, `media:${n.photo.id}`, `media:${n.narration.id}`, `rubric:${n.city.id}`].sort(),
    );
  });

  it('when an article page embeds related articles, then it is keyed by the article list too', async () => {
    const res = await t.http().get(`/v1/articles/${n.story.slug}`).query({ include: 'related' }).expect(200);
    expect(surrogateKeysOf(res)).toContain('articles');
  });

  it('when lists are sent, then they carry their list key and every record in them', async () => {
    const list = surrogateKeysOf(await t.http().get('/v1/articles').expect(200));
    expect(list[0]).toBe('articles');
    expect(list).toEqual(
      expect.arrayContaining([
        `article:${n.story.id}`,
        `article:${n.other.id}`,
        `rubric:${n.city.id}`,
        `rubric:${n.sport.id}`,
        `tag:${n.budget.id}`,
        `user:${n.boris.user.id}`,
        `media:${n.cover.id}`,
      ]),
    );
    const bare = surrogateKeysOf(await t.http().get('/v1/articles').query({ include: '' }).expect(200));
    expect(bare.sort()).toEqual(['articles', `article:${n.story.id}`, `article:${n.other.id}`].sort());
    const feed = surrogateKeysOf(await t.http().get('/v1/feed').expect(200));
    expect(feed).toEqual(expect.arrayContaining(['feed', `feed-item:${feedItemId}`, `article:${n.story.id}`, `media:${n.cover.id}`]));
    expect(surrogateKeysOf(await t.http().get('/v1/rubrics').expect(200)).sort()).toEqual(
      ['rubrics', `rubric:${n.city.id}`, `rubric:${n.sport.id}`].sort(),
    );
    expect(surrogateKeysOf(await t.http().get('/v1/tags').expect(200)).sort()).toEqual(
      ['tags', `tag:${n.budget.id}`, `tag:${n.transport.id}`].sort(),
    );
    // An author's page comes and goes with their public articles: the key of the lists of their articles.
    expect(surrogateKeysOf(await t.http().get(`/v1/authors/${n.anna.user.slug}`).expect(200))).toEqual([
      `articles:author:${n.anna.user.slug}`,
      `user:${n.anna.user.id}`,
    ]);
    expect(surrogateKeysOf(await t.http().get(`/v1/media/${n.cover.id}`).expect(200))).toEqual([`media:${n.cover.id}`]);
  });

  it('when a public read fails, then the error is not to be stored', async () => {
    for (const url of ['/v1/articles/no-such-article', '/v1/rubrics/no-such-rubric', '/v1/articles?limit=1000']) {
      const res = await t.http().get(url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['surrogate-key'], url).toBeUndefined();
    }
  });

  it('when a preview link, /health or /ready is read, then no-store and no ETag of the cache', async () => {
    const link = await t.http().post(`/v1/admin/articles/${n.other.id}/preview`).set(n.editor.headers).expect(201);
    for (const url of [link.body.url, '/health', '/ready']) {
      const res = await t.http().get(url).expect(200);
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['surrogate-key'], url).toBeUndefined();
    }
  });

  describe('the management API', () => {
    it('when any /v1/admin or /v1/auth answer is sent, success or error, then Cache-Control is no-store', async () => {
      const answers: Record<string, Response> = {
        'an admin list': await t.http().get('/v1/admin/articles').set(n.editor.headers).expect(200),
        'an admin record': await t.http().get(`/v1/admin/articles/${n.story.id}`).set(n.editor.headers).expect(200),
        'a 401': await t.http().get('/v1/admin/articles').expect(401),
        'a 403': await t.http().get('/v1/admin/users').set(n.editor.headers).expect(403),
        'a 404': await t.http().get('/v1/admin/no-such-thing').set(n.editor.headers).expect(404),
        'a body that is not JSON': await t
          .http()
          .post('/v1/admin/rubrics')
          .set(n.editor.headers)
          .set('content-type', 'text/plain')
          .send('name=x')
          .expect(415),
        'malformed JSON': await t
          .http()
          .post('/v1/admin/rubrics')
          .set(n.editor.headers)
          .set('content-type', 'application/json')
          .send('{"name":')
          .expect(400),
        'a sign-in': await t
          .http()
          .post('/v1/auth/login')
          .send({ email: n.editor.user.email, password: 'correct-horse-battery-staple' })
          .expect(200),
        'a failed sign-in': await t
          .http()
          .post('/v1/auth/login')
          .send({ email: n.editor.user.email, password: 'wrong-password-here' })
          .expect(401),
        'who am I': await t.http().get('/v1/auth/me').set(n.editor.headers).expect(200),
        'a CORS preflight': await t
          .http()
          .options('/v1/admin/articles')
          .set('Origin', 'https://desk.example')
          .set('Access-Control-Request-Method', 'POST'),
      };
      for (const [what, res] of Object.entries(answers)) {
        expect(res.headers['cache-control'], what).toBe('no-store');
        expect(res.headers['surrogate-key']).toBeUndefined();
      }
    });
  });
});
