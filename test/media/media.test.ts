import type { Response } from 'supertest';
import { describe, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const unknownId = '00000000-0000-7000-8000-000000000000';

const photo = {
  kind: 'image',
  url: 'https://media.example/2026/11/stadium.jpg',
  mimeType: 'image/jpeg',
  width: 1920,
  height: 1080,
  caption: 'Болельщики на трибунах стадиона',
  credit: 'Городские новости/Анна Смирнова',
};

describeEachDialect('managing media', (dialect) => {
  const { t, editor, author, otherAuthor } = useTestApp(dialect, { roles: ['editor', 'author'], users: { otherAuthor: 'author' } });

  const prisma = () => t.container.db.prisma;
  const mediaTable = () => prisma().media.findMany({ orderBy: { id: 'asc' } });
  const createMedia = (body: Record<string, unknown> = {}, headers = editor.headers) =>
    t
      .http()
      .post('/v1/admin/media')
      .set(headers)
      .send({ ...photo, ...body });
  const insertArticle = (title: string, data: { coverMediaId?: string; narrationMediaId?: string } = {}) =>
    prisma().article.create({
      data: { title, slug: `a-${Math.random().toString(36).slice(2)}`, body: [], keyPoints: [], searchText: '', ...data },
    });

  it('when an editor registers, reads, updates and deletes a media item, then each step answers as documented', async () => {
    const created = await createMedia().expect(201);
    expect(created.body).toMatchObject({
      ...photo,
      sizeBytes: null,
      durationSeconds: null,
      altText: null,
      source: null,
      createdById: editor.user.id,
    });
    expect(created.body.createdAt).toBe(t.clock.now().toISOString());
    const id = created.body.id as string;

    expect((await t.http().get(`/v1/admin/media/${id}`).set(editor.headers).expect(200)).body).toEqual(created.body);
    const updated = await t
      .http()
      .patch(`/v1/admin/media/${id}`)
      .set(editor.headers)
      .set('If-Match', `"${created.body.version}"`)
      .send({ altText: 'Трибуны стадиона', width: null })
      .expect(200);
    expect(updated.body).toMatchObject({ id, altText: 'Трибуны стадиона', width: null, caption: photo.caption });

    expect(updated.body.version).toBe(created.body.version + 1);
    expect(updated.headers.etag).toBe(`"${updated.body.version}"`);
    await t.http().delete(`/v1/admin/media/${id}`).set(editor.headers).set('If-Match', `"${created.body.version}"`).expect(412);
    await t.http().delete(`/v1/admin/media/${id}`).set(editor.headers).expect(428);
    await t.http().delete(`/v1/admin/media/${id}`).set(editor.headers).set('If-Match', `"${updated.body.version}"`).expect(204);
    await t.http().get(`/v1/admin/media/${id}`).set(editor.headers).expect(404);
  });

  it('when the public asks for a media item, then it gets the public shape without who added it', async () => {
    const created = await createMedia().expect(201);
    const res = await t.http().get(`/v1/media/${created.body.id}`).expect(200);
    const { createdById, contentHash, version, ...publicShape } = created.body;
    expect([contentHash, version]).toEqual([null, 1]);
    expect(createdById).toBe(editor.user.id);
    expect(res.body).toEqual(publicShape);
    await t.http().get(`/v1/media/${unknownId}`).expect(404);
  });

  it('when an API key with the media scope adds media, then no user is recorded as its creator', async () => {
    const key = await t.apiKey(['media']);
    const res = await createMedia(
      { kind: 'audio', url: 'https://media.example/podcast.mp3', mimeType: 'audio/mpeg', durationSeconds: 312.5 },
      key.headers,
    ).expect(201);
    expect(res.body).toMatchObject({ kind: 'audio', durationSeconds: 312.5, createdById: null });
    const reader = await t.apiKey(['read']);
    await createMedia({}, reader.headers).expect(403);
    await t.http().get(`/v1/admin/media/${res.body.id}`).set(reader.headers).expect(200);
  });

  it('when the list is longer than a page, then it comes newest first, filtered by kind, without repeats', async () => {
    const ids: string[] = [];
    for (const kind of ['video', 'document', 'video', 'video']) {
      t.clock.advance(60_000);
      ids.push(
        (await createMedia({ kind, url: `https://media.example/${kind}.bin`, mimeType: 'application/octet-stream' }).expect(201)).body.id,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t
        .http()
        .get('/v1/admin/media')
        .query({ kind: 'video', limit: 2, ...(cursor ? { cursor } : {}) })
        .set(author.headers)
        .expect(200);
      expect(res.body.items.every((m: { kind: string }) => m.kind === 'video')).toBe(true);
      seen.push(...res.body.items.map((m: { id: string }) => m.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids[3], ids[2], ids[0]]);
    const all = await t.http().get('/v1/admin/media').query({ limit: 100 }).set(editor.headers).expect(200);
    expect(all.body.items.length).toBe(await prisma().media.count());
    await t.http().get('/v1/admin/media').query({ kind: 'hologram' }).set(editor.headers).expect(400);
  });

  it('when the body is invalid or has unknown fields, then 422 naming each field and nothing changes', async () => {
    const existing = await createMedia().expect(201);
    const before = await mediaTable();
    expect((await createMedia({ url: 'ftp://media.example/a.jpg' }).expect(422)).body.errors).toEqual([
      { field: 'body.url', message: expect.any(String) },
    ]);
    expect((await createMedia({ kind: 'hologram' }).expect(422)).body.errors).toEqual([
      { field: 'body.kind', message: expect.any(String) },
    ]);
    expect(
      (await createMedia({ width: -5, mimeType: 'jpeg' }).expect(422)).body.errors.map((e: { field: string }) => e.field).sort(),
    ).toEqual(['body.mimeType', 'body.width']);
    expect((await createMedia({ createdById: author.user.id }).expect(422)).body.errors).toEqual([
      { field: 'body.createdById', message: 'Unknown field: createdById' },
    ]);
    await t.http().post('/v1/admin/media').set(editor.headers).send({ kind: 'image' }).expect(422);
    await t.http().patch(`/v1/admin/media/${existing.body.id}`).set(editor.headers).set('If-Match', '*').send({ url: null }).expect(422);
    await t
      .http()
      .patch(`/v1/admin/media/${existing.body.id}`)
      .set(editor.headers)
      .set('If-Match', '*')
      .send({ id: unknownId })
      .expect(422);
    expect(await mediaTable()).toEqual(before);
  });

  it('when the media does not exist, then 404 for reading, changing and deleting it', async () => {
    await t.http().get(`/v1/admin/media/${unknownId}`).set(editor.headers).expect(404);
    await t.http().patch(`/v1/admin/media/${unknownId}`).set(author.headers).set('If-Match', '*').send({ caption: 'Нет' }).expect(404);
    await t.http().delete(`/v1/admin/media/${unknownId}`).set(author.headers).set('If-Match', '*').expect(404);
  });

  describe("an author and other people's media", () => {
    it('when an author changes or deletes media they added, then it is allowed', async () => {
      const own = await createMedia({}, author.headers).expect(201);
      expect(own.body.createdById).toBe(author.user.id);
      await t
        .http()
        .patch(`/v1/admin/media/${own.body.id}`)
        .set(author.headers)
        .set('If-Match', '*')
        .send({ caption: 'Вечерний матч' })
        .expect(200);
      await t.http().delete(`/v1/admin/media/${own.body.id}`).set(author.headers).set('If-Match', '*').expect(204);
    });

    it('when an author changes or deletes media someone else added, then 403 and it stays as it was', async () => {
      const others = await createMedia({}, otherAuthor.headers).expect(201);
      const byKey = await createMedia({}, (await t.apiKey(['media'])).headers).expect(201);
      const before = await mediaTable();
      for (const id of [others.body.id, byKey.body.id]) {
        const res = await t
          .http()
          .patch(`/v1/admin/media/${id}`)
          .set(author.headers)
          .set('If-Match', '*')
          .send({ caption: 'Чужое фото' })
          .expect(403);
        expect(res.body.code).toBe('forbidden');
        await t.http().delete(`/v1/admin/media/${id}`).set(author.headers).set('If-Match', '*').expect(403);
      }
      expect(await mediaTable()).toEqual(before);
      await t
        .http()
        .patch(`/v1/admin/media/${others.body.id}`)
        .set(editor.headers)
        .set('If-Match', '*')
        .send({ caption: 'Поправлено редактором' })
        .expect(200);
    });
  });

  describe('media in use', () => {
    it("when media is an article's cover, narration or body photo, then deleting it answers 409 listing the articles", async () => {
      const cover = await createMedia().expect(201);
      const narration = await createMedia({ kind: 'audio', url: 'https://media.example/voice.mp3', mimeType: 'audio/mpeg' }).expect(201);
      const bodyPhoto = await createMedia().expect(201);
      const first = await insertArticle('В центре города открыли новый сквер', { coverMediaId: cover.body.id });
      const second = await insertArticle('Городская дума приняла бюджет', { narrationMediaId: narration.body.id });
      const third = await insertArticle('Фоторепортаж с открытия катка', { coverMediaId: bodyPhoto.body.id });
      await prisma().articleBodyMedia.createMany({
        data: [
          { articleId: first.id, mediaId: bodyPhoto.body.id },
          { articleId: third.id, mediaId: bodyPhoto.body.id },
        ],
      });

      const before = await mediaTable();
      const coverRes = await t.http().delete(`/v1/admin/media/${cover.body.id}`).set(editor.headers).set('If-Match', '*').expect(409);
      expect(coverRes.body).toMatchObject({ code: 'media_in_use', articles: [{ id: first.id, title: first.title, status: 'draft' }] });
      const narrationRes = await t
        .http()
        .delete(`/v1/admin/media/${narration.body.id}`)
        .set(editor.headers)
        .set('If-Match', '*')
        .expect(409);
      expect(narrationRes.body.articles).toEqual([{ id: second.id, title: second.title, status: 'draft' }]);
      const bodyRes = await t.http().delete(`/v1/admin/media/${bodyPhoto.body.id}`).set(editor.headers).set('If-Match', '*').expect(409);
      expect(bodyRes.body.articles).toHaveLength(2);
      expect(bodyRes.body.articles).toEqual(
        expect.arrayContaining([
          { id: first.id, title: first.title, status: 'draft' },
          { id: third.id, title: third.title, status: 'draft' },
        ]),
      );
      expect(await mediaTable()).toEqual(before);
    });

    it("when media is a user's avatar, then deleting it answers 409", async () => {
      const avatar = await createMedia().expect(201);
      await prisma().user.update({ where: { id: otherAuthor.user.id }, data: { avatarMediaId: avatar.body.id } });
      const res = await t.http().delete(`/v1/admin/media/${avatar.body.id}`).set(editor.headers).set('If-Match', '*').expect(409);
      expect(res.body).toMatchObject({ code: 'media_in_use', articles: [] });
      expect(res.body.detail).toMatch(/avatar/);
      await t.http().get(`/v1/admin/media/${avatar.body.id}`).set(editor.headers).expect(200);
    });

    it('when media in use would change its kind, then 409; other changes are allowed', async () => {
      const cover = await createMedia().expect(201);
      await insertArticle('Снегопад парализовал движение', { coverMediaId: cover.body.id });
      const res = await t
        .http()
        .patch(`/v1/admin/media/${cover.body.id}`)
        .set(editor.headers)
        .set('If-Match', '*')
        .send({ kind: 'document' })
        .expect(409);
      expect(res.body.code).toBe('media_in_use');
      await t
        .http()
        .patch(`/v1/admin/media/${cover.body.id}`)
        .set(editor.headers)
        .set('If-Match', '*')
        .send({ kind: 'image', caption: 'Снег на Тверской' })
        .expect(200);
    });
  });

  it('when other modules ask for the kinds of media, then existing ids map to their kind and unknown ids are left out', async () => {
    const image = await createMedia().expect(201);
    const audio = await createMedia({ kind: 'audio', url: 'https://media.example/a.mp3', mimeType: 'audio/mpeg' }).expect(201);
    const kinds = await t.container.services.media.kindsOf([image.body.id, audio.body.id, unknownId, image.body.id]);
    expect(Object.fromEntries(kinds)).toEqual({ [image.body.id]: 'image', [audio.body.id]: 'audio' });
    expect((await t.container.services.media.kindsOf([])).size).toBe(0);
  });
});
