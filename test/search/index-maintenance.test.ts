import { expect, it } from 'vitest';
import { Prisma } from '../../src/generated/sqlite/client.ts';
import { publicArticleSql, publicArticleWhere } from '../../src/shared/article-visibility.ts';
import { startUp } from '../../src/start-up.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { adminActor, createDraft, createPublished, paragraph } from '../articles/article-fixtures.ts';

const hour = 3_600_000;

describeEachDialect('search: the index', (dialect) => {
  const { t } = useTestApp(dialect);
  const found = async (q: string) =>
    ((await t.http().get('/v1/search').query({ q }).expect(200)).body.items as { id: string }[]).map((h) => h.id);
  const rowsOf = (articleId: string) => t.container.db.prisma.articleSearchTerm.count({ where: { articleId } });

  it('when articles are in every state, then the SQL rule search uses and publicArticleWhere pick exactly the same ones', async () => {
    const now = t.clock.now();
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const ids: Record<string, string> = {};
    ids.published = (await createPublished(t, { title: 'Видимость: опубликована' })).id;
    ids.draft = (await createDraft(t, { title: 'Видимость: черновик' })).id;
    const inReview = await createDraft(t, { title: 'Видимость: на проверке' });
    await t.container.services.articles.submit(inReview.id, adminActor);
    ids.scheduledFuture = (await createDraft(t, { title: 'Видимость: запланирована' })).id;
    await t.container.services.articles.publish(ids.scheduledFuture, adminActor, { publishAt: at(hour) });
    ids.scheduledPast = (await createDraft(t, { title: 'Видимость: время пришло' })).id;
    await t.container.services.articles.publish(ids.scheduledPast, adminActor, { publishAt: at(hour / 2) });
    ids.embargoed = (await createPublished(t, { title: 'Видимость: эмбарго', embargoUntil: at(hour) })).id;
    ids.embargoOver = (await createPublished(t, { title: 'Видимость: эмбарго кончилось', embargoUntil: at(hour / 2) })).id;
    ids.embargoExact = (await createPublished(t, { title: 'Видимость: эмбарго ровно сейчас', embargoUntil: at((3 * hour) / 4) })).id;
    ids.archived = (await createPublished(t, { title: 'Видимость: в архиве' })).id;
    await t.container.services.articles.archive(ids.archived, adminActor);
    ids.trashed = (await createPublished(t, { title: 'Видимость: в корзине' })).id;
    await t.container.services.articles.delete(ids.trashed, adminActor);
    const prisma = t.container.db.prisma;
    for (const when of [now, new Date(now.getTime() + (3 * hour) / 4), new Date(now.getTime() + 2 * hour)]) {
      const viaPrisma = (await prisma.article.findMany({ where: publicArticleWhere(when), select: { id: true } })).map((a) => a.id).sort();
      const viaSql = (
        await prisma.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT a."id" FROM "Article" a WHERE ${publicArticleSql(when, 'a')}`)
      )
        .map((a) => a.id)
        .sort();
      expect(viaSql).toEqual(viaPrisma);
      expect(viaSql).toContain(ids.published);
    }
  });

  it('when an article has no index rows (saved before search existed), then start-up indexes it and it is found again', async () => {
    const article = await createPublished(t, { title: 'Старая заметка о пеликанах', body: [paragraph('Пеликаны прилетели на озеро.')] });
    const draft = await createDraft(t, { title: 'Черновик о пеликанах' });
    await t.container.db.prisma.articleSearchTerm.deleteMany({});
    expect(await found('пеликан')).toEqual([]);
    await startUp(t.container);
    expect(await found('пеликан')).toEqual([article.id]);
    expect(await rowsOf(draft.id)).toBe(0);
    // Nothing left to do the second time.
    expect(await t.container.services.searchIndex.indexMissing()).toBe(0);
  });

  it('when the app restarts, then the index is still there and in step', async () => {
    const article = await createPublished(t, { title: 'Фестиваль воздушных змеев', body: [paragraph('Змеи поднялись над полем.')] });
    await t.restart();
    expect(await found('змей')).toEqual([article.id]);
  });

  it('when an article leaves the index or the trash is emptied, then its rows go with it', async () => {
    const article = await createPublished(t, { title: 'Прогноз для рыбаков', body: [paragraph('Клёв будет отличным.')] });
    expect(await rowsOf(article.id)).toBeGreaterThan(3);
    await t.container.services.articles.delete(article.id, adminActor);
    expect(await rowsOf(article.id)).toBe(0);
    await t.container.services.articles.restore(article.id, adminActor);
    await t.container.services.articles.publish(article.id, adminActor);
    expect(await rowsOf(article.id)).toBeGreaterThan(3);
    await t.container.services.articles.delete(article.id, adminActor);
    expect((await t.container.services.articles.emptyTrash()).deleted).toBeGreaterThanOrEqual(1);
    expect(await rowsOf(article.id)).toBe(0);
    expect(await found('рыбак')).toEqual([]);
  });

  it('when an article is saved, then its rows hold each word once with the fields it is in, and its publication time', async () => {
    const tag = await t.container.services.tags.create({ name: 'Метеорология' });
    const article = await createPublished(t, {
      title: 'Гроза над городом',
      lead: 'Гроза пришла вечером.',
      body: [paragraph('Гроза и ливень.'), { type: 'quote', text: 'Такой грозы не было давно.', attribution: 'Синоптик' }],
      tagIds: [tag.id],
    });
    const rows = await t.container.db.prisma.articleSearchTerm.findMany({ where: { articleId: article.id } });
    const byTerm = new Map(rows.map((r) => [Buffer.from(r.term).toString('utf8'), r]));
    expect(byTerm.size).toBe(rows.length);
    expect(byTerm.get('гроз')?.score).toBe(8 + 2 + 1);
    expect(byTerm.get('метеоролог')?.score).toBe(4);
    expect(byTerm.get('синоптик')?.score).toBe(1);
    expect(byTerm.has('над')).toBe(false);
    expect(rows.every((r) => r.publishedAt.toISOString() === article.publishedAt)).toBe(true);
  });

  it('when an article just created is indexed from what its writer has, then its rows are those a reindex writes', async () => {
    const tag = await t.container.services.tags.create({ name: 'Орнитология' });
    const article = await createPublished(t, {
      title: 'Журавли вернулись',
      lead: 'Стая журавлей над полями.',
      body: [paragraph('Журавли и цапли.'), { type: 'quote', text: 'Журавлей стало больше.', attribution: 'Орнитолог' }],
      tagIds: [tag.id],
    });
    const prisma = t.container.db.prisma;
    const rowsNow = async () =>
      (await prisma.articleSearchTerm.findMany({ where: { articleId: article.id }, orderBy: [{ term: 'asc' }, { score: 'asc' }] })).map(
        (r) => [Buffer.from(r.term).toString('utf8'), r.score, r.publishedAt.toISOString()],
      );
    const reindexed = await rowsNow();
    expect(reindexed.length).toBeGreaterThan(0);
    const row = await prisma.article.findUniqueOrThrow({ where: { id: article.id } });
    const text = { id: row.id, title: row.title, lead: row.lead, body: row.body, tagNames: [tag.name], deletedAt: row.deletedAt };
    await prisma.articleSearchTerm.deleteMany({ where: { articleId: article.id } });
    await prisma.$transaction((tx) => t.container.services.searchIndex.indexCreatedArticle(tx, { ...text, publishedAt: row.publishedAt }));
    expect(await rowsNow()).toEqual(reindexed);
    // The same rows from the statements handed to a batch transaction (a restored article's).
    const { searchIndex } = t.container.services;
    await prisma.articleSearchTerm.deleteMany({ where: { articleId: article.id } });
    await prisma.$transaction(searchIndex.createdArticleStatements({ ...text, publishedAt: row.publishedAt }));
    expect(await rowsNow()).toEqual(reindexed);
    expect(searchIndex.createdArticleStatements({ ...text, publishedAt: null })).toEqual([]);
    // A draft has no place in the index.
    await prisma.articleSearchTerm.deleteMany({ where: { articleId: article.id } });
    await prisma.$transaction((tx) => t.container.services.searchIndex.indexCreatedArticle(tx, { ...text, publishedAt: null }));
    expect(await rowsOf(article.id)).toBe(0);
  });
});
