import { describe, expect, it } from 'vitest';
import { articleTables, paragraph } from './article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

describeEachDialect('article revisions', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'] });
  // Saves here are minutes apart: a token signed now is valid at the time it is used.
  const desk = () => ({ Authorization: `Bearer ${t.container.tokens.sign(editor.user.id, editor.sessionId)}` });

  const base = (id: string) => `/v1/admin/articles/${id}`;

  /** An article saved three times: created, retitled, its body reworked. */
  async function articleWithHistory() {
    const created = await t
      .http()
      .post('/v1/admin/articles')
      .set(desk())
      .send({
        title: 'Мост закроют на ремонт',
        lead: 'Движение перекроют на месяц.',
        body: [paragraph('Ремонт начнётся в понедельник.'), paragraph('Объезд пройдёт по набережной.')],
      })
      .expect(201);
    t.clock.advance(60_000);
    await t
      .http()
      .patch(base(created.body.id))
      .set(desk())
      .set('If-Match', '"1"')
      .send({ title: 'Мост закроют на ремонт до весны' })
      .expect(200);
    t.clock.advance(60_000);
    const third = await t
      .http()
      .patch(base(created.body.id))
      .set(desk())
      .set('If-Match', '"2"')
      .send({
        body: [
          paragraph('Ремонт начнётся во вторник.'),
          paragraph('Объезд пройдёт по набережной.'),
          { type: 'quote', text: 'Успеем к апрелю.', attribution: 'Подрядчик' },
        ],
      })
      .expect(200);
    return third.body as { id: string; slug: string; version: number };
  }

  it('when an article is saved, then each save is a revision with who, when and the full content, newest first', async () => {
    const article = await articleWithHistory();
    const list = await t
      .http()
      .get(`${base(article.id)}/revisions`)
      .set(desk())
      .expect(200);
    expect(list.body.items.map((r: { number: number }) => r.number)).toEqual([3, 2, 1]);
    for (const revision of list.body.items) expect(revision.actor).toBe(`user:${editor.user.id}`);
    expect(list.body.items[2].createdAt).toBe('2026-11-20T09:00:00.000Z');
    expect(list.body.items[0].createdAt).toBe('2026-11-20T09:02:00.000Z');

    const first = await t
      .http()
      .get(`${base(article.id)}/revisions/${list.body.items[2].id}`)
      .set(desk())
      .expect(200);
    expect(first.body.content).toMatchObject({
      title: 'Мост закроют на ремонт',
      lead: 'Движение перекроют на месяц.',
      body: [paragraph('Ремонт начнётся в понедельник.'), paragraph('Объезд пройдёт по набережной.')],
    });
  });

  it('when revisions are paged, then the cursor walks them all once', async () => {
    const article = await articleWithHistory();
    const page1 = await t
      .http()
      .get(`${base(article.id)}/revisions`)
      .query({ limit: 2 })
      .set(desk())
      .expect(200);
    const page2 = await t
      .http()
      .get(`${base(article.id)}/revisions`)
      .query({ limit: 2, cursor: page1.body.nextCursor })
      .set(desk())
      .expect(200);
    expect([...page1.body.items, ...page2.body.items].map((r: { number: number }) => r.number)).toEqual([3, 2, 1]);
    expect(page2.body.nextCursor).toBeNull();
  });

  it('when two revisions are compared, then the diff names the changed fields and the changed, added and removed blocks', async () => {
    const article = await articleWithHistory();
    const [third, , first] = (
      await t
        .http()
        .get(`${base(article.id)}/revisions`)
        .set(desk())
        .expect(200)
    ).body.items;
    const diff = await t
      .http()
      .get(`${base(article.id)}/revisions/${first.id}/diff`)
      .query({ to: third.id })
      .set(desk())
      .expect(200);
    expect(diff.body.from).toEqual({ id: first.id, number: 1 });
    expect(diff.body.to).toEqual({ id: third.id, number: 3 });
    expect(diff.body.fields).toEqual([{ field: 'title', from: 'Мост закроют на ремонт', to: 'Мост закроют на ремонт до весны' }]);
    expect(diff.body.blocks).toEqual([
      {
        change: 'changed',
        fromIndex: 0,
        toIndex: 0,
        from: paragraph('Ремонт начнётся в понедельник.'),
        to: paragraph('Ремонт начнётся во вторник.'),
      },
      {
        change: 'added',
        fromIndex: null,
        toIndex: 2,
        from: null,
        to: { type: 'quote', text: 'Успеем к апрелю.', attribution: 'Подрядчик' },
      },
    ]);
    // Without `to`, against the newest; the other way round, the quote is removed.
    expect(
      (
        await t
          .http()
          .get(`${base(article.id)}/revisions/${first.id}/diff`)
          .set(desk())
          .expect(200)
      ).body,
    ).toEqual(diff.body);
    const back = await t
      .http()
      .get(`${base(article.id)}/revisions/${third.id}/diff`)
      .query({ to: first.id })
      .set(desk())
      .expect(200);
    expect(back.body.blocks).toContainEqual(expect.objectContaining({ change: 'removed', fromIndex: 2, toIndex: null }));
  });

  it('when a revision is restored, then its content is saved as a new revision and nothing is lost', async () => {
    const article = await articleWithHistory();
    const revisions = (
      await t
        .http()
        .get(`${base(article.id)}/revisions`)
        .set(desk())
        .expect(200)
    ).body.items;
    const first = revisions[2];
    const restored = await t
      .http()
      .post(`${base(article.id)}/revisions/${first.id}/restore`)
      .set(desk())
      .set('If-Match', '"3"')
      .expect(200);
    expect(restored.body).toMatchObject({
      version: 4,
      title: 'Мост закроют на ремонт',
      body: [paragraph('Ремонт начнётся в понедельник.'), paragraph('Объезд пройдёт по набережной.')],
    });
    expect(restored.headers.etag).toBe('"4"');
    const after = (
      await t
        .http()
        .get(`${base(article.id)}/revisions`)
        .set(desk())
        .expect(200)
    ).body.items;
    expect(after.map((r: { number: number }) => r.number)).toEqual([4, 3, 2, 1]);
    const audit = await t.container.db.prisma.auditEvent.findFirst({ where: { action: 'article.revision.restore', targetId: article.id } });
    expect(audit?.details).toMatchObject({ revisionId: first.id });
  });

  it('when a restore names a stale version, then 412 and nothing changes; without If-Match, 428', async () => {
    const article = await articleWithHistory();
    const first = (
      await t
        .http()
        .get(`${base(article.id)}/revisions`)
        .set(desk())
        .expect(200)
    ).body.items[2];
    const before = await articleTables(t);
    await t
      .http()
      .post(`${base(article.id)}/revisions/${first.id}/restore`)
      .set(desk())
      .set('If-Match', '"2"')
      .expect(412);
    await t
      .http()
      .post(`${base(article.id)}/revisions/${first.id}/restore`)
      .set(desk())
      .expect(428);
    expect(await articleTables(t)).toBe(before);
  });

  it('when a revision belongs to another article or does not exist, then 404', async () => {
    const one = await articleWithHistory();
    const other = await articleWithHistory();
    const foreign = (
      await t
        .http()
        .get(`${base(other.id)}/revisions`)
        .set(desk())
        .expect(200)
    ).body.items[0];
    await t
      .http()
      .get(`${base(one.id)}/revisions/${foreign.id}`)
      .set(desk())
      .expect(404);
    await t
      .http()
      .get(`${base(one.id)}/revisions/${foreign.id}/diff`)
      .set(desk())
      .expect(404);
    await t
      .http()
      .post(`${base(one.id)}/revisions/${foreign.id}/restore`)
      .set(desk())
      .set('If-Match', '"3"')
      .expect(404);
    await t
      .http()
      .get(`${base(one.id)}/revisions/no-such-revision`)
      .set(desk())
      .expect(404);
  });

  it('when an author reads the revisions of an article they are not on, then it is not found', async () => {
    const article = await articleWithHistory();
    const author = await t.signIn('author');
    await t
      .http()
      .get(`${base(article.id)}/revisions`)
      .set(author.headers)
      .expect(404);
  });
});

