import { describe, expect, it } from 'vitest';
import { articleTables, createDraft, createPublished, paragraph } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const broadcast = {
  kind: 'live',
  headline: 'Прямая трансляция: заседание городской думы о бюджете',
  url: 'https://live.example/duma-2026-11-20',
};

// Whatever changes what the public sees takes the right to publish: the editor or admin role, or an API key
// with the `publish` scope. A `write` key writes drafts.
describeEachDialect('what only publishers may change', (dialect) => {
  const { t, editor, writer, publisher } = useTestApp(dialect, {
    roles: ['editor'],
    keys: { writer: ['write'], publisher: ['write', 'publish'] },
  });

  const article = (id: string) => `/v1/admin/articles/${id}`;
  const patch = (headers: Record<string, string>, id: string, change: Record<string, unknown>) =>
    t.http().patch(article(id)).set(headers).set('If-Match', '*').send(change);
  const publicTitle = async (slug: string) => (await t.http().get(`/v1/articles/${slug}`).expect(200)).body.title as string;
  const scheduledTomorrow = async (title: string) => {
    const draft = await createDraft(t, { title });
    const tomorrow = new Date(t.clock.now().getTime() + 24 * 3600 * 1000).toISOString();
    return t.container.services.articles.publish(
      draft.id,
      { type: 'apiKey', apiKeyId: 'test', scopes: ['admin'] },
      { publishAt: tomorrow },
    );
  };

  describe('feed items', () => {
    const feedTable = () => t.container.db.prisma.feedItem.findMany({ orderBy: { id: 'asc' } });
    const createItem = (headers: Record<string, string>) => t.http().post('/v1/admin/feed-items').set(headers).send(broadcast);

    it('when a write key creates, pins or removes a feed item, then 403 and the feed is unchanged', async () => {
      const item = (await createItem(editor.headers).expect(201)).body;
      const before = await feedTable();
      const refused = await createItem(writer.headers).expect(403);
      expect(refused.type).toBe('application/problem+json');
      expect(refused.body.detail).toMatch(/"publish" scope/);
      await t.http().patch(`/v1/admin/feed-items/${item.id}`).set(writer.headers).set('If-Match', '*').send({ isPinned: true }).expect(403);
      await t.http().delete(`/v1/admin/feed-items/${item.id}`).set(writer.headers).set('If-Match', '*').expect(403);
      expect(await feedTable()).toEqual(before);
    });

    it('when a publish key creates and pins a feed item, then it is done', async () => {
      const item = (await createItem(publisher.headers).expect(201)).body;
      await t
        .http()
        .patch(`/v1/admin/feed-items/${item.id}`)
        .set(publisher.headers)
        .set('If-Match', '*')
        .send({ isPinned: true })
        .expect(200);
    });
  });

  describe('published and scheduled articles', () => {
    it('when a write key edits a published article, then 403 and nothing changes, in the public API either', async () => {
      const live = await createPublished(t, { title: 'Бюджет города принят' });
      const before = await articleTables(t);
      const res = await patch(writer.headers, live.id, { title: 'Бюджет города провален', body: [paragraph('Подменённый текст.')] }).expect(
        403,
      );
      expect(res.type).toBe('application/problem+json');
      expect(res.body.detail).toMatch(/"publish" scope/);
      expect(await articleTables(t)).toBe(before);
      expect(await publicTitle(live.slug)).toBe('Бюджет города принят');
    });

    it('when a write key edits a scheduled article, then 403 and nothing changes', async () => {
      const scheduled = await scheduledTomorrow('Новый мост откроют завтра');
      const before = await articleTables(t);
      await patch(writer.headers, scheduled.id, { title: 'Новый мост не откроют' }).expect(403);
      expect(await articleTables(t)).toBe(before);
    });

    it('when a write key restores an old revision of a published article or trashes it, then 403 and nothing changes', async () => {
      const live = await createPublished(t, { title: 'Первая редакция' });
      await patch(editor.headers, live.id, { title: 'Вторая редакция' }).expect(200);
      const revisions = (
        await t
          .http()
          .get(`${article(live.id)}/revisions`)
          .set(editor.headers)
          .expect(200)
      ).body.items as { id: string }[];
      const oldest = revisions.at(-1)!;
      const before = await articleTables(t);
      await t
        .http()
        .post(`${article(live.id)}/revisions/${oldest.id}/restore`)
        .set(writer.headers)
        .set('If-Match', '*')
        .expect(403);
      await t.http().delete(article(live.id)).set(writer.headers).set('If-Match', '*').expect(403);
      expect(await articleTables(t)).toBe(before);
      expect(await publicTitle(live.slug)).toBe('Вторая редакция');
    });

    it('when a key with the publish scope edits a published article, then 200 and the public sees the change', async () => {
      const live = await createPublished(t, { title: 'Пробки на мосту' });
      await patch(publisher.headers, live.id, { title: 'Пробки на мосту к вечеру' }).expect(200);
      expect(await publicTitle(live.slug)).toBe('Пробки на мосту к вечеру');
    });

    it('when an editor edits a published article, then 200 as before', async () => {
      const live = await createPublished(t, { title: 'Погода на выходные' });
      await patch(editor.headers, live.id, { lead: 'Ожидается снег.' }).expect(200);
    });
  });

  describe('drafts', () => {
    it('when a write key creates and edits a draft, submits it, and moves it to the trash, then each is done', async () => {
      const draft = (
        await t
          .http()
          .post('/v1/admin/articles')
          .set(writer.headers)
          .send({ title: 'Черновик', body: [paragraph('Текст.')] })
      ).body;
      expect(draft.status).toBe('draft');
      await patch(writer.headers, draft.id, { title: 'Черновик, правка' }).expect(200);
      await t
        .http()
        .post(`${article(draft.id)}/submit`)
        .set(writer.headers)
        .set('If-Match', '*')
        .expect(200);
      await patch(writer.headers, draft.id, { lead: 'На проверке.' }).expect(200);
      await t.http().delete(article(draft.id)).set(writer.headers).set('If-Match', '*').expect(204);
    });

    it('when a write key restores a trashed article that was published, then 200: it comes back a draft, not public', async () => {
      const live = await createPublished(t, { title: 'Снятая заметка' });
      await t.http().delete(article(live.id)).set(editor.headers).set('If-Match', '*').expect(204);
      const restored = await t
        .http()
        .post(`${article(live.id)}/restore`)
        .set(writer.headers)
        .set('If-Match', '*')
        .expect(200);
      expect(restored.body.status).toBe('draft');
      await t.http().get(`/v1/articles/${live.slug}`).expect(404);
    });
  });
});
