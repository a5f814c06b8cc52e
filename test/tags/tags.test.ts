import type { Response } from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const unknownId = '00000000-0000-7000-8000-000000000000';

describeEachDialect('managing tags', (dialect) => {
  const { t, editor, author } = useTestApp(dialect, { roles: ['editor', 'author'] });

  const tagsTable = () => t.container.db.prisma.tag.findMany({ orderBy: { id: 'asc' } });
  const createTag = (body: Record<string, unknown>, headers = editor.headers) => t.http().post('/v1/admin/tags').set(headers).send(body);

  it('when an editor creates, reads, lists, renames and deletes a tag, then each step answers as documented', async () => {
    const created = await createTag({ name: 'Выборы в Госдуму' }).expect(201);
    expect(created.body).toMatchObject({ name: 'Выборы в Госдуму', slug: 'vybory-v-gosdumu' });
    expect(created.body.createdAt).toMatch(/Z$/);
    const id = created.body.id as string;

    const read = await t.http().get(`/v1/admin/tags/${id}`).set(editor.headers).expect(200);
    expect(read.body).toEqual(created.body);
    expect(read.headers.etag).toBe('"1"');
    const list = await t.http().get('/v1/admin/tags').set(editor.headers).expect(200);
    expect(list.body.items.map((tag: { id: string }) => tag.id)).toContain(id);

    const renamed = await t
      .http()
      .patch(`/v1/admin/tags/${id}`)
      .set(editor.headers)
      .set('If-Match', read.headers.etag!)
      .send({ name: 'Выборы-2026' })
      .expect(200);
    expect(renamed.body).toMatchObject({ id, name: 'Выборы-2026', slug: 'vybory-v-gosdumu', version: 2 });
    expect(renamed.headers.etag).toBe('"2"');
    const reslugged = await t
      .http()
      .patch(`/v1/admin/tags/${id}`)
      .set(editor.headers)
      .set('If-Match', renamed.headers.etag!)
      .send({ slug: 'vybory-2026' })
      .expect(200);
    expect(reslugged.body.slug).toBe('vybory-2026');

    await t.http().delete(`/v1/admin/tags/${id}`).set(editor.headers).set('If-Match', `"${reslugged.body.version}"`).expect(204);
    await t.http().get(`/v1/admin/tags/${id}`).set(editor.headers).expect(404);
  });

  it('when the made slug is taken, then a numbered one is used; when a given slug is taken, then 409 and nothing changes', async () => {
    const first = await createTag({ name: 'Экономика' }).expect(201);
    const second = await createTag({ name: 'Экономика' }).expect(201);
    expect([first.body.slug, second.body.slug]).toEqual(['ekonomika', 'ekonomika-2']);

    const before = await tagsTable();
    const res = await createTag({ name: 'Финансы', slug: 'ekonomika' }).expect(409);
    expect(res.body.code).toBe('slug_taken');
    const patch = await t
      .http()
      .patch(`/v1/admin/tags/${second.body.id}`)
      .set(editor.headers)
      .set('If-Match', '"1"')
      .send({ slug: 'ekonomika' })
      .expect(409);
    expect(patch.body.code).toBe('slug_taken');
    expect(await tagsTable()).toEqual(before);
  });

  it('when the body is invalid or has unknown fields, then 422 naming each field and nothing changes', async () => {
    const before = await tagsTable();
    expect((await createTag({ name: '   ' }).expect(422)).body.errors).toEqual([{ field: 'body.name', message: expect.any(String) }]);
    expect((await createTag({ name: 'Культура', slug: 'Не латиница' }).expect(422)).body.errors).toEqual([
      { field: 'body.slug', message: expect.any(String) },
    ]);
    expect((await createTag({ name: 'Культура', color: 'red' }).expect(422)).body.errors).toEqual([
      { field: 'body.color', message: 'Unknown field: color' },
    ]);
    await createTag({}).expect(422);
    const existing = before[0]!;
    await t.http().patch(`/v1/admin/tags/${existing.id}`).set(editor.headers).send({ name: 42 }).expect(422);
    expect(await tagsTable()).toEqual(before);
  });

  it('when the tag does not exist, then 404 for reading, changing and deleting it', async () => {
    await t.http().get(`/v1/admin/tags/${unknownId}`).set(editor.headers).expect(404);
    await t.http().patch(`/v1/admin/tags/${unknownId}`).set(editor.headers).set('If-Match', '"1"').send({ name: 'Нет такого' }).expect(404);
    await t.http().delete(`/v1/admin/tags/${unknownId}`).set(editor.headers).set('If-Match', '*').expect(404);
  });

  describe('who may do what', () => {
    it('when an author adds a tag, then 201; when the author renames or deletes one, then 403 and it stays', async () => {
      const created = await createTag({ name: 'Наука' }, author.headers).expect(201);
      await t.http().get(`/v1/admin/tags/${created.body.id}`).set(author.headers).expect(200);
      await t.http().patch(`/v1/admin/tags/${created.body.id}`).set(author.headers).send({ name: 'Техника' }).expect(403);
      await t.http().delete(`/v1/admin/tags/${created.body.id}`).set(author.headers).expect(403);
      expect((await t.container.db.prisma.tag.findUnique({ where: { id: created.body.id } }))?.name).toBe('Наука');
    });

    it('when an API key has only the read scope, then it lists tags but cannot create one', async () => {
      const reader = await t.apiKey(['read']);
      await t.http().get('/v1/admin/tags').set(reader.headers).expect(200);
      await createTag({ name: 'Спорт' }, reader.headers).expect(403);
      const writer = await t.apiKey(['write']);
      await createTag({ name: 'Спорт' }, writer.headers).expect(201);
    });
  });

  it('when a tag used by an article is deleted, then the article loses the tag and keeps the rest', async () => {
    const prisma = t.container.db.prisma;
    const keep = await createTag({ name: 'Транспорт' }).expect(201);
    const drop = await createTag({ name: 'Метро' }).expect(201);
    const article = await prisma.article.create({
      data: { title: 'Новая станция метро', slug: 'novaya-stantsiya-metro', body: [], keyPoints: [], searchText: '' },
    });
    await prisma.articleTag.createMany({
      data: [
        { articleId: article.id, tagId: keep.body.id, position: 0 },
        { articleId: article.id, tagId: drop.body.id, position: 1 },
      ],
    });
    await t.http().delete(`/v1/admin/tags/${drop.body.id}`).set(editor.headers).set('If-Match', `"${drop.body.version}"`).expect(204);
    expect(await prisma.articleTag.findMany({ where: { articleId: article.id }, select: { tagId: true } })).toEqual([
      { tagId: keep.body.id },
    ]);
  });

  it('when other modules ask, then missingIds names the unknown ids and findIdBySlug finds by slug', async () => {
    const tags = t.container.services.tags;
    const known = await createTag({ name: 'Образование' }).expect(201);
    expect(await tags.missingIds([known.body.id, unknownId])).toEqual([unknownId]);
    expect(await tags.missingIds([])).toEqual([]);
    expect(await tags.findIdBySlug('obrazovanie')).toBe(known.body.id);
    expect(await tags.findIdBySlug('net-takogo')).toBeNull();
  });
});

