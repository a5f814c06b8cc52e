import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Container } from '../../src/container.ts';
import { createDraft } from '../articles/article-fixtures.ts';
import { describeEachDialect, type Instance, type TestApp } from '../support/test-app.ts';
import { buildNewsroom, createCachingApp, isFromStore, type Newsroom } from './caching-fixtures.ts';

// Probed once for the run by the global setup: null when Redis is away (the run ends saying so; with CI=true it fails).
const reachableRedisUrl = inject('redisUrl');
const hasRedis = reachableRedisUrl !== null;
// Read only by the tests that are skipped without Redis.
const redisUrl = reachableRedisUrl ?? '';

/** Polls until the condition holds, failing after `ms` of real time. */
async function within(ms: number, what: string, condition: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const isLinked = (container: Container) => container.publicCache.stats().isLinked === true;
const uniqueChannel = () => `newsroom-cms-test:${randomUUID()}`;

/** The Redis connections whose name carries the channel (each instance names its two). */
async function connectionsOf(channel: string): Promise<{ id: string; name: string }[]> {
  const admin = new Redis(redisUrl);
  try {
    const list = (await admin.client('LIST')) as string;
    return list
      .split('\n')
      .filter(Boolean)
      .map((line) => Object.fromEntries(line.split(' ').map((pair) => pair.split('=') as [string, string])))
      .filter((client) => client.name?.includes(channel))
      .map((client) => ({ id: client.id!, name: client.name! }));
  } finally {
    admin.disconnect();
  }
}

describe.skipIf(!hasRedis)('with Redis', () => {
  describeEachDialect('purges between instances', (dialect) => {
    let t: TestApp;
    let b: Instance;
    let n: Newsroom;
    let channel: string;
    beforeAll(async () => {
      channel = uniqueChannel();
      t = await createCachingApp(dialect, { REDIS_URL: redisUrl, REDIS_CHANNEL: channel });
      b = t.startInstance();
      await within(5000, 'both instances subscribed', () => isLinked(t.container) && isLinked(b.container));
      n = await buildNewsroom(t);
      b.clock.set(t.clock.now());
    });
    afterAll(() => t?.close());

    const readOn = (instance: { http: TestApp['http'] }, url: string) => instance.http().get(url).expect(200);

    it('when an article is edited on instance A, then instance B stops serving its stored page within a second, and keeps its other answers', async () => {
      for (const url of [`/v1/articles/${n.story.slug}`, `/v1/articles/${n.other.slug}`]) {
        await readOn(b, url);
        expect(isFromStore(await readOn(b, url)), url).toBe(true);
      }
      const etag = (await t.http().get(`/v1/admin/articles/${n.story.id}`).set(n.editor.headers).expect(200)).headers.etag!;
      await t
        .http()
        .patch(`/v1/admin/articles/${n.story.id}`)
        .set(n.editor.headers)
        .set('If-Match', etag)
        .send({ title: 'Бюджет на ремонт путей увеличен' })
        .expect(200);
      await within(
        1000,
        'B shows the new title',
        async () => (await readOn(b, `/v1/articles/${n.story.slug}`)).body.title === 'Бюджет на ремонт путей увеличен',
      );
      expect(isFromStore(await readOn(b, `/v1/articles/${n.other.slug}`))).toBe(true);
    });

    it('when a rubric is renamed on instance B, then instance A drops the article pages embedding it within a second', async () => {
      await readOn(t, `/v1/articles/${n.story.slug}`);
      expect(isFromStore(await readOn(t, `/v1/articles/${n.story.slug}`))).toBe(true);
      const etag = (await b.http().get(`/v1/admin/rubrics/${n.city.id}`).set(n.editor.headers).expect(200)).headers.etag!;
      await b
        .http()
        .patch(`/v1/admin/rubrics/${n.city.id}`)
        .set(n.editor.headers)
        .set('If-Match', etag)
        .send({ name: 'Жизнь города' })
        .expect(200);
      await within(
        1000,
        'A shows the new rubric name',
        async () => (await readOn(t, `/v1/articles/${n.story.slug}`)).body.rubric.name === 'Жизнь города',
      );
    });

    it('when an article is scheduled on instance A, then instance B drops its lists and shows the article at its time', async () => {
      await readOn(b, '/v1/articles');
      expect(isFromStore(await readOn(b, '/v1/articles'))).toBe(true);
      const draft = await createDraft(t, { title: 'Фестиваль уличной еды пройдёт в субботу' });
      const publishAt = new Date(t.clock.now().getTime() + 60 * 60_000);
      const etag = (await t.http().get(`/v1/admin/articles/${draft.id}`).set(n.editor.headers).expect(200)).headers.etag!;
      await t
        .http()
        .post(`/v1/admin/articles/${draft.id}/publish`)
        .set(n.editor.headers)
        .set('If-Match', etag)
        .send({ publishAt: publishAt.toISOString() })
        .expect(200);
      await within(1000, 'B drops its list', async () => !isFromStore(await readOn(b, '/v1/articles')));
      expect(isFromStore(await readOn(b, '/v1/articles'))).toBe(true);
      b.clock.set(publishAt);
      expect((await readOn(b, '/v1/articles')).body.items.map((a: { id: string }) => a.id)).toContain(draft.id);
    });

    it("when an instance's subscription is cut, then it drops what it holds once it is back, as purges may have been missed", async () => {
      await readOn(b, '/v1/rubrics');
      expect(isFromStore(await readOn(b, '/v1/rubrics'))).toBe(true);
      const admin = new Redis(redisUrl);
      try {
        for (const client of await connectionsOf(channel))
          if (client.name.endsWith(':subscribe')) await admin.client('KILL', 'ID', client.id);
      } finally {
        admin.disconnect();
      }
      await within(2000, 'B notices', () => !isLinked(b.container));
      await within(5000, 'B subscribes again', () => isLinked(b.container));
      expect(isFromStore(await readOn(b, '/v1/rubrics'))).toBe(false);
    });
  });

  describeEachDialect('closing', (dialect) => {
    it('when the container closes, then its Redis connections are closed', async () => {
      const channel = uniqueChannel();
      const t = await createCachingApp(dialect, { REDIS_URL: redisUrl, REDIS_CHANNEL: channel });
      const other = t.startInstance();
      await within(5000, 'both instances subscribed', () => isLinked(t.container) && isLinked(other.container));
      expect((await connectionsOf(channel)).map((c) => c.name).sort()).toEqual([
        `newsroom-cms:${channel}:publish`,
        `newsroom-cms:${channel}:publish`,
        `newsroom-cms:${channel}:stream:publish`,
        `newsroom-cms:${channel}:stream:publish`,
        `newsroom-cms:${channel}:stream:subscribe`,
        `newsroom-cms:${channel}:stream:subscribe`,
        `newsroom-cms:${channel}:subscribe`,
        `newsroom-cms:${channel}:subscribe`,
      ]);
      await t.close();
      await within(1000, 'the connections are gone', async () => (await connectionsOf(channel)).length === 0);
    });
  });
});

describeEachDialect('when Redis is unreachable', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 1.
    t = await createCachingApp(dialect, { REDIS_URL: 'redis://127.0.0.1:1', REDIS_CHANNEL: uniqueChannel() });
  });

  it('when public reads and writes are made, then they answer, and answers are kept for a second at most', async () => {
    const editor = await t.signIn('editor');
    const rubric = await t.container.services.rubrics.create({ name: 'Наука' });
    await t.http().get('/v1/rubrics').expect(200);
    expect(isFromStore(await t.http().get('/v1/rubrics').expect(200))).toBe(true);
    t.clock.advance(999);
    expect(isFromStore(await t.http().get('/v1/rubrics').expect(200))).toBe(true);
    t.clock.advance(1);
    expect(isFromStore(await t.http().get('/v1/rubrics').expect(200))).toBe(false);
    const started = Date.now();
    await t
      .http()
      .patch(`/v1/admin/rubrics/${rubric.id}`)
      .set(editor.headers)
      .set('If-Match', `"${rubric.version}"`)
      .send({ name: 'Наука и техника' })
      .expect(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await t.http().get('/v1/rubrics').expect(200)).body.items.map((r: { name: string }) => r.name)).toContain('Наука и техника');
    expect(t.container.publicCache.stats().isLinked).toBe(false);
  });

  it('when the container closes, then it does not wait for Redis', async () => {
    const started = Date.now();
    await t.close();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
