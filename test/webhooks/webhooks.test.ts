import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminActor, createDraft, createMedia } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { startReceiver, type Receiver } from './receiver.ts';

// A retry 7.5–12.5 s after a failure; a delivery queued more than 30 s ago fails for good; two such in a row turn the subscription off.
const webhookEnv = {
  WEBHOOK_WORKER: 'on',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_POLL_INTERVAL_MS: '20',
  // Generous: the in-process receiver answers late when a loaded machine runs other suites beside this one.
  WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_RETRY_FOR_SECONDS: '30',
  WEBHOOK_DISABLE_AFTER_FAILURES: '2',
};

const waitUntil = (check: () => void | Promise<void>, timeout = 10_000) => vi.waitFor(check, { timeout, interval: 20 });

describeEachDialect('webhooks', (dialect) => {
  const { t, admin } = useTestApp(dialect, { env: webhookEnv, roles: ['admin'] });
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });
  // Tests move the clock far; a token signed now is always fresh.
  const auth = () => ({ Authorization: `Bearer ${t.container.tokens.sign(admin.user.id, admin.sessionId)}` });

  afterEach(async () => {
    await t.container.db.prisma.webhookSubscription.deleteMany();
    receiver.reset();
    receiver.answerWith(() => ({ status: 200 }));
  });

  async function subscribe(body: Record<string, unknown>) {
    const res = await t
      .http()
      .post('/v1/admin/webhooks')
      .set(auth())
      .send({ url: receiver.url(), events: ['*'], ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string; version: number };
  }

  const deliveriesOf = async (id: string) =>
    (await t.http().get(`/v1/admin/webhooks/${id}/deliveries?limit=100`).set(auth())).body.items as Record<string, unknown>[];

  it('when an admin subscribes, then the secret is shown once, and editors may not see subscriptions', async () => {
    const created = await subscribe({ events: ['article.*', 'rubric.created'], description: 'CDN' });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const read = await t.http().get(`/v1/admin/webhooks/${created.id}`).set(auth());
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ events: ['article.*', 'rubric.created'], isActive: true, rubricId: null });
    expect(read.body.secret).toBeUndefined();
    const editor = await t.signIn('editor');
    expect((await t.http().get('/v1/admin/webhooks').set(editor.headers)).status).toBe(403);
    const bad = await t
      .http()
      .post('/v1/admin/webhooks')
      .set(auth())
      .send({ url: receiver.url(), events: ['article.exploded'] });
    expect(bad.status).toBe(422);
    const patched = await t
      .http()
      .patch(`/v1/admin/webhooks/${created.id}`)
      .set(auth())
      .set('If-Match', `"${created.version}"`)
      .send({ events: ['article.published'] });
    expect(patched.status).toBe(200);
    expect(patched.body.events).toEqual(['article.published']);
    expect(
      (
        await t
          .http()
          .patch(`/v1/admin/webhooks/${created.id}`)
          .set(auth())
          .set('If-Match', `"${created.version}"`)
          .send({ isActive: false })
      ).status,
    ).toBe(412);
  });

  it('when an article is created through the API, then the receiver gets a delivery that standardwebhooks verifies, with the surrogate keys to purge', async () => {
    const created = await subscribe({ events: ['article.created'] });
    const res = await t
      .http()
      .post('/v1/admin/articles')
      .set(auth())
      .send({ title: 'Мост через реку откроют весной', body: [{ type: 'paragraph', text: 'Строители закончили основные работы.' }] });
    expect(res.status).toBe(201);
    await waitUntil(() => expect(receiver.requests).toHaveLength(1));
    const [delivery] = receiver.requests;
    const verified = new Webhook(created.secret).verify(delivery!.body, delivery!.headers as Record<string, string>) as Record<
      string,
      unknown
    >;
    expect(verified).toMatchObject({
      type: 'article.created',
      data: { id: res.body.id, slug: res.body.slug, version: 1, actor: `user:${admin.user.id}` },
    });
    // A new article is a draft: no public answer shows it, so there is nothing to purge.
    expect(delivery!.json.data.surrogateKeys).toEqual([]);
    expect(delivery!.headers['webhook-id']).toBe(delivery!.json.id);
    expect(() =>
      new Webhook(created.secret).verify(delivery!.body.replace('"version":1', '"version":2'), delivery!.headers as Record<string, string>),
    ).toThrow();
    await waitUntil(async () =>
      expect((await deliveriesOf(created.id))[0]).toMatchObject({
        status: 'succeeded',
        attempts: 1,
        responseStatus: 200,
        nextAttemptAt: null,
      }),
    );
  });

  it('when articles, feed items and media change, then each change sends its event, in the order made, with its record and keys', async () => {
    await subscribe({ events: ['article.*', 'feed_item.*', 'media.*'] });
    const services = t.container.services;
    const draft = await createDraft(t, { title: 'Городской совет утвердил бюджет' });
    const published = await services.articles.publish(draft.id, adminActor);
    await services.articles.unpublish(draft.id, adminActor);
    const scheduled = await services.articles.publish(draft.id, adminActor, {
      publishAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
    });
    await services.articles.delete(draft.id, adminActor);
    const item = await services.feed.create(
      { kind: 'link', headline: 'Трансляция заседания', url: 'https://video.example/live' },
      adminActor,
    );
    await services.feed.update(item.id, { headline: 'Запись заседания' }, null, adminActor);
    await services.feed.delete(item.id, null, adminActor);
    const media = await createMedia(t, 'image');
    await services.media.delete(media.id, adminActor);
    const expected = [
      'article.created',
      'article.published',
      'article.unpublished',
      'article.scheduled',
      'article.deleted',
      'feed_item.created',
      'feed_item.updated',
      'feed_item.deleted',
      'media.created',
      'media.deleted',
    ];
    await waitUntil(() => expect(receiver.requests.map((r) => r.json.type)).toEqual(expected));
    const bodies = receiver.requests.map((r) => r.json.data);
    expect(bodies.slice(0, 5).map((d) => d.version)).toEqual([
      1,
      published.version,
      published.version + 1,
      scheduled.version,
      scheduled.version + 1,
    ]);
    expect(bodies[3]).toMatchObject({ id: draft.id, slug: draft.slug, publishedAt: scheduled.publishedAt });
    expect(bodies[5]).toMatchObject({
      id: item.id,
      slug: null,
      actor: 'apiKey:fixtures',
      surrogateKeys: [`feed-item:${item.id}`, 'feed', 'all'],
    });
    expect(bodies[8]).toMatchObject({ id: media.id, surrogateKeys: [`media:${media.id}`, 'media', 'all'] });
  });

  it('when the receiver answers 500, then the delivery is retried after a back-off and the next ones wait their turn, in order', async () => {
    const created = await subscribe({ events: ['article.created'] });
    receiver.answerWith((_r, index) => ({ status: index === 0 ? 500 : 200 }));
    const ids: string[] = [];
    for (const title of ['Первая', 'Вторая', 'Третья']) ids.push((await createDraft(t, { title: `${title} новость дня` })).id);
    await waitUntil(async () =>
      expect((await deliveriesOf(created.id)).at(-1)).toMatchObject({
        status: 'pending',
        attempts: 1,
        responseStatus: 500,
        lastError: 'answered 500',
      }),
    );
    // A whole pass of the worker after that one: it finds the queue blocked behind the delivery that waits for its retry.
    await t.container.webhooks.worker!.nextPass();
    expect(receiver.requests).toHaveLength(1);
    t.clock.advance(60_000);
    await waitUntil(() => expect(receiver.requests).toHaveLength(4));
    expect(receiver.requests.map((r) => r.json.data.id)).toEqual([ids[0], ids[0], ids[1], ids[2]]);
    expect(receiver.requests[0]!.headers['webhook-id']).toBe(receiver.requests[1]!.headers['webhook-id']);
    // The receiver has the last request a moment before the worker records its answer.
    await waitUntil(async () => {
      const log = await deliveriesOf(created.id);
      expect(log.map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      expect(log.at(-1)).toMatchObject({ attempts: 2, responseStatus: 200 });
    });
  });

  it('when the receiver does not answer within the timeout, then the attempt fails and the retry delivers it', async () => {
    const created = await subscribe({ events: ['rubric.created'] });
    receiver.answerWith((_r, index) => ({ status: 200, delayMs: index === 0 ? 4500 : 0 }));
    await t.container.services.rubrics.create({ name: 'Медленная рубрика' }, adminActor);
    await waitUntil(async () =>
      expect((await deliveriesOf(created.id))[0]).toMatchObject({
        status: 'pending',
        attempts: 1,
        responseStatus: null,
        lastError: 'no answer within 3000 ms',
      }),
    );
    t.clock.advance(60_000);
    await waitUntil(async () => expect((await deliveriesOf(created.id))[0]).toMatchObject({ status: 'succeeded', attempts: 2 }));
  });

  it('when deliveries keep failing, then they are marked failed after the retry period and the subscription is turned off, as the audit log says', async () => {
    const created = await subscribe({ events: ['rubric.*'] });
    receiver.answerWith(() => ({ status: 503 }));
    await t.container.services.rubrics.create({ name: 'Рубрика раз' }, adminActor);
    await t.container.services.rubrics.create({ name: 'Рубрика два' }, adminActor);
    await waitUntil(async () => {
      t.clock.advance(20_000);
      const webhook = (await t.http().get(`/v1/admin/webhooks/${created.id}`).set(auth())).body;
      expect(webhook).toMatchObject({ isActive: false, consecutiveFailures: 2 });
    });
    const log = await deliveriesOf(created.id);
    expect(log.map((d) => d.status)).toEqual(['failed', 'failed']);
    const audit = await t.http().get(`/v1/admin/audit?action=webhook.disable&targetId=${created.id}`).set(auth());
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ actor: 'system', targetType: 'webhook', details: { consecutiveFailures: 2 } });
    // Off: new events are not queued for it, and a ping is refused until it is turned back on.
    expect((await t.http().post(`/v1/admin/webhooks/${created.id}/ping`).set(auth())).status).toBe(409);
  });

  it('when a delivery or the events since a time are replayed, then the receiver gets them again with the same event ids', async () => {
    t.clock.advance(1000);
    const before = t.clock.now().toISOString();
    const first = await t.container.services.rubrics.create({ name: 'Повтор один' }, adminActor);
    const second = await t.container.services.rubrics.create({ name: 'Повтор два' }, adminActor);
    // Subscribed after the events: a replay since `before` brings them.
    const created = await subscribe({ events: ['rubric.created'] });
    const replayed = await t.http().post(`/v1/admin/webhooks/${created.id}/replay`).set(auth()).send({ since: before });
    expect(replayed.status).toBe(202);
    expect(replayed.body).toEqual({ queued: 2 });
    await waitUntil(() => expect(receiver.requests).toHaveLength(2));
    expect(receiver.requests.map((r) => r.json.data.id)).toEqual([first.id, second.id]);
    const log = await deliveriesOf(created.id);
    await waitUntil(async () => expect((await deliveriesOf(created.id)).every((d) => d.status === 'succeeded')).toBe(true));
    const again = await t
      .http()
      .post(`/v1/admin/webhooks/${created.id}/deliveries/${log.at(-1)!.id}/replay`)
      .set(auth());
    expect(again.status).toBe(202);
    await waitUntil(() => expect(receiver.requests).toHaveLength(3));
    expect(receiver.requests[2]!.headers['webhook-id']).toBe(receiver.requests[0]!.headers['webhook-id']);
    const ping = await t.http().post(`/v1/admin/webhooks/${created.id}/ping`).set(auth());
    expect(ping.status).toBe(202);
    await waitUntil(() => expect(receiver.requests.at(-1)?.json.type).toBe('webhook.ping'));
  });

  it('when a subscription filters by rubric, then only events about that rubric are queued for it', async () => {
    const city = await t.container.services.rubrics.create({ name: 'Город фильтр' }, adminActor);
    const sport = await t.container.services.rubrics.create({ name: 'Спорт фильтр' }, adminActor);
    const created = await subscribe({ events: ['article.*'], rubricId: city.id });
    const inCity = await createDraft(t, { title: 'Новая развязка на окраине', rubricId: city.id });
    await createDraft(t, { title: 'Финал кубка перенесли', rubricId: sport.id });
    await createDraft(t, { title: 'Статья без рубрики' });
    await waitUntil(() => expect(receiver.requests).toHaveLength(1));
    expect(receiver.requests[0]!.json.data).toMatchObject({ id: inCity.id, rubricId: city.id });
    expect(await deliveriesOf(created.id)).toHaveLength(1);
  });

  it('when a write fails, then no event is recorded; an event recorded in a transaction that rolls back is gone with it', async () => {
    const prisma = t.container.db.prisma;
    await subscribe({ events: ['rubric.*'] });
    const rubric = await t.container.services.rubrics.create({ name: 'Занятая рубрика' }, adminActor);
    await createDraft(t, { title: 'Статья держит рубрику', rubricId: rubric.id });
    const eventsBefore = await prisma.webhookEvent.count();
    const refused = await t.http().delete(`/v1/admin/rubrics/${rubric.id}`).set(auth()).set('If-Match', '*');
    expect(refused.status).toBe(409);
    await expect(
      prisma.$transaction(async (tx) => {
        await t.container.webhooks.service.events.record(tx, {
          type: 'rubric.updated',
          entity: { id: rubric.id, slug: rubric.slug, version: 9 },
          actor: 'system',
        });
        throw new Error('the change fails after its event');
      }),
    ).rejects.toThrow('the change fails after its event');
    expect(await prisma.webhookEvent.count()).toBe(eventsBefore);
    expect(await prisma.webhookEvent.count({ where: { type: 'rubric.deleted' } })).toBe(0);
  });

  it('when the server stops with a delivery in flight, then the claim is released and the event is delivered after the restart', async () => {
    const created = await subscribe({ events: ['rubric.created'] });
    let releaseFirst: () => void = () => undefined;
    receiver.answerWith((_r, index) =>
      index === 0
        ? new Promise((resolve) => {
            releaseFirst = () => resolve({ status: 200 });
          })
        : { status: 200 },
    );
    const rubric = await t.container.services.rubrics.create({ name: 'Рубрика перед остановкой' }, adminActor);
    await waitUntil(() => expect(receiver.requests).toHaveLength(1));
    await t.restart();
    releaseFirst();
    await waitUntil(() => expect(receiver.requests).toHaveLength(2));
    expect(receiver.requests[1]!.json.data.id).toBe(rubric.id);
    await waitUntil(async () => expect((await deliveriesOf(created.id))[0]).toMatchObject({ status: 'succeeded', attempts: 1 }));
  });
});

