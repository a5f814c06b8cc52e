import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.ts';
import { incomingFromNinjs } from '../../src/modules/interchange/ninjs.incoming.ts';
import { createWirePoller } from '../../src/modules/wire/wire.poller.ts';
import { createWireRepository } from '../../src/modules/wire/wire.repository.ts';
import type { LeasedWorker } from '../../src/shared/leased-worker.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { atomFeed, rssFeed, startFeedServer, type FeedServer, type SampleItem } from './feed-server.ts';

// The poller runs only when a test wakes it (its own poll interval is a minute); feeds are on 127.0.0.1.
const wireEnv = { WIRE_WORKER: 'on', WIRE_ALLOW_PRIVATE: 'true', WIRE_POLL_INTERVAL_MS: '60000', WIRE_FETCH_TIMEOUT_MS: '1000' };

interface Source {
  id: string;
  version: number;
  lastStatus: string | null;
  lastError: string | null;
  lastPolledAt: string | null;
  itemsImported: number;
  consecutiveFailures: number;
  nextPollAt: string;
}

interface DeskArticle {
  id: string;
  title: string;
  lead: string | null;
  body: { type: string; text?: string }[];
  status: string;
  origin: string | null;
  source: string | null;
  externalId: string | null;
  rubricId: string | null;
  createdAt: string;
}

/** Wakes the worker and waits for a whole pass that started after the call: every due source is polled by then. */
async function pollNow(worker: LeasedWorker): Promise<void> {
  const pass = worker.nextPass();
  worker.wake();
  await pass;
}

const item = (guid: string, title: string, updatedAt = '2026-11-20T08:30:00Z'): SampleItem => ({
  guid,
  title,
  text: `Текст новости «${title}».`,
  updatedAt,
});