describeEachDialect('public tags', (dialect) => {
  const { t } = useTestApp(dialect);
  beforeAll(async () => {
    const tags = t.container.services.tags;
    for (const name of ['Экономика', 'Армия', 'Погода', 'Москва', 'Армия', 'Гороскоп', 'Балет']) await tags.create({ name });
  });

  it('when paging through with a small limit, then every tag comes once, ordered by name then id', async () => {
    const seen: { id: string; name: string; slug: string }[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t
        .http()
        .get('/v1/tags')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    const rows = await t.container.db.prisma.tag.findMany();
    const expected = rows
      .map((r) => ({ id: r.id, name: r.name, slug: r.slug }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
    expect(seen).toEqual(expected);
    expect(seen.map((s) => s.name)).toEqual(['Армия', 'Армия', 'Балет', 'Гороскоп', 'Москва', 'Погода', 'Экономика']);
  });

  it('when the cursor is not one the list gave out, then 400', async () => {
    const res = await t.http().get('/v1/tags').query({ cursor: 'not-a-cursor' }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'query.cursor', message: 'Invalid cursor' }]);
  });
});

describeEachDialect('a public tag by slug', (dialect) => {
  // The public cache on, as in production: a tag page must not keep answering from before a change.
  const { t, editor } = useTestApp(dialect, { env: { PUBLIC_CACHE: 'on' }, roles: ['editor'] });

  it('when a tag is asked for by slug, then its name and slug, with no articles needed; an unknown or impossible slug is 404 or 400', async () => {
    const created = await t.container.services.tags.create({ name: 'Городской транспорт', slug: 'gorodskoy-transport' });
    const res = await t.http().get('/v1/tags/gorodskoy-transport').expect(200);
    expect(res.body).toEqual({ id: created.id, name: 'Городской транспорт', slug: 'gorodskoy-transport' });
    expect(res.headers['cache-control']).toMatch(/public/);
    await t.http().get('/v1/tags/no-such-tag').expect(404);
    await t
      .http()
      .get(`/v1/tags/${'x'.repeat(201)}`)
      .expect(400);
  });

  it('when a slug that answered 404 is given to a tag, or a tag is renamed, then the next read answers the change', async () => {
    await t.http().get('/v1/tags/vybory').expect(404);
    const created = await t.http().post('/v1/admin/tags').set(editor.headers).send({ name: 'Выборы', slug: 'vybory' }).expect(201);
    expect((await t.http().get('/v1/tags/vybory').expect(200)).body.name).toBe('Выборы');
    await t
      .http()
      .patch(`/v1/admin/tags/${created.body.id}`)
      .set(editor.headers)
      .set('If-Match', created.headers.etag!)
      .send({ name: 'Выборы-2026' })
      .expect(200);
    expect((await t.http().get('/v1/tags/vybory').expect(200)).body.name).toBe('Выборы-2026');
  });
});