describeEachDialect('the article trash', (dialect) => {
  const { t, admin, editor } = useTestApp(dialect, { roles: ['admin', 'editor'] });

  async function published(title: string) {
    const created = await t
      .http()
      .post('/v1/admin/articles')
      .set(editor.headers)
      .send({ title, body: [paragraph('Текст.')] })
      .expect(201);
    return (await t.http().post(`/v1/admin/articles/${created.body.id}/publish`).set(editor.headers).set('If-Match', '"1"').expect(200))
      .body as { id: string; slug: string; version: number };
  }
  const inFeed = async (id: string) =>
    (await t.http().get('/v1/feed').expect(200)).body.items.some((i: { article: { id: string } | null }) => i.article?.id === id);

  it('when an article is deleted, then it leaves the public API and the feed, stays readable to the desk, and refuses changes', async () => {
    const article = await published('Удалённая новость');
    expect(await inFeed(article.id)).toBe(true);
    await t.http().delete(`/v1/admin/articles/${article.id}`).set(editor.headers).set('If-Match', '"2"').expect(204);
    await t.http().get(`/v1/articles/${article.slug}`).expect(404);
    expect(await inFeed(article.id)).toBe(false);
    const trashed = await t.http().get(`/v1/admin/articles/${article.id}`).set(editor.headers).expect(200);
    expect(trashed.body.deletedAt).toBe(t.clock.now().toISOString());
    const listed = await t.http().get('/v1/admin/articles').query({ inTrash: 'true' }).set(editor.headers).expect(200);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toContain(article.id);
    expect(
      (await t.http().get('/v1/admin/articles').set(editor.headers).expect(200)).body.items.map((a: { id: string }) => a.id),
    ).not.toContain(article.id);

    const events = await t.container.db.prisma.auditEvent.findMany({ where: { targetId: article.id }, orderBy: { at: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['article.create', 'article.publish', 'article.delete']));
    for (const event of events) expect(event.actor).toBe(`user:${editor.user.id}`);

    const version = `"${trashed.body.version}"`;
    const patch = await t
      .http()
      .patch(`/v1/admin/articles/${article.id}`)
      .set(editor.headers)
      .set('If-Match', version)
      .send({ lead: 'Нет' })
      .expect(409);
    expect(patch.body.code).toBe('article_in_trash');
    expect(
      (await t.http().post(`/v1/admin/articles/${article.id}/publish`).set(editor.headers).set('If-Match', version).expect(409)).body.code,
    ).toBe('article_in_trash');
    expect(
      (await t.http().delete(`/v1/admin/articles/${article.id}`).set(editor.headers).set('If-Match', version).expect(409)).body.code,
    ).toBe('article_in_trash');
  });

  it('when a trashed article is restored, then it comes back as a draft with its content and history', async () => {
    const article = await published('Вернётся из корзины');
    await t.http().delete(`/v1/admin/articles/${article.id}`).set(editor.headers).set('If-Match', '"2"').expect(204);
    const restored = await t.http().post(`/v1/admin/articles/${article.id}/restore`).set(editor.headers).set('If-Match', '"3"').expect(200);
    expect(restored.body).toMatchObject({ status: 'draft', deletedAt: null, title: 'Вернётся из корзины', version: 4 });
    await t.http().get(`/v1/articles/${article.slug}`).expect(404);
    const again = await t.http().post(`/v1/admin/articles/${article.id}/restore`).set(editor.headers).set('If-Match', '"4"').expect(409);
    expect(again.body.code).toBe('article_not_in_trash');
    await t.http().post(`/v1/admin/articles/${article.id}/publish`).set(editor.headers).set('If-Match', '"4"').expect(200);
    await t.http().get(`/v1/articles/${article.slug}`).expect(200);
    expect(
      (await t.http().get(`/v1/admin/articles/${article.id}/revisions`).set(editor.headers).expect(200)).body.items.length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('when anyone but an admin empties the trash, then 403; an admin deletes only the trashed articles for good', async () => {
    const kept = await published('Останется');
    const gone = await published('Уйдёт навсегда');
    await t.http().delete(`/v1/admin/articles/${gone.id}`).set(editor.headers).set('If-Match', '"2"').expect(204);
    const before = await articleTables(t);
    await t.http().delete('/v1/admin/trash/articles').set(editor.headers).expect(403);
    await t
      .http()
      .delete('/v1/admin/trash/articles')
      .set((await t.apiKey(['write', 'publish'])).headers)
      .expect(403);
    expect(await articleTables(t)).toBe(before);

    const emptied = await t.http().delete('/v1/admin/trash/articles').set(admin.headers).expect(200);
    expect(emptied.body.deleted).toBeGreaterThanOrEqual(1);
    await t.http().get(`/v1/admin/articles/${gone.id}`).set(admin.headers).expect(404);
    await t.http().post(`/v1/admin/articles/${gone.id}/restore`).set(admin.headers).set('If-Match', '*').expect(404);
    await t.http().get(`/v1/admin/articles/${kept.id}`).set(admin.headers).expect(200);
    expect(await t.container.db.prisma.articleRevision.count({ where: { articleId: gone.id } })).toBe(0);
    const audit = await t.container.db.prisma.auditEvent.findFirst({ where: { action: 'article.trash.empty' } });
    expect(audit).toMatchObject({ actor: `user:${admin.user.id}` });
  });

  describe('an author', () => {
    it('when an author deletes their own draft, then it goes to the trash and they can bring it back', async () => {
      const author = await t.signIn('author');
      const draft = await t
        .http()
        .post('/v1/admin/articles')
        .set(author.headers)
        .send({ title: 'Мой черновик', body: [paragraph('Текст.')] })
        .expect(201);
      await t.http().delete(`/v1/admin/articles/${draft.body.id}`).set(author.headers).set('If-Match', '"1"').expect(204);
      await t.http().post(`/v1/admin/articles/${draft.body.id}/restore`).set(author.headers).set('If-Match', '"2"').expect(200);
      await t.http().delete('/v1/admin/trash/articles').set(author.headers).expect(403);
    });
  });
});
