import { describe, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { articleTables, paragraph } from './article-fixtures.ts';

describeEachDialect('who may do what with articles', (dialect) => {
  const { t, author, otherAuthor, editor, admin } = useTestApp(dialect, {
    users: { author: 'author', otherAuthor: 'author', editor: 'editor', admin: 'admin' },
  });

  const create = (who: { headers: Record<string, string> }, fields: Record<string, unknown> = {}) =>
    t
      .http()
      .post('/v1/admin/articles')
      .set(who.headers)
      .send({ title: 'Заметка в номер', body: [paragraph('Текст заметки.')], ...fields });
  const publish = (who: { headers: Record<string, string> }, id: string) =>
    t.http().post(`/v1/admin/articles/${id}/publish`).set(who.headers).set('If-Match', '*');
  const unpublish = (who: { headers: Record<string, string> }, id: string) =>
    t.http().post(`/v1/admin/articles/${id}/unpublish`).set(who.headers).set('If-Match', '*');
  const feedItemOf = (articleId: string) => t.container.db.prisma.feedItem.findUnique({ where: { articleId } });

  describe('bylines', () => {
    it('when an author creates without a byline, then they are the author; a byline without them is 422', async () => {
      expect((await create(author).expect(201)).body.authorIds).toEqual([author.user.id]);
      expect((await create(author, { authorIds: [author.user.id, otherAuthor.user.id] }).expect(201)).body.authorIds).toEqual([
        author.user.id,
        otherAuthor.user.id,
      ]);
      const before = await articleTables(t);
      const res = await create(author, { authorIds: [otherAuthor.user.id] }).expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.authorIds' })]);
      expect(await articleTables(t)).toBe(before);
    });

    it('when an editor creates without a byline, then the editor is the author; an admin and an API key start with none', async () => {
      expect((await create(editor).expect(201)).body.authorIds).toEqual([editor.user.id]);
      expect((await create(admin).expect(201)).body.authorIds).toEqual([]);
      const key = await t.apiKey(['write']);
      expect((await create(key).expect(201)).body.authorIds).toEqual([]);
      expect((await create(key, { authorIds: [author.user.id] }).expect(201)).body.authorIds).toEqual([author.user.id]);
    });

    it('when an author takes themselves off the byline of their draft, then 422', async () => {
      const draft = (await create(author).expect(201)).body;
      await t
        .http()
        .patch(`/v1/admin/articles/${draft.id}`)
        .set(author.headers)
        .set('If-Match', '*')
        .send({ authorIds: [otherAuthor.user.id] })
        .expect(422);
    });
  });

  describe("an author's reach", () => {
    it("when an author lists or opens articles, then they see only their own; others' are 404 to read, change or delete", async () => {
      const own = (await create(author, { title: 'Своя заметка' }).expect(201)).body;
      const foreign = (await create(editor, { title: 'Чужая заметка' }).expect(201)).body;

      const list = await t.http().get('/v1/admin/articles').query({ limit: 100 }).set(author.headers).expect(200);
      const ids = list.body.items.map((a: { id: string }) => a.id);
      expect(ids).toContain(own.id);
      expect(ids).not.toContain(foreign.id);
      expect(list.body.items.every((a: { authorIds: string[] }) => a.authorIds.includes(author.user.id))).toBe(true);

      const before = await articleTables(t);
      await t.http().get(`/v1/admin/articles/${foreign.id}`).set(author.headers).expect(404);
      await t
        .http()
        .patch(`/v1/admin/articles/${foreign.id}`)
        .set(author.headers)
        .set('If-Match', '*')
        .send({ title: 'Перехвачено' })
        .expect(404);
      await t.http().delete(`/v1/admin/articles/${foreign.id}`).set(author.headers).set('If-Match', '*').expect(404);
      expect(await articleTables(t)).toBe(before);
    });

    it('when an author edits and deletes their own draft, then it works', async () => {
      const own = (await create(author).expect(201)).body;
      const res = await t
        .http()
        .patch(`/v1/admin/articles/${own.id}`)
        .set(author.headers)
        .set('If-Match', '*')
        .send({ title: 'Заметка, исправленная автором' })
        .expect(200);
      expect(res.body.title).toBe('Заметка, исправленная автором');
      await t.http().delete(`/v1/admin/articles/${own.id}`).set(author.headers).set('If-Match', '*').expect(204);
    });

    it('when an author edits or deletes their own published article, then 403 and nothing changes', async () => {
      const own = (await create(author).expect(201)).body;
      await publish(editor, own.id).expect(200);
      const before = await articleTables(t);
      expect(
        (
          await t
            .http()
            .patch(`/v1/admin/articles/${own.id}`)
            .set(author.headers)
            .set('If-Match', '*')
            .send({ title: 'Правка после выхода' })
            .expect(403)
        ).body.code,
      ).toBe('forbidden');
      await t.http().delete(`/v1/admin/articles/${own.id}`).set(author.headers).set('If-Match', '*').expect(403);
      expect(await articleTables(t)).toBe(before);
    });

    it('when an author publishes or unpublishes, even their own article, then 403', async () => {
      const own = (await create(author).expect(201)).body;
      await publish(author, own.id).expect(403);
      await unpublish(author, own.id).expect(403);
      expect((await t.http().get(`/v1/admin/articles/${own.id}`).set(author.headers).expect(200)).body.status).toBe('draft');
    });
  });

  describe('publishing and the feed', () => {
    it('when an editor publishes, then it is published now and in the feed; publishing again is 409 and changes nothing', async () => {
      const draft = (await create(editor, { title: 'Открылся новый каток' }).expect(201)).body;
      t.clock.advance(5 * 60_000);
      const res = await publish(editor, draft.id).expect(200);
      expect(res.body).toMatchObject({ status: 'published', publishedAt: t.clock.now().toISOString() });
      expect(await feedItemOf(draft.id)).toMatchObject({ kind: 'article', headline: 'Открылся новый каток', publishedAt: t.clock.now() });

      const publishedAt = res.body.publishedAt;
      t.clock.advance(60_000);
      const again = await publish(editor, draft.id).expect(409);
      expect(again.body).toMatchObject({ code: 'invalid_transition', articleStatus: 'published' });
      expect((await t.http().get(`/v1/admin/articles/${draft.id}`).set(editor.headers).expect(200)).body.publishedAt).toBe(publishedAt);
      expect(await t.container.db.prisma.feedItem.count({ where: { articleId: draft.id } })).toBe(1);
    });

    it('when an editor unpublishes, then it is a draft again and its feed item is gone; publishing again dates it anew', async () => {
      const draft = (await create(editor, { title: 'Концерт перенесли' }).expect(201)).body;
      await publish(editor, draft.id).expect(200);
      const res = await unpublish(editor, draft.id).expect(200);
      expect(res.body).toMatchObject({ status: 'draft', publishedAt: null });
      expect(await feedItemOf(draft.id)).toBeNull();
      expect((await unpublish(editor, draft.id).expect(409)).body.allowedActions).toEqual(['submit', 'publish']);

      t.clock.advance(2 * 60_000);
      expect((await publish(editor, draft.id).expect(200)).body.publishedAt).toBe(t.clock.now().toISOString());
      expect((await feedItemOf(draft.id))?.publishedAt).toEqual(t.clock.now());
    });

    it('when showInFeed is off, then publishing leaves the feed alone; turning it on and off later puts and takes the item', async () => {
      const draft = (await create(editor, { title: 'Справка: как оформить пропуск', showInFeed: false }).expect(201)).body;
      await publish(editor, draft.id).expect(200);
      expect(await feedItemOf(draft.id)).toBeNull();

      const patch = (body: object) =>
        t.http().patch(`/v1/admin/articles/${draft.id}`).set(editor.headers).set('If-Match', '*').send(body).expect(200);
      await patch({ showInFeed: true });
      expect(await feedItemOf(draft.id)).toMatchObject({ headline: 'Справка: как оформить пропуск' });
      await patch({ title: 'Справка: как оформить пропуск в 2027 году' });
      expect(await feedItemOf(draft.id)).toMatchObject({ headline: 'Справка: как оформить пропуск в 2027 году' });
      await patch({ showInFeed: false });
      expect(await feedItemOf(draft.id)).toBeNull();
    });

    it('when a published article is deleted, then its feed item goes with it', async () => {
      const draft = (await create(editor, { title: 'Новость на удаление' }).expect(201)).body;
      await publish(editor, draft.id).expect(200);
      await t.http().delete(`/v1/admin/articles/${draft.id}`).set(editor.headers).set('If-Match', '*').expect(204);
      expect(await feedItemOf(draft.id)).toBeNull();
    });

    it('when an API key with the publish scope publishes, then 200; with only write, then 403', async () => {
      const draft = (await create(editor).expect(201)).body;
      await publish(await t.apiKey(['write']), draft.id).expect(403);
      await publish(await t.apiKey(['publish']), draft.id).expect(200);
    });

    it('when the article does not exist, then publishing is 404', async () => {
      await publish(editor, '0197a1b2-7c3d-7e4f-8a9b-000000000000').expect(404);
    });
  });
});