// Its own app: the receiver's timeout is long here, so that a machine loaded far beyond CI's, slowing
// the in-process receiver past 1 s, does not turn an answer into a retry that the frozen clock never reaches.
describeEachDialect('webhooks at volume', (dialect) => {
  const { t, admin } = useTestApp(dialect, { env: { ...webhookEnv, WEBHOOK_TIMEOUT_MS: '15000' }, roles: ['admin'] });
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  async function subscribe(body: Record<string, unknown>) {
    const res = await t
      .http()
      .post('/v1/admin/webhooks')
      .set(admin.headers)
      .send({ url: receiver.url(), events: ['*'], ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  it(`when ${dialect === 'postgresql' ? 'two instances deliver' : 'the worker delivers'} 1,000 events to four subscriptions, then every event arrives once, in order per subscription, never two at once to one subscription`, async () => {
    const instance = dialect === 'postgresql' ? t.startInstance(t.clock) : undefined;
    const rubrics: { id: string }[] = [];
    for (let i = 0; i < 4; i++) rubrics.push(await t.container.services.rubrics.create({ name: `Поток ${i}` }));
    const subscriptions: Awaited<ReturnType<typeof subscribe>>[] = [];
    for (let i = 0; i < 4; i++)
      subscriptions.push(await subscribe({ url: receiver.url(`/hook/${i}`), events: ['article.updated'], rubricId: rubrics[i]!.id }));
    const prisma = t.container.db.prisma;
    const events = t.container.webhooks.service.events;
    // One transaction: SQLite's driver is synchronous, and a long run of writes would hold up the in-process receiver's answers past the timeout.
    await prisma.$transaction(
      async (tx) => {
        for (let n = 0; n < 1000; n++) {
          await events.record(tx, {
            type: 'article.updated',
            entity: { id: `article-${n}`, slug: `a-${n}`, version: n, rubricId: rubrics[n % 4]!.id },
            actor: 'system',
          });
        }
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    events.committed();
    instance?.container.webhooks.worker?.wake();
    await waitUntil(() => expect(receiver.requests.length).toBeGreaterThanOrEqual(1000), 60_000);
    const ids = receiver.requests.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1000);
    expect(ids).toHaveLength(1000);
    for (let i = 0; i < 4; i++) {
      const versions = receiver.requests.filter((r) => r.path === `/hook/${i}`).map((r) => r.json.data.version as number);
      expect(versions).toHaveLength(250);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }
    expect(receiver.mostInFlightForOnePath()).toBe(1);
  }, 90_000);
});

describe('webhook receivers on private addresses', () => {
  const { t, admin } = useTestApp('sqlite', { env: { WEBHOOK_WORKER: 'on', WEBHOOK_POLL_INTERVAL_MS: '20' }, roles: ['admin'] });
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('when a subscription names a loopback, private or link-local address, then it is refused', async () => {
    for (const url of [
      receiver.url(),
      'http://localhost:8080/hook',
      'http://10.1.2.3/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/hook',
    ]) {
      const res = await t
        .http()
        .post('/v1/admin/webhooks')
        .set(admin.headers)
        .send({ url, events: ['*'] });
      expect(res.status, url).toBe(422);
      expect(res.body.errors[0].field).toBe('body.url');
    }
  });

  it('when a stored receiver URL points at a private address at delivery time, then nothing is sent and the attempt fails', async () => {
    const at = t.clock.now();
    const row = await t.container.db.prisma.webhookSubscription.create({
      data: { url: receiver.url(), events: ['*'], secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0', createdAt: at, updatedAt: at },
    });
    await t.container.services.rubrics.create({ name: 'Рубрика для проверки адреса' }, adminActor);
    await waitUntil(async () => {
      const log = (await t.http().get(`/v1/admin/webhooks/${row.id}/deliveries`).set(admin.headers)).body.items;
      expect(log[0]).toMatchObject({ status: 'pending', attempts: 1, responseStatus: null });
      expect(log[0].lastError).toMatch(/private, loopback or link-local/);
    });
    expect(receiver.requests).toHaveLength(0);
  });
});
