import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { createPublished } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { startReceiver, type Receiver } from './receiver.ts';

// Nothing here tests retries: the default 10 s receiver timeout keeps a busy machine from turning a slow answer into a retry.
const webhookEnv = { WEBHOOK_WORKER: 'on', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_INTERVAL_MS: '20' };

const waitUntil = (check: () => void | Promise<void>, timeout = 20_000) => vi.waitFor(check, { timeout, interval: 20 });

describeEachDialect('webhooks for tags', (dialect) => {
  const { t, admin, editor } = useTestApp(dialect, { env: webhookEnv, roles: ['admin', 'editor'] });
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });
  afterEach(async () => {
    const prisma = t.container.db.prisma;
    // The worker first finishes (nothing waiting, no queue held): the next test hears only its own events, and the delete meets no lease.
    await waitUntil(async () => {
      expect(await prisma.webhookDelivery.count({ where: { status: 'pending' } })).toBe(0);
      expect(await prisma.webhookSubscription.count({ where: { lockedBy: { not: null } } })).toBe(0);
    });
    await prisma.webhookSubscription.deleteMany();
    receiver.reset();
  });

  async function subscribe(events: string[], path = '/hook') {
    const res = await t
      .http()
      .post('/v1/admin/webhooks')
      .set(admin.headers)
      .send({ url: receiver.url(path), events });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  const deliveriesOf = async (id: string) =>
    (await t.http().get(`/v1/admin/webhooks/${id}/deliveries?limit=100`).set(admin.headers)).body.items as Record<string, unknown>[];
  const tagEventCount = () => t.container.db.prisma.webhookEvent.count({ where: { type: { startsWith: 'tag.' } } });

  it('when an editor creates, renames and deletes a tag, then a tag.* subscriber gets one event for each, in order, with the record and the keys the HTTP layer purges', async () => {
    await subscribe(['tag.*']);
    const created = await t.http().post('/v1/admin/tags').set(editor.headers).send({ name: 'Паводок' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // A public article shows the tag: its answer carries the tag's key, which the events name for purging.
    const article = await createPublished(t, { title: 'Река вышла из берегов', tagIds: [id] });
    const page = await t.http().get(`/v1/articles/${article.slug}`);
    expect(page.status).toBe(200);
    expect(page.headers['surrogate-key']?.split(' ')).toContain(`tag:${id}`);

    const renamed = await t.http().patch(`/v1/admin/tags/${id}`).set(editor.headers).set('If-Match', '"1"').send({ name: 'Половодье' });
    expect(renamed.status).toBe(200);
    expect((await t.http().delete(`/v1/admin/tags/${id}`).set(editor.headers).set('If-Match', '"2"')).status).toBe(204);

    await waitUntil(() => expect(receiver.requests.map((r) => r.json.type)).toEqual(['tag.created', 'tag.updated', 'tag.deleted']));
    // The tag's record and list, and the article list filtered by its slug (a rename keeps the slug).
    const keys = [`tag:${id}`, 'tags', `articles:tag:${created.body.slug}`, 'all'];
    const record = { id, slug: created.body.slug, actor: `user:${editor.user.id}`, surrogateKeys: keys };
    expect(receiver.requests.map((r) => r.json.data)).toEqual([
      { ...record, version: 1 },
      // A rename keeps the slug; the version is the one after the change.
      { ...record, version: 2 },
      // A deletion carries the version it deleted.
      { ...record, version: 2 },
    ]);
  });

  it('when a tag changes through the service with no actor, then its event names the system and carries a new slug', async () => {
    await subscribe(['tag.updated']);
    const tags = t.container.services.tags;
    const tag = await tags.create({ name: 'Ледоход' });
    const updated = await tags.update(tag.id, { slug: 'ledokhod-2026' });
    await waitUntil(() => expect(receiver.requests).toHaveLength(1));
    expect(receiver.requests[0]!.json).toMatchObject({
      type: 'tag.updated',
      data: { id: tag.id, slug: 'ledokhod-2026', version: updated.version, actor: 'system' },
    });
  });

  it('when a tag write is refused, then no event is recorded and nothing is delivered', async () => {
    const created = await subscribe(['tag.*']);
    const taken = await t.container.services.tags.create({ name: 'Занятый тег', slug: 'zanyatyy' });
    const other = await t.container.services.tags.create({ name: 'Другой тег' });
    await waitUntil(() => expect(receiver.requests).toHaveLength(2));
    const before = await tagEventCount();

    expect((await t.http().post('/v1/admin/tags').set(editor.headers).send({ name: 'Ещё один', slug: 'zanyatyy' })).status).toBe(409);
    expect((await t.http().post('/v1/admin/tags').set(editor.headers).send({ name: '' })).status).toBe(422);
    expect((await t.http().post('/v1/admin/tags').set(editor.headers).send({ name: 'Лишнее поле', color: 'red' })).status).toBe(422);
    expect(
      (await t.http().patch(`/v1/admin/tags/${other.id}`).set(editor.headers).set('If-Match', '"1"').send({ slug: taken.slug })).status,
    ).toBe(409);
    expect(
      (await t.http().patch(`/v1/admin/tags/${other.id}`).set(editor.headers).set('If-Match', '"7"').send({ name: 'Устаревшая версия' }))
        .status,
    ).toBe(412);
    expect((await t.http().delete(`/v1/admin/tags/${other.id}`).set(editor.headers).set('If-Match', '"7"')).status).toBe(412);
    expect(
      (await t.http().delete('/v1/admin/tags/00000000-0000-7000-8000-000000000000').set(editor.headers).set('If-Match', '*')).status,
    ).toBe(404);
    const author = await t.signIn('author');
    expect((await t.http().delete(`/v1/admin/tags/${other.id}`).set(author.headers).set('If-Match', '*')).status).toBe(403);

    expect(await tagEventCount()).toBe(before);
    expect(await deliveriesOf(created.id)).toHaveLength(2);
    expect(receiver.requests).toHaveLength(2);
  });

  it('when a subscription wants article events only, or events about one rubric, then it gets no tag events', async () => {
    const tagHook = await subscribe(['tag.*'], '/tags');
    const articleHook = await subscribe(['article.*'], '/articles');
    const rubric = await t.container.services.rubrics.create({ name: 'Рубрика без тегов' });
    const rubricHookRes = await t
      .http()
      .post('/v1/admin/webhooks')
      .set(admin.headers)
      .send({ url: receiver.url('/rubric'), events: ['*'], rubricId: rubric.id });
    expect(rubricHookRes.status).toBe(201);
    const tag = (await t.http().post('/v1/admin/tags').set(editor.headers).send({ name: 'Только для тегов' })).body;
    await t.http().patch(`/v1/admin/tags/${tag.id}`).set(editor.headers).set('If-Match', '*').send({ name: 'Только теги' }).expect(200);
    await t.http().delete(`/v1/admin/tags/${tag.id}`).set(editor.headers).set('If-Match', '*').expect(204);

    await waitUntil(() => expect(receiver.requests.filter((r) => r.path === '/tags')).toHaveLength(3));
    // Deliveries are queued in the transaction of the write, so none queued now means none will be.
    expect(await deliveriesOf(tagHook.id)).toHaveLength(3);
    expect(await deliveriesOf(articleHook.id)).toHaveLength(0);
    expect(await deliveriesOf(rubricHookRes.body.id)).toHaveLength(0);
    expect(receiver.requests.every((r) => r.path === '/tags')).toBe(true);
  });
});
