import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { paragraph } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const rounds = 50;

describeEachDialect('articles under concurrent saves and retries', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'] });

  const createArticle = (title: string) =>
    t
      .http()
      .post('/v1/admin/articles')
      .set(editor.headers)
      .send({ title, body: [paragraph('Первый вариант текста.')] })
      .expect(201)
      .then((r) => r.body as { id: string });

  it(`when eight editors save the same article version at once, then exactly one wins, the rest get 412, and the winner's text is stored (${rounds} rounds)`, async () => {
    for (let round = 0; round < rounds; round++) {
      const article = await createArticle(`Правка ${round}`);
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          t
            .http()
            .patch(`/v1/admin/articles/${article.id}`)
            .set(editor.headers)
            .set('If-Match', '"1"')
            .send({ lead: `Лид редактора ${i}` }),
        ),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
      const winner = answers.find((r) => r.status === 200)!;
      const stored = await t.container.db.prisma.article.findUnique({ where: { id: article.id } });
      expect(stored).toMatchObject({ version: 2, lead: winner.body.lead });
      // One save, one revision: the losers left no trace.
      expect(await t.container.db.prisma.articleRevision.count({ where: { articleId: article.id } })).toBe(2);
      for (const loser of answers.filter((r) => r.status === 412))
        expect(loser.body.current).toMatchObject({ version: 2, lead: winner.body.lead });
    }
  }, 180_000);

  it(`when a save, a publish and a delete of the same version race, then exactly one happens (${rounds} rounds)`, async () => {
    for (let round = 0; round < rounds; round++) {
      const article = await createArticle(`Гонка действий ${round}`);
      const [saved, published, deleted] = await Promise.all([
        t.http().patch(`/v1/admin/articles/${article.id}`).set(editor.headers).set('If-Match', '"1"').send({ lead: 'Сохранено' }),
        t.http().post(`/v1/admin/articles/${article.id}/publish`).set(editor.headers).set('If-Match', '"1"'),
        t.http().delete(`/v1/admin/articles/${article.id}`).set(editor.headers).set('If-Match', '"1"'),
      ]);
      const statuses = [saved.status, published.status, deleted.status];
      expect(statuses.filter((s) => s === 200 || s === 204)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(2);
      const stored = await t.container.db.prisma.article.findUnique({ where: { id: article.id } });
      expect(stored?.version).toBe(2);
      if (saved.status === 200) expect(stored).toMatchObject({ lead: 'Сохранено', status: 'draft', deletedAt: null });
      if (published.status === 200) expect(stored).toMatchObject({ lead: null, status: 'published', deletedAt: null });
      if (deleted.status === 204) expect(stored).toMatchObject({ lead: null, status: 'draft', deletedAt: expect.any(Date) });
      const feedItems = await t.container.db.prisma.feedItem.count({ where: { articleId: article.id } });
      expect(feedItems).toBe(published.status === 200 ? 1 : 0);
    }
  }, 180_000);

  it(`when a wire importer sends the same story eight times at once with one Idempotency-Key, then one article exists and all eight answers are the first (${rounds} rounds)`, async () => {
    const importer = await t.apiKey(['write']);
    for (let round = 0; round < rounds; round++) {
      const key = randomUUID();
      const story = { title: `Сообщение агентства ${round}`, lead: 'Срочно.', body: [paragraph('Текст сообщения.')] };
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => t.http().post('/v1/admin/articles').set(importer.headers).set('Idempotency-Key', key).send(story)),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(8).fill(201));
      for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
      expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(7);
      expect(await t.container.db.prisma.article.count({ where: { title: story.title } })).toBe(1);
      expect(await t.container.db.prisma.articleRevision.count({ where: { articleId: answers[0]!.body.id } })).toBe(1);
    }
  }, 180_000);

  it(`when a publish is retried with its Idempotency-Key, then the retry gets the first 200, not a 412, and publishes nothing twice (${rounds} rounds)`, async () => {
    for (let round = 0; round < rounds; round++) {
      const article = await createArticle(`Повтор публикации ${round}`);
      const key = randomUUID();
      const publish = () =>
        t.http().post(`/v1/admin/articles/${article.id}/publish`).set(editor.headers).set('If-Match', '"1"').set('Idempotency-Key', key);
      const [first, retry] = await Promise.all([publish(), publish()]);
      expect([first.status, retry.status]).toEqual([200, 200]);
      expect(retry.body).toEqual(first.body);
      expect(await t.container.db.prisma.feedItem.count({ where: { articleId: article.id } })).toBe(1);
      expect(await t.container.db.prisma.auditEvent.count({ where: { action: 'article.publish', targetId: article.id } })).toBe(1);
    }
  }, 180_000);

  it('when the same key comes with another story, then 422 and no second article', async () => {
    const key = randomUUID();
    await t
      .http()
      .post('/v1/admin/articles')
      .set(editor.headers)
      .set('Idempotency-Key', key)
      .send({ title: 'Первая история', body: [paragraph('Текст.')] })
      .expect(201);
    const res = await t
      .http()
      .post('/v1/admin/articles')
      .set(editor.headers)
      .set('Idempotency-Key', key)
      .send({ title: 'Другая история', body: [paragraph('Текст.')] })
      .expect(422);
    expect(res.body.code).toBe('idempotency_key_reused');
    expect(await t.container.db.prisma.article.count({ where: { title: 'Другая история' } })).toBe(0);
  });
});
