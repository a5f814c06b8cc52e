import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { createLiveArticle, paragraph, postEntry } from './live-fixtures.ts';

describeEachDialect('live coverage: entries and their access', (dialect) => {
  const { t, editor, reporter, outsider, writer, publisher } = useTestApp(dialect, {
    roles: ['editor'],
    users: { reporter: { role: 'author', displayName: 'Анна Репортёрова' }, outsider: 'author' },
    keys: { writer: ['write'], publisher: ['publish'] },
  });
  let article: { id: string; slug: string };
  beforeAll(async () => {
    article = await createLiveArticle(t, editor, {
      title: 'Заседание городской думы: онлайн',
      authorIds: [editor.user.id, reporter.user.id],
    });
  });
  const prisma = () => t.container.db.prisma;
  const entryUrl = (id: string) => `/v1/admin/articles/${article.id}/live-entries/${id}`;

  it('when an editor creates a live article, then it has the live format and its coverage started', async () => {
    const read = await t.http().get(`/v1/admin/articles/${article.id}`).set(editor.headers).expect(200);
    expect(read.body).toMatchObject({ format: 'live', coverageStartedAt: expect.any(String), coverageEndedAt: null, status: 'published' });
  });

  it('when an editor posts, reads, edits and deletes an entry, then each step answers with ETags and keeps revisions', async () => {
    const body = { title: 'Заседание открыто', body: [paragraph('Председатель открыл заседание в 10:00.')], isKeyEvent: true };
    const created = await postEntry(t, article.id, { ...editor.headers, 'Idempotency-Key': 'entry-open-1' }, body).expect(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ ...body, articleId: article.id, isPinned: false, authorIds: [editor.user.id], version: 1 });
    const replayed = await postEntry(t, article.id, { ...editor.headers, 'Idempotency-Key': 'entry-open-1' }, body).expect(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.id).toBe(created.body.id);

    const id = created.body.id as string;
    const read = await t.http().get(entryUrl(id)).set(editor.headers).expect(200);
    expect(read.body).toEqual(created.body);
    await t.http().patch(entryUrl(id)).set(editor.headers).send({ title: 'Без If-Match' }).expect(428);
    await t.http().patch(entryUrl(id)).set(editor.headers).set('If-Match', '"7"').send({ title: 'Старая версия' }).expect(412);
    const edited = await t
      .http()
      .patch(entryUrl(id))
      .set(editor.headers)
      .set('If-Match', read.headers.etag!)
      .send({ title: 'Заседание открыто с опозданием' })
      .expect(200);
    expect(edited.body).toMatchObject({ title: 'Заседание открыто с опозданием', version: 2 });
    const revisions = await t
      .http()
      .get(`${entryUrl(id)}/revisions`)
      .set(editor.headers)
      .expect(200);
    expect(revisions.body.items.map((r: { number: number; content: { title: string } }) => [r.number, r.content.title])).toEqual([
      [2, 'Заседание открыто с опозданием'],
      [1, 'Заседание открыто'],
    ]);
    expect(revisions.body.items[0].actor).toBe(`user:${editor.user.id}`);

    await t.http().delete(entryUrl(id)).set(editor.headers).set('If-Match', edited.headers.etag!).expect(204);
    await t.http().get(entryUrl(id)).set(editor.headers).expect(404);
    const audit = await prisma().auditEvent.findMany({ where: { targetType: 'live_entry', targetId: id }, orderBy: { at: 'asc' } });
    expect(audit.map((e) => e.action)).toEqual(['live_entry.create', 'live_entry.update', 'live_entry.delete']);
  });

  it('when an entry is posted to a standard article, then 409 article_not_live and nothing is written', async () => {
    const standard = await t
      .http()
      .post('/v1/admin/articles')
      .set(editor.headers)
      .send({ title: 'Обычная заметка о бюджете', body: [paragraph('Текст заметки.')] })
      .expect(201);
    const res = await postEntry(t, standard.body.id, editor.headers, { body: [paragraph('Не место для записи.')] }).expect(409);
    expect(res.body.code).toBe('article_not_live');
    expect(await prisma().liveEntry.count({ where: { articleId: standard.body.id } })).toBe(0);
  });

  it('when an author on the byline posts, then it is theirs; an author off the byline is 404, and may not edit the others', async () => {
    const own = await postEntry(t, article.id, reporter.headers, { body: [paragraph('Депутаты спорят о тарифах на проезд.')] }).expect(201);
    expect(own.body.authorIds).toEqual([reporter.user.id]);
    await postEntry(t, article.id, outsider.headers, { body: [paragraph('Посторонний репортаж.')] }).expect(404);

    const editors = await postEntry(t, article.id, editor.headers, { body: [paragraph('Запись редактора.')] }).expect(201);
    const refused = await t
      .http()
      .patch(entryUrl(editors.body.id))
      .set(reporter.headers)
      .set('If-Match', '"1"')
      .send({ title: 'Чужая правка' })
      .expect(403);
    expect(refused.body.code).toBe('forbidden');
    await t.http().patch(entryUrl(own.body.id)).set(reporter.headers).set('If-Match', '"1"').send({ title: 'Своя правка' }).expect(200);
  });

  it('when an API key posts, then a `write` key is 403 and a `publish` key may', async () => {
    await postEntry(t, article.id, writer.headers, { body: [paragraph('Запись от ключа записи.')] }).expect(403);
    const res = await postEntry(t, article.id, publisher.headers, { body: [paragraph('Запись из системы вёрстки.')] }).expect(201);
    expect(res.body.authorIds).toEqual([]);
  });

  it('when a second entry is pinned, then the first is unpinned in the same write', async () => {
    const first = await postEntry(t, article.id, editor.headers, { body: [paragraph('Главное на этот час.')], isPinned: true }).expect(201);
    const second = await postEntry(t, article.id, editor.headers, { body: [paragraph('Главное к полудню.')], isPinned: true }).expect(201);
    const pinned = await prisma().liveEntry.findMany({ where: { articleId: article.id, isPinned: true, deletedAt: null } });
    expect(pinned.map((e) => e.id)).toEqual([second.body.id]);
    const firstNow = await t.http().get(entryUrl(first.body.id)).set(editor.headers).expect(200);
    expect(firstNow.body).toMatchObject({ isPinned: false, version: 2 });
  });

  it('when several entries are pinned at the same moment, then exactly one stays pinned', async () => {
    const posts = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => postEntry(t, article.id, editor.headers, { body: [paragraph(`Срочно, версия ${n}.`)], isPinned: true })),
    );
    expect(posts.map((res) => res.status)).toEqual([201, 201, 201, 201, 201]);
    expect(await prisma().liveEntry.count({ where: { articleId: article.id, isPinned: true, deletedAt: null } })).toBe(1);
  });

  it('when entries are posted, then webhook events live_entry.* are recorded with the article and the keys to purge', async () => {
    await t
      .http()
      .post('/v1/admin/webhooks')
      .set(editor.headers)
      .send({ url: 'https://hooks.example/live', events: ['live_entry.*'] })
      .expect((res) => expect([201, 403]).toContain(res.status));
    const created = await postEntry(t, article.id, editor.headers, { body: [paragraph('Запись для вебхука.')] }).expect(201);
    await t.http().delete(entryUrl(created.body.id)).set(editor.headers).set('If-Match', '"1"').expect(204);
    const events = await prisma().webhookEvent.findMany({ where: { entityId: created.body.id }, orderBy: { occurredAt: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['live_entry.created', 'live_entry.deleted']);
    expect(events[0]!.data).toMatchObject({
      id: created.body.id,
      articleId: article.id,
      // With `all`, as every write that changes public answers (the answers of routes that name no keys).
      surrogateKeys: [`article:${article.id}`, `live-entries:${article.id}`, 'all'],
    });
  });

  it('when an editor ends and resumes the coverage, then If-Match is checked and the article says so', async () => {
    const current = await t.http().get(`/v1/admin/articles/${article.id}`).set(editor.headers).expect(200);
    await t.http().post(`/v1/admin/articles/${article.id}/end-coverage`).set(editor.headers).set('If-Match', '"999"').expect(412);
    await t
      .http()
      .post(`/v1/admin/articles/${article.id}/end-coverage`)
      .set(reporter.headers)
      .set('If-Match', current.headers.etag!)
      .expect(403);
    const ended = await t
      .http()
      .post(`/v1/admin/articles/${article.id}/end-coverage`)
      .set(editor.headers)
      .set('If-Match', current.headers.etag!)
      .expect(200);
    expect(ended.body.coverageEndedAt).toBe(t.clock.now().toISOString());
    const again = await t
      .http()
      .post(`/v1/admin/articles/${article.id}/end-coverage`)
      .set(editor.headers)
      .set('If-Match', ended.headers.etag!);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('coverage_ended');
    const resumed = await t
      .http()
      .post(`/v1/admin/articles/${article.id}/resume-coverage`)
      .set(editor.headers)
      .set('If-Match', ended.headers.etag!)
      .expect(200);
    expect(resumed.body.coverageEndedAt).toBeNull();
  });
});
