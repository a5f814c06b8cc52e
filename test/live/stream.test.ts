import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, describeEachDialect, testedDialects, type SignedIn, type TestApp } from '../support/test-app.ts';
import { createLiveArticle, paragraph, postEntry } from './live-fixtures.ts';
import { listen, openStream } from './sse-client.ts';

const hasPostgres = testedDialects().includes('postgresql');

describe.skipIf(!hasPostgres)('the stream across two instances on one PostgreSQL and Redis', () => {
  let t: TestApp;
  let editor: SignedIn;
  let a: Awaited<ReturnType<typeof listen>>;
  let b: Awaited<ReturnType<typeof listen>>;
  let article: { id: string; slug: string };
  beforeAll(async () => {
    t = await createTestApp('postgresql', {
      REDIS_URL: 'redis://127.0.0.1:6379',
      // Each run on its own channels, so that runs beside it are not heard.
      REDIS_CHANNEL: `newsroom-cms-test:${randomBytes(6).toString('hex')}`,
      // Only Redis may carry the event from A to B within the second: the database is read every minute otherwise.
      STREAM_POLL_INTERVAL_MS: '60000',
    });
    editor = await t.signIn('editor');
    a = await listen(t.container);
    b = await listen(t.startInstance().container);
    article = await createLiveArticle(t, editor, { title: 'Пожар на складе: прямой эфир' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await t?.close();
  });

  it('when an entry is posted on A, then a client of B has it within a second, with the headers of a stream', async () => {
    const client = await openStream(`${b.url}/v1/stream?topics=live:${article.id},feed`);
    expect(client.res.status).toBe(200);
    expect(client.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(client.res.headers.get('x-accel-buffering')).toBe('no');
    expect(client.res.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(client.res.headers.get('content-encoding')).toBeNull();
    expect(await client.until((all) => all.some((e) => e.retry))).toBe(true);

    const postedAt = Date.now();
    const posted = await postEntry(t, article.id, editor.headers, { body: [paragraph('Пожарные локализовали возгорание.')] }).expect(201);
    const answeredAt = Date.now();
    const [event] = await client.events(1, 3000);
    expect(event).toMatchObject({ event: 'live_entry.created', id: expect.stringMatching(/^\d+$/) });
    // Counted from the POST's answer (its commit): on a loaded machine the POST alone may take most of a second.
    expect(event!.at - answeredAt).toBeLessThan(1000);
    expect(event!.at - postedAt).toBeLessThan(3000);
    const data = JSON.parse(event!.data!);
    expect(data).toMatchObject({ topic: `live:${article.id}`, articleId: article.id, entry: { id: posted.body.id, isPinned: false } });
    await client.close();
  });

  it('when a client reconnects with Last-Event-ID after three entries, then it gets exactly those three, in order, then what comes next', async () => {
    const first = await openStream(`${b.url}/v1/stream?topics=live:${article.id}`);
    await first.until((all) => all.some((e) => e.retry));
    await postEntry(t, article.id, editor.headers, { body: [paragraph('Движение по улице перекрыто.')] }).expect(201);
    const [seen] = await first.events(1);
    await first.close();

    const missed: string[] = [];
    for (const text of ['Пострадавших нет.', 'На месте работают 12 расчётов.', 'Причина пожара выясняется.']) {
      missed.push((await postEntry(t, article.id, editor.headers, { body: [paragraph(text)] }).expect(201)).body.id);
    }
    const again = await openStream(`${b.url}/v1/stream?topics=live:${article.id}`, { 'Last-Event-ID': seen!.id! });
    const replayed = await again.events(3);
    expect(replayed.map((e) => JSON.parse(e.data!).entry.id)).toEqual(missed);
    expect(replayed.map((e) => Number(e.id))).toEqual([...replayed.map((e) => Number(e.id))].sort((x, y) => x - y));

    const next = await postEntry(t, article.id, editor.headers, { body: [paragraph('Пожар потушен.')] }).expect(201);
    const all = await again.events(4);
    expect(all.map((e) => JSON.parse(e.data!).entry.id)).toEqual([...missed, next.body.id]);
    await again.close();
  });

  it('when coverage ends on A, then B streams live.ended and feed.changed', async () => {
    const client = await openStream(`${b.url}/v1/stream?topics=live:${article.id},feed`);
    await client.until((all) => all.some((e) => e.retry));
    const read = await t.http().get(`/v1/admin/articles/${article.id}`).set(editor.headers).expect(200);
    await t
      .http()
      .post(`/v1/admin/articles/${article.id}/end-coverage`)
      .set(editor.headers)
      .set('If-Match', read.headers.etag!)
      .expect(200);
    const events = await client.events(2);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['live.ended', 'feed.changed']));
    await client.close();
  });
});

describeEachDialect('the stream without Redis', (dialect) => {
  let t: TestApp;
  let editor: SignedIn;
  let a: Awaited<ReturnType<typeof listen>>;
  let b: Awaited<ReturnType<typeof listen>>;
  let instanceB: ReturnType<TestApp['startInstance']>;
  let article: { id: string; slug: string };
  beforeAll(async () => {
    t = await createTestApp(dialect, { STREAM_POLL_INTERVAL_MS: '50', STREAM_HEARTBEAT_SECONDS: '0.1', STREAM_MAX_CLIENTS: '2' });
    editor = await t.signIn('editor');
    a = await listen(t.container);
    instanceB = t.startInstance();
    b = await listen(instanceB.container);
    article = await createLiveArticle(t, editor, { title: 'Снегопад в городе: онлайн' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await t?.close();
  });

  it('when an entry is posted on A, then B reads it from the database and streams it; heartbeats come meanwhile', async () => {
    const client = await openStream(`${b.url}/v1/stream?topics=live:${article.id}`);
    expect(await client.until((all) => all.some((e) => e.comment === 'heartbeat'))).toBe(true);
    const posted = await postEntry(t, article.id, editor.headers, { body: [paragraph('Снегоуборочная техника вышла на улицы.')] }).expect(
      201,
    );
    const [event] = await client.events(1);
    expect(JSON.parse(event!.data!).entry.id).toBe(posted.body.id);
    await client.close();
  });

  it('when an instance holds STREAM_MAX_CLIENTS streams, then one more is 503 with Retry-After', async () => {
    const clients = [await openStream(`${b.url}/v1/stream?topics=feed`), await openStream(`${b.url}/v1/stream?topics=feed`)];
    for (const client of clients) await client.until((all) => all.some((e) => e.retry));
    const refused = await fetch(`${b.url}/v1/stream?topics=feed`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { code: string }).code).toBe('server_busy');
    for (const client of clients) await client.close();
  });

  it('when Last-Event-ID is older than the events kept, then the stream says reset', async () => {
    await postEntry(t, article.id, editor.headers, { body: [paragraph('Запись, которую удалят из журнала.')] }).expect(201);
    const prisma = t.container.db.prisma;
    const newest = await prisma.streamEvent.aggregate({ _max: { id: true } });
    // The retention pass, as it runs after STREAM_RETENTION_MINUTES.
    await prisma.streamEvent.deleteMany({});
    const client = await openStream(`${b.url}/v1/stream?topics=live:${article.id}`, { 'Last-Event-ID': String(newest._max.id! - 1) });
    const [event] = await client.events(1);
    expect(event!.event).toBe('reset');
    await client.close();
  });

  it('when a public article is edited, then its topic hears article.updated; a draft edit is not streamed', async () => {
    const client = await openStream(`${b.url}/v1/stream?topics=article:${article.id}`);
    await client.until((all) => all.some((e) => e.retry));
    const read = await t.http().get(`/v1/admin/articles/${article.id}`).set(editor.headers).expect(200);
    await t
      .http()
      .patch(`/v1/admin/articles/${article.id}`)
      .set(editor.headers)
      .set('If-Match', read.headers.etag!)
      .send({ lead: 'Синоптики обещают снег до утра.' })
      .expect(200);
    const [event] = await client.events(1);
    expect(event).toMatchObject({ event: 'article.updated' });
    expect(JSON.parse(event!.data!)).toEqual({ topic: `article:${article.id}`, articleId: article.id });
    await client.close();

    const draft = await createLiveArticle(t, editor, { title: 'Черновик трансляции', isPublished: false });
    await t
      .http()
      .patch(`/v1/admin/articles/${draft.id}`)
      .set(editor.headers)
      .set('If-Match', '"1"')
      .send({ lead: 'Черновик.' })
      .expect(200);
    expect(await t.container.db.prisma.streamEvent.count({ where: { topic: `article:${draft.id}` } })).toBe(0);
  });

  it('when a scheduled article becomes public, then the feed topic hears feed.changed at that moment, once', async () => {
    const client = await openStream(`${b.url}/v1/stream?topics=feed`);
    await client.until((all) => all.some((e) => e.retry));
    const draft = await createLiveArticle(t, editor, { title: 'Парад: трансляция начнётся в полдень', isPublished: false });
    const publishAt = new Date(t.clock.now().getTime() + 3_600_000);
    await t
      .http()
      .post(`/v1/admin/articles/${draft.id}/publish`)
      .set(editor.headers)
      .set('If-Match', '"1"')
      .send({ publishAt: publishAt.toISOString() })
      .expect(200);
    const isScheduledEvent = (e: { data?: string }) => e.data?.includes('"at"') ?? false;
    expect(client.received.some(isScheduledEvent)).toBe(false);
    t.clock.set(publishAt);
    instanceB.clock.set(publishAt);
    // What the instance's timer does at that time.
    await instanceB.container.stream.checkSchedule();
    expect(await client.until((all) => all.some(isScheduledEvent))).toBe(true);
    const scheduled = client.received.find(isScheduledEvent)!;
    expect(scheduled.event).toBe('feed.changed');
    expect(JSON.parse(scheduled.data!)).toEqual({ topic: 'feed', at: publishAt.toISOString() });
    expect(await t.container.db.prisma.streamEvent.count({ where: { dedupeKey: `feed:${publishAt.toISOString()}` } })).toBe(1);
    await client.close();
  });

  it('when topics are not valid, then 400 and no stream', async () => {
    const res = await fetch(`${a.url}/v1/stream?topics=everything`);
    expect(res.status).toBe(400);
  });

  it('when the instance shuts down, then its streams end cleanly', async () => {
    const other = t.startInstance();
    const server = await listen(other.container);
    const client = await openStream(`${server.url}/v1/stream?topics=feed`);
    await client.until((all) => all.some((e) => e.retry));
    await other.container.stream.close();
    await client.finished;
    expect(client.isDone()).toBe(true);
    await server.close();
  });
});
