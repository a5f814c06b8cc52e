import type { Response } from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const unknownId = '00000000-0000-7000-8000-000000000000';
const broadcast = {
  kind: 'live',
  headline: 'Прямая трансляция: заседание городской думы о бюджете',
  url: 'https://live.example/duma-2026-11-20',
};

describeEachDialect('managing feed items', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'] });
  let rubricId: string;
  beforeAll(async () => {
    rubricId = (await t.container.services.rubrics.create({ name: 'Политика' })).id;
  });

  const prisma = () => t.container.db.prisma;
  const feedTable = () => prisma().feedItem.findMany({ orderBy: { id: 'asc' } });
  const createItem = (body: Record<string, unknown>, headers = editor.headers) =>
    t.http().post('/v1/admin/feed-items').set(headers).send(body);
  const insertArticle = (title: string, status: 'draft' | 'published', rubric: string | null = null) =>
    prisma().article.create({
      data: {
        title,
        slug: `a-${Math.random().toString(36).slice(2)}`,
        body: [],
        keyPoints: [],
        searchText: '',
        status,
        rubricId: rubric,
        publishedAt: status === 'published' ? new Date('2026-11-20T07:00:00.000Z') : null,
      },
    });
  const fieldsOf = (res: { body: { errors: { field: string }[] } }) => res.body.errors.map((e) => e.field).sort();

  it('when an editor adds, reads, updates and removes a live broadcast, then each step answers as documented', async () => {
    const created = await createItem({ ...broadcast, rubricId, isPinned: true, visibleUntil: '2026-11-20T13:00:00+03:00' }).expect(201);
    expect(created.body).toMatchObject({
      ...broadcast,
      rubricId,
      articleId: null,
      isPinned: true,
      publishedAt: t.clock.now().toISOString(),
      visibleFrom: null,
      visibleUntil: '2026-11-20T10:00:00.000Z',
    });
    const id = created.body.id as string;
    const read = await t.http().get(`/v1/admin/feed-items/${id}`).set(editor.headers).expect(200);
    expect(read.body).toEqual(created.body);
    expect(read.headers.etag).toBe('"1"');

    const updated = await t
      .http()
      .patch(`/v1/admin/feed-items/${id}`)
      .set(editor.headers)
      .set('If-Match', read.headers.etag!)
      .send({ headline: 'Дума приняла бюджет: трансляция завершена', isPinned: false, visibleUntil: null, rubricId: null })
      .expect(200);
    expect(updated.body).toMatchObject({
      id,
      kind: 'live',
      headline: 'Дума приняла бюджет: трансляция завершена',
      isPinned: false,
      visibleUntil: null,
      rubricId: null,
    });

    expect(updated.body.version).toBe(2);
    await t.http().delete(`/v1/admin/feed-items/${id}`).set(editor.headers).set('If-Match', updated.headers.etag!).expect(204);
    await t.http().get(`/v1/admin/feed-items/${id}`).set(editor.headers).expect(404);
  });

  it('when a published article is added, then it links the article under its rubric; adding it twice answers 409', async () => {
    const article = await insertArticle('Госдума приняла закон о платформенной экономике', 'published', rubricId);
    const created = await createItem({
      kind: 'article',
      headline: 'Закон о платформах принят',
      articleId: article.id,
      publishedAt: '2026-11-20T08:00:00.000Z',
    }).expect(201);
    expect(created.body).toMatchObject({
      kind: 'article',
      articleId: article.id,
      url: null,
      rubricId,
      publishedAt: '2026-11-20T08:00:00.000Z',
    });

    const before = await feedTable();
    const res = await createItem({ kind: 'article', headline: 'Ещё раз', articleId: article.id }).expect(409);
    expect(res.body).toMatchObject({ code: 'article_in_feed', articleId: article.id });
    expect(await feedTable()).toEqual(before);
  });

  it('when the kind and its fields do not fit together, then 422 naming each field and nothing changes', async () => {
    const draft = await insertArticle('Черновик о реформе ЖКХ', 'draft');
    const published = await insertArticle('Опубликованная новость', 'published');
    const before = await feedTable();
    expect(fieldsOf(await createItem({ kind: 'live', headline: 'Трансляция без ссылки' }).expect(422))).toEqual(['body.url']);
    expect(
      fieldsOf(await createItem({ kind: 'link', headline: 'Ссылка', url: 'https://example.org', articleId: published.id }).expect(422)),
    ).toEqual(['body.articleId']);
    expect(fieldsOf(await createItem({ kind: 'promo', headline: 'Реклама', url: 'javascript:alert(1)' }).expect(422))).toEqual([
      'body.url',
    ]);
    expect(fieldsOf(await createItem({ kind: 'article', headline: 'Без статьи' }).expect(422))).toEqual(['body.articleId']);
    expect(
      fieldsOf(
        await createItem({ kind: 'article', headline: 'Со ссылкой', articleId: published.id, url: 'https://example.org' }).expect(422),
      ),
    ).toEqual(['body.url']);
    const draftRes = await createItem({ kind: 'article', headline: 'Черновик', articleId: draft.id }).expect(422);
    expect(draftRes.body.errors).toEqual([{ field: 'body.articleId', message: 'No published article has this id' }]);
    expect(fieldsOf(await createItem({ kind: 'article', headline: 'Нет статьи', articleId: unknownId }).expect(422))).toEqual([
      'body.articleId',
    ]);
    expect(fieldsOf(await createItem({ ...broadcast, rubricId: unknownId }).expect(422))).toEqual(['body.rubricId']);
    const windowRes = await createItem({
      ...broadcast,
      visibleFrom: '2026-11-20T12:00:00.000Z',
      visibleUntil: '2026-11-20T12:00:00.000Z',
    }).expect(422);
    expect(windowRes.body.errors).toEqual([{ field: 'body.visibleUntil', message: 'Must be after visibleFrom' }]);
    expect(fieldsOf(await createItem({ ...broadcast, visibleFrom: 'завтра' }).expect(422))).toEqual(['body.visibleFrom']);
    expect((await createItem({ ...broadcast, priority: 1 }).expect(422)).body.errors).toEqual([
      { field: 'body.priority', message: 'Unknown field: priority' },
    ]);
    expect(fieldsOf(await createItem({ kind: 'banner', headline: 'Баннер', url: 'https://example.org' }).expect(422))).toEqual([
      'body.kind',
    ]);
    expect(fieldsOf(await createItem({ ...broadcast, headline: '' }).expect(422))).toEqual(['body.headline']);
    expect(await feedTable()).toEqual(before);
  });

  it('when an update breaks the rules or touches the kind or article, then 422 and nothing changes', async () => {
    const live = await createItem({ ...broadcast, visibleFrom: '2026-11-20T12:00:00.000Z' }).expect(201);
    const article = await insertArticle('Новости науки', 'published');
    const linked = await createItem({ kind: 'article', headline: 'Наука', articleId: article.id }).expect(201);
    const before = await feedTable();
    const patch = (id: string, body: Record<string, unknown>) =>
      t.http().patch(`/v1/admin/feed-items/${id}`).set(editor.headers).set('If-Match', '"1"').send(body);
    expect((await patch(live.body.id, { kind: 'link' }).expect(422)).body.errors).toEqual([
      { field: 'body.kind', message: 'Unknown field: kind' },
    ]);
    expect((await patch(linked.body.id, { articleId: unknownId }).expect(422)).body.errors).toEqual([
      { field: 'body.articleId', message: 'Unknown field: articleId' },
    ]);
    expect(fieldsOf(await patch(live.body.id, { url: null }).expect(422))).toEqual(['body.url']);
    expect(fieldsOf(await patch(linked.body.id, { url: 'https://example.org' }).expect(422))).toEqual(['body.url']);
    expect(fieldsOf(await patch(live.body.id, { visibleUntil: '2026-11-20T11:00:00.000Z' }).expect(422))).toEqual(['body.visibleUntil']);
    expect(fieldsOf(await patch(live.body.id, { rubricId: unknownId }).expect(422))).toEqual(['body.rubricId']);
    expect(await feedTable()).toEqual(before);
    await patch(live.body.id, { visibleFrom: null, visibleUntil: '2026-11-20T11:00:00.000Z' }).expect(200);
  });

  it('when the item does not exist, then 404 for reading, changing and deleting it', async () => {
    await t.http().get(`/v1/admin/feed-items/${unknownId}`).set(editor.headers).expect(404);
    await t
      .http()
      .patch(`/v1/admin/feed-items/${unknownId}`)
      .set(editor.headers)
      .set('If-Match', '"1"')
      .send({ headline: 'Нет' })
      .expect(404);
    await t.http().delete(`/v1/admin/feed-items/${unknownId}`).set(editor.headers).set('If-Match', '*').expect(404);
  });

  it('when listing, then every item comes newest first by publishedAt, filtered by kind, without repeats or gaps', async () => {
    const times = ['2026-11-19T10:00:00.000Z', '2026-11-21T10:00:00.000Z', '2026-11-19T10:00:00.000Z', '2026-11-18T10:00:00.000Z'];
    for (const publishedAt of times)
      await createItem({ kind: 'link', headline: 'Партнёрский материал', url: 'https://partner.example/news', publishedAt }).expect(201);
    const walk = async (query: Record<string, string>) => {
      const seen: { id: string; kind: string; publishedAt: string }[] = [];
      let cursor: string | null = null;
      do {
        const res: Response = await t
          .http()
          .get('/v1/admin/feed-items')
          .query({ ...query, limit: 2, ...(cursor ? { cursor } : {}) })
          .set(editor.headers)
          .expect(200);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor);
      return seen;
    };
    const all = await walk({});
    const rows = await prisma().feedItem.findMany();
    const expected = rows.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || (a.id < b.id ? 1 : -1)).map((r) => r.id);
    expect(all.map((i) => i.id)).toEqual(expected);
    const links = await walk({ kind: 'link' });
    expect(links.map((i) => i.publishedAt)).toEqual([...times].sort().reverse());
  });

  describe('who may do what', () => {
    it('when an author calls any feed-item route, then 403 and nothing changes', async () => {
      const author = await t.signIn('author');
      const existing = await createItem(broadcast).expect(201);
      const before = await feedTable();
      await t.http().get('/v1/admin/feed-items').set(author.headers).expect(403);
      await t.http().get(`/v1/admin/feed-items/${existing.body.id}`).set(author.headers).expect(403);
      await createItem(broadcast, author.headers).expect(403);
      await t.http().patch(`/v1/admin/feed-items/${existing.body.id}`).set(author.headers).send({ isPinned: true }).expect(403);
      await t.http().delete(`/v1/admin/feed-items/${existing.body.id}`).set(author.headers).expect(403);
      expect(await feedTable()).toEqual(before);
    });

    it('when an API key has the read scope, then it may list but not write; the feed goes public, so it takes the publish scope', async () => {
      const reader = await t.apiKey(['read']);
      await t.http().get('/v1/admin/feed-items').set(reader.headers).expect(200);
      await createItem(broadcast, reader.headers).expect(403);
      await createItem(broadcast, (await t.apiKey(['write'])).headers).expect(403);
      await createItem(broadcast, (await t.apiKey(['publish'])).headers).expect(201);
    });
  });
});
