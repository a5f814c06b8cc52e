import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

describeEachDialect('articles in the feed (for the articles module)', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'] });

  const prisma = () => t.container.db.prisma;
  const feed = () => t.container.services.feed;
  const insertArticle = (title: string, rubricId: string | null = null) =>
    prisma().article.create({
      data: {
        title,
        slug: `a-${Math.random().toString(36).slice(2)}`,
        body: [],
        keyPoints: [],
        searchText: '',
        status: 'published',
        publishedAt: new Date('2026-11-20T08:00:00.000Z'),
        rubricId,
      },
    });
  const itemOf = (articleId: string) => prisma().feedItem.findUnique({ where: { articleId } });

  it('when an article is put in the feed in a transaction, then it gets an article item with its title, rubric and time', async () => {
    const rubric = await t.container.services.rubrics.create({ name: 'Общество' });
    const article = await insertArticle('Волонтёры собрали тонну гуманитарной помощи', rubric.id);
    await prisma().$transaction((tx) =>
      feed().putArticleInFeed(tx, { id: article.id, title: article.title, rubricId: rubric.id, publishedAt: article.publishedAt! }),
    );
    expect(await itemOf(article.id)).toMatchObject({
      kind: 'article',
      headline: article.title,
      rubricId: rubric.id,
      url: null,
      isPinned: false,
      publishedAt: article.publishedAt,
    });
    const res = await t.http().get('/v1/feed').expect(200);
    expect(res.body.items.map((i: { article: { id: string } | null }) => i.article?.id)).toContain(article.id);
  });

  it('when a pinned article is published again, then its item takes the new time, title and rubric and stays pinned', async () => {
    const first = await t.container.services.rubrics.create({ name: 'Культура' });
    const second = await t.container.services.rubrics.create({ name: 'Театр' });
    const article = await insertArticle('Премьера в драмтеатре', first.id);
    await prisma().$transaction((tx) =>
      feed().putArticleInFeed(tx, { id: article.id, title: article.title, rubricId: first.id, publishedAt: article.publishedAt! }),
    );
    const item = (await itemOf(article.id))!;
    await t
      .http()
      .patch(`/v1/admin/feed-items/${item.id}`)
      .set(editor.headers)
      .set('If-Match', `"${item.version}"`)
      .send({ isPinned: true, visibleUntil: '2026-12-01T00:00:00.000Z' })
      .expect(200);

    const republishedAt = new Date('2026-11-21T10:00:00.000Z');
    await prisma().$transaction((tx) =>
      feed().putArticleInFeed(tx, {
        id: article.id,
        title: 'Премьера в драмтеатре перенесена',
        rubricId: second.id,
        publishedAt: republishedAt,
      }),
    );
    const after = (await itemOf(article.id))!;
    expect(after).toMatchObject({
      id: item.id,
      headline: 'Премьера в драмтеатре перенесена',
      rubricId: second.id,
      publishedAt: republishedAt,
      isPinned: true,
      visibleUntil: new Date('2026-12-01T00:00:00.000Z'),
    });
    expect(await prisma().feedItem.count({ where: { articleId: article.id } })).toBe(1);
  });

  it('when an article is taken out of the feed, then its item goes, and taking it out again is no error', async () => {
    const article = await insertArticle('Снегопад в столице');
    await prisma().$transaction((tx) =>
      feed().putArticleInFeed(tx, { id: article.id, title: article.title, rubricId: null, publishedAt: article.publishedAt! }),
    );
    await prisma().$transaction((tx) => feed().takeArticleOutOfFeed(tx, article.id));
    expect(await itemOf(article.id)).toBeNull();
    await prisma().$transaction((tx) => feed().takeArticleOutOfFeed(tx, article.id));
  });

  it('when the surrounding transaction fails, then the feed is as it was', async () => {
    const article = await insertArticle('Новость, которая не вышла');
    const kept = await insertArticle('Новость, которая осталась');
    await prisma().$transaction((tx) =>
      feed().putArticleInFeed(tx, { id: kept.id, title: kept.title, rubricId: null, publishedAt: kept.publishedAt! }),
    );
    const before = await prisma().feedItem.findMany({ orderBy: { id: 'asc' } });
    await expect(
      prisma().$transaction(async (tx) => {
        await feed().putArticleInFeed(tx, { id: article.id, title: article.title, rubricId: null, publishedAt: article.publishedAt! });
        await feed().takeArticleOutOfFeed(tx, kept.id);
        throw new Error('publishing failed half-way');
      }),
    ).rejects.toThrow('publishing failed half-way');
    expect(await prisma().feedItem.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });
});