describeEachDialect('wire poller', (dialect) => {
  const { t, admin } = useTestApp(dialect, { env: wireEnv, roles: ['admin'] });
  let feeds: FeedServer;
  const auth = () => ({ Authorization: `Bearer ${t.container.tokens.sign(admin.user.id, admin.sessionId)}` });
  const worker = () => t.container.wire.worker!;

  beforeAll(async () => {
    feeds = await startFeedServer();
  });
  afterAll(async () => {
    await feeds?.close();
  });
  afterEach(async () => {
    feeds.answerWith(null);
    await t.container.db.prisma.wireSource.deleteMany();
  });

  async function addSource(path: string, body: Record<string, unknown> = {}): Promise<Source> {
    const res = await t
      .http()
      .post('/v1/admin/wire-sources')
      .set(auth())
      .send({ name: `Лента ${path}`, url: feeds.url(path), format: 'rss', pollSeconds: 60, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // The new source is due at once; this pass polls it if the one its creation woke has not.
    await pollNow(worker());
    return source(res.body.id);
  }

  const source = async (id: string): Promise<Source> => (await t.http().get(`/v1/admin/wire-sources/${id}`).set(auth())).body;

  async function desk(): Promise<DeskArticle[]> {
    const res = await t.http().get('/v1/admin/articles?origin=wire&status=draft&limit=100').set(auth());
    expect(res.status).toBe(200);
    return res.body.items;
  }

  it('when an RSS source has new items, then they are drafts of the incoming desk in its rubric; a second poll with the ETag is a 304 and does nothing', async () => {
    const rubric = await t.container.services.rubrics.create({ name: 'Агентства', slug: `agentstva-${dialect}` });
    feeds.serve('/rss', rssFeed([item('n-2', 'Мост закроют на ремонт'), item('n-1', 'В парке открылся каток')]), { etag: '"rss-v1"' });
    const polled = await addSource('/rss', { rubricId: rubric.id });
    expect(polled).toMatchObject({ lastStatus: 'ok', lastError: null, itemsImported: 2, consecutiveFailures: 0 });
    expect(polled.lastPolledAt).toBe(t.clock.now().toISOString());
    expect(polled.nextPollAt).toBe(new Date(t.clock.now().getTime() + 60_000).toISOString());
    const drafts = await desk();
    expect(drafts.map((a) => a.title).sort()).toEqual(['В парке открылся каток', 'Мост закроют на ремонт']);
    const bridge = drafts.find((a) => a.title === 'Мост закроют на ремонт')!;
    expect(bridge).toMatchObject({
      status: 'draft',
      origin: 'wire',
      source: '127.0.0.1',
      externalId: 'n-2',
      lead: 'Коротко: Мост закроют на ремонт',
    });
    expect(bridge.rubricId).toBe(rubric.id);
    expect(bridge.body[0]).toMatchObject({ type: 'paragraph', text: 'Текст новости «Мост закроют на ремонт».' });

    // Not due yet: nothing is asked.
    await pollNow(worker());
    expect(feeds.requestsFor('/rss')).toHaveLength(1);

    t.clock.advance(60_000);
    await pollNow(worker());
    const requests = feeds.requestsFor('/rss');
    expect(requests).toHaveLength(2);
    expect(requests[1]!.headers['if-none-match']).toBe('"rss-v1"');
    expect(await source(polled.id)).toMatchObject({ lastStatus: 'not_modified', itemsImported: 2 });
    expect(await desk()).toHaveLength(2);
  });

  it('when an item is updated by the agency, then its draft is updated, not duplicated; an unchanged item is left alone', async () => {
    feeds.serve('/updates', rssFeed([item('u-1', 'Пожар на складе')]), { etag: '"u1"' });
    const created = await addSource('/updates');
    expect(created.itemsImported).toBe(1);
    const [first] = (await desk()).filter((a) => a.externalId === 'u-1');

    feeds.serve('/updates', rssFeed([item('u-1', 'Пожар на складе потушен', '2026-11-20T09:30:00Z'), item('u-2', 'Новая новость')]), {
      etag: '"u2"',
    });
    t.clock.advance(60_000);
    await pollNow(worker());
    const after = await source(created.id);
    expect(after).toMatchObject({ lastStatus: 'ok', itemsImported: 3 });
    const ours = (await desk()).filter((a) => a.externalId?.startsWith('u-'));
    expect(ours).toHaveLength(2);
    expect(ours.find((a) => a.externalId === 'u-1')).toMatchObject({ id: first!.id, title: 'Пожар на складе потушен' });

    // The same feed under a new ETag: every item is unchanged, nothing is counted.
    feeds.serve('/updates', rssFeed([item('u-1', 'Пожар на складе потушен', '2026-11-20T09:30:00Z'), item('u-2', 'Новая новость')]), {
      etag: '"u3"',
    });
    t.clock.advance(60_000);
    await pollNow(worker());
    expect(await source(created.id)).toMatchObject({ lastStatus: 'ok', itemsImported: 3 });
  });

  it('when the agency updates an item an editor has changed, then the editor’s text stays and the agency’s becomes a revision', async () => {
    feeds.serve('/edited', rssFeed([item('e-1', 'Черновик агентства')]));
    const created = await addSource('/edited');
    const [draft] = (await desk()).filter((a) => a.externalId === 'e-1') as (DeskArticle & { version: number })[];
    const edited = await t
      .http()
      .patch(`/v1/admin/articles/${draft!.id}`)
      .set(auth())
      .set('If-Match', `"${draft!.version}"`)
      .send({ title: 'Заголовок редактора' });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);

    feeds.serve('/edited', rssFeed([item('e-1', 'Обновление агентства', '2026-11-20T10:00:00Z')]));
    t.clock.advance(60_000);
    await pollNow(worker());
    expect(await source(created.id)).toMatchObject({ lastStatus: 'ok', itemsImported: 2 });
    const article = await t.http().get(`/v1/admin/articles/${draft!.id}`).set(auth());
    expect(article.body.title).toBe('Заголовок редактора');
    const revisions = (await t.http().get(`/v1/admin/articles/${draft!.id}/revisions`).set(auth())).body.items as {
      id: string;
      actor: string;
    }[];
    const agency = revisions.find((r) => r.actor === 'source:127.0.0.1');
    expect(agency).toBeDefined();
    const kept = await t.http().get(`/v1/admin/articles/${draft!.id}/revisions/${agency!.id}`).set(auth());
    expect(kept.body.content.title).toBe('Обновление агентства');
  });

  it('when an Atom source is polled, then its entries come in with their HTML content and summary', async () => {
    feeds.serve('/atom', atomFeed([item('a-1', 'Выставка в музее продлена')]), { contentType: 'application/atom+xml' });
    const polled = await addSource('/atom', { format: 'atom' });
    expect(polled).toMatchObject({ lastStatus: 'ok', itemsImported: 1 });
    const entry = (await desk()).find((a) => a.externalId === 'urn:example:informburo:a-1');
    expect(entry).toMatchObject({ title: 'Выставка в музее продлена', lead: 'Вкратце: Выставка в музее продлена', origin: 'wire' });
    expect(entry!.body[0]).toMatchObject({ type: 'paragraph', text: 'Текст новости «Выставка в музее продлена».' });
  });

  it('when a ninjs source is polled (NDJSON or an items list), then its items come in as drafts', async () => {
    const ninjs = (uri: string, headline: string) => ({
      uri,
      version: '1',
      versioncreated: '2026-11-20T08:00:00Z',
      pubstatus: 'usable',
      headlines: [{ value: headline }],
      bodies: [{ contenttype: 'text/html', value: `<p>${headline}: подробности.</p>` }],
      language: 'ru',
    });
    feeds.serve(
      '/ninjs.ndjson',
      [ninjs('urn:wire:n1', 'Первая заметка'), ninjs('urn:wire:n2', 'Вторая заметка')].map((i) => JSON.stringify(i)).join('\n'),
      {
        contentType: 'application/x-ndjson',
      },
    );
    feeds.serve('/ninjs.json', JSON.stringify({ items: [ninjs('urn:wire:n3', 'Третья заметка')] }), { contentType: 'application/json' });
    const ndjson = await addSource('/ninjs.ndjson', { format: 'ninjs' });
    const list = await addSource('/ninjs.json', { format: 'ninjs' });
    expect(ndjson).toMatchObject({ lastStatus: 'ok', itemsImported: 2 });
    expect(list).toMatchObject({ lastStatus: 'ok', itemsImported: 1 });
    const titles = (await desk()).filter((a) => a.externalId?.startsWith('urn:wire:')).map((a) => a.title);
    expect(titles.sort()).toEqual(['Вторая заметка', 'Первая заметка', 'Третья заметка']);
  });

  it('when the agency kills an item an editor published, then it is taken down, purged and the stream is told', async () => {
    const ninjs = (version: string, pubstatus: string) => ({
      uri: 'urn:wire:kill-1',
      version,
      versioncreated: `2026-11-20T0${version}:00:00Z`,
      pubstatus,
      headlines: [{ value: 'Заметка, которую агентство отзовёт' }],
      bodies: [{ contenttype: 'text/html', value: '<p>Первоначальный текст заметки.</p>' }],
    });
    feeds.serve('/kill.json', JSON.stringify([ninjs('1', 'usable')]), { contentType: 'application/json' });
    const wireSource = await addSource('/kill.json', { format: 'ninjs' });
    const [draft] = (await desk()).filter((a) => a.externalId === 'urn:wire:kill-1');
    const published = await t.http().post(`/v1/admin/articles/${draft!.id}/publish`).set(auth()).set('If-Match', '*');
    expect(published.status).toBe(200);
    expect((await t.http().get(`/v1/articles/${published.body.slug}`)).status).toBe(200);
    const prisma = t.container.db.prisma;
    const before = (await prisma.streamEvent.aggregate({ _max: { id: true } }))._max.id ?? 0;

    feeds.serve('/kill.json', JSON.stringify([ninjs('2', 'canceled')]), { contentType: 'application/json' });
    await prisma.wireSource.update({ where: { id: wireSource.id }, data: { nextPollAt: new Date(0) } });
    await pollNow(worker());
    const killed = (await t.http().get(`/v1/admin/articles/${draft!.id}`).set(auth())).body;
    expect(killed.status).toBe('draft');
    expect((await t.http().get(`/v1/articles/${published.body.slug}`)).status).toBe(404);
    const told = await prisma.streamEvent.findMany({ where: { id: { gt: before } } });
    expect(told.map((e) => `${e.topic} ${e.type}`)).toContain('feed feed.changed');
  });

  it('when a source fails (500, then a timeout), then it waits twice as long each time and says why; a success resets it', async () => {
    feeds.answerWith(() => ({ status: 500, body: 'down' }));
    const failing = await addSource('/failing');
    expect(failing).toMatchObject({ lastStatus: 'failed', lastError: 'answered 500', consecutiveFailures: 1 });
    const waited = (s: Source) => new Date(s.nextPollAt).getTime() - t.clock.now().getTime();
    expect(waited(failing)).toBe(120_000);

    // Not due after one interval: it waits two.
    t.clock.advance(60_000);
    await pollNow(worker());
    expect(feeds.requestsFor('/failing')).toHaveLength(1);

    t.clock.advance(60_000);
    feeds.answerWith(() => ({ status: 200, body: rssFeed([]), delayMs: 3000 }));
    await pollNow(worker());
    const timedOut = await source(failing.id);
    expect(timedOut).toMatchObject({ lastStatus: 'failed', lastError: 'no answer within 1000 ms', consecutiveFailures: 2 });
    expect(waited(timedOut)).toBe(240_000);

    t.clock.advance(240_000);
    feeds.answerWith(null);
    feeds.serve('/failing', rssFeed([]));
    await pollNow(worker());
    const recovered = await source(failing.id);
    expect(recovered).toMatchObject({ lastStatus: 'ok', lastError: null, consecutiveFailures: 0 });
    expect(waited(recovered)).toBe(60_000);
  });

  it('when the source has credentials, then the feed gets them; a feed that is not a feed fails the poll', async () => {
    feeds.serve('/private', '<html><body>Sign in</body></html>', { contentType: 'text/html' });
    const polled = await addSource('/private', { credentials: { type: 'basic', username: 'desk', password: 'open-sesame' } });
    expect(feeds.requestsFor('/private')[0]!.headers.authorization).toBe(`Basic ${Buffer.from('desk:open-sesame').toString('base64')}`);
    expect(polled).toMatchObject({ lastStatus: 'failed', lastError: 'could not read the feed: the feed is neither RSS nor Atom' });
    expect(JSON.stringify(polled)).not.toContain('open-sesame');
  });

  /**
   * Another poller on the same database: on PostgreSQL a second instance of the app; on SQLite a second poller
   * over the app's own client, since two SQLite clients in one process block each other's event loop while one
   * waits for the other's lock (separate processes simply wait).
   */
  function anotherPoller(): LeasedWorker {
    if (dialect === 'postgresql') return t.startInstance(t.clock).container.wire.worker!;
    const poller = createWirePoller({
      repo: createWireRepository({ prisma: t.container.db.prisma }),
      now: t.clock.now,
      logger: createLogger('silent'),
      settings: t.container.config.wire,
      parseNinjs: (value, context) => incomingFromNinjs(value, { source: context.source, origin: 'wire' }),
      importItem: (incoming, source) =>
        t.container.services.interchange.importIncoming(incoming, {
          type: 'system',
          name: `wire:${source.id}`,
          scopes: ['write', 'publish'],
        }),
    });
    poller.start();
    extraPollers.push(poller);
    return poller;
  }
  const extraPollers: LeasedWorker[] = [];
  afterAll(async () => {
    await Promise.all(extraPollers.map((p) => p.stop()));
  });

  it('when two pollers poll one due source at once, then the feed is asked once each time it is due', async () => {
    const otherWorker = anotherPoller();
    feeds.answerWith(() => ({
      status: 200,
      body: rssFeed([item('d-1', 'Одна новость')]),
      headers: { 'content-type': 'application/rss+xml' },
      delayMs: 50,
    }));
    const created = await addSource('/shared');
    await pollNow(otherWorker);
    expect(feeds.requestsFor('/shared')).toHaveLength(1);
    for (let round = 2; round <= 4; round++) {
      t.clock.advance(60_000);

      const passes = [worker().nextPass(), otherWorker.nextPass()];
      worker().wake();
      otherWorker.wake();
      await Promise.all(passes);
      expect(feeds.requestsFor('/shared')).toHaveLength(round);
    }
    expect(await source(created.id)).toMatchObject({ lastStatus: 'ok', itemsImported: 1 });
    expect((await desk()).filter((a) => a.externalId === 'd-1')).toHaveLength(1);
  });
});
