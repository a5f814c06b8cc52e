import { expect, it } from 'vitest';
import { adminActor, paragraph } from '../articles/article-fixtures.ts';
import { uploadPhoto } from '../syndication/syndication-helpers.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

// An uncached public read costs a fixed, small number of SQL statements, whatever the page size and
// whatever relations it embeds: the relations and their media are nested in the statement that reads
// the page, never read per item or per relation.

/** The statements each read may run: the page itself, and for an article page its related list. */
const budget = {
  articlePage: 1,
  articlePageWithRelated: 2,
  list: 1,
  feed: 1,
  // Matching terms, ranking (at most three for many words) and the hits' articles.
  search: 5,
  rubricFeed: 2,
  rubricTagOrAuthor: 1,
} as const;

describeEachDialect('statements per uncached public read', (dialect) => {
  const { t, editor } = useTestApp(dialect, {
    roles: ['editor'],
    mediaDir: true,
    env: { MEDIA_RENDITION_WIDTHS: '100', MEDIA_ASPECT_RATIOS: '1:1' },
  });
  const slugs: string[] = [];

  it('given 24 articles with rubrics, bylines, tags, covers and photos', async () => {
    const { services } = t.container;
    const photo = await uploadPhoto(t, editor, { credit: 'Городские новости/Анна Смирнова' });
    const parent = await services.rubrics.create({ name: 'Город', position: 1 });
    const child = await services.rubrics.create({ name: 'Транспорт', parentId: parent.id, position: 2 });
    const tags = await Promise.all(['Дороги', 'Бюджет', 'Мосты'].map((name) => services.tags.create({ name })));
    const authors = await Promise.all(
      ['Мария Ковалёва', 'Иван Петров'].map((displayName, i) =>
        services.users.create({ email: `author${i}@test.example`, password: 'correct-horse-battery-staple', displayName, role: 'author' }),
      ),
    );
    for (let i = 0; i < 24; i++) {
      t.clock.advance(60_000);
      const article = await services.articles.create(
        {
          title: `Ремонт дорог: новость номер ${i + 1}`,
          lead: `Что изменилось на дорогах города, часть ${i + 1}.`,
          body: [paragraph(`Ремонт дорог идёт по плану, сообщение ${i + 1}.`), { type: 'image', mediaId: photo.id }],
          rubricId: i % 2 ? child.id : parent.id,
          tagIds: tags.slice(0, 1 + (i % 3)).map((tag) => tag.id),
          authorIds: authors.slice(0, 1 + (i % 2)).map((author) => author.id),
          coverMediaId: photo.id,
        },
        adminActor,
      );
      await services.articles.publish(article.id, adminActor);
      slugs.push(article.slug);
    }
    t.clock.advance(60_000);
  });

  /** How many statements the GET ran. */
  async function statementsOf(path: string): Promise<number> {
    t.queries.reset();
    await t.http().get(path).expect(200);
    return t.queries.count();
  }

  it('when an article page is read, then its article is one statement and its related list one more, whatever it embeds', async () => {
    const slug = slugs[5]!;
    for (const query of ['', '?include=', '?include=rubric', '?include=authors,tags,cover', '?fields=title', '?fields=title,jsonLd'])
      expect(await statementsOf(`/v1/articles/${slug}${query}`), query).toBe(budget.articlePage);
    for (const query of ['?include=related', '?include=rubric,related', '?include=related&fields=title,related'])
      expect(await statementsOf(`/v1/articles/${slug}${query}`), query).toBe(budget.articlePageWithRelated);
  });

  it('when a list is read, then it is one statement for 5 items or 24, by rubric, tag or author, with any relations', async () => {
    for (const filter of [
      '',
      '&rubric=gorod',
      '&rubric=transport',
      '&tag=dorogi',
      '&author=mariya-kovaleva',
      '&include=',
      '&include=cover,tags',
    ])
      for (const limit of [5, 50])
        expect(await statementsOf(`/v1/articles?limit=${limit}${filter}`), `${limit}${filter}`).toBe(budget.list);
    const first = await t.http().get('/v1/articles?limit=5').expect(200);
    expect(await statementsOf(`/v1/articles?limit=5&cursor=${first.body.nextCursor}`)).toBe(budget.list);
  });

  it('when the feed is read, then it is one statement for 5 items or 24', async () => {
    for (const query of ['limit=5', 'limit=50', 'limit=5&rubric=gorod', 'limit=50&rubric=gorod'])
      expect(await statementsOf(`/v1/feed?${query}`), query).toBe(budget.feed);
  });

  it('when search is read, then its statements do not grow with the page size', async () => {
    for (const q of ['дороги', 'ремонт дорог'])
      for (const limit of [5, 50]) {
        const count = await statementsOf(`/v1/search?q=${encodeURIComponent(q)}&limit=${limit}`);
        expect(count, `${q} ${limit}`).toBeLessThanOrEqual(budget.search);
        expect(count).toBe(await statementsOf(`/v1/search?q=${encodeURIComponent(q)}&limit=${limit === 5 ? 50 : 5}`));
      }
  });

  it('when a rubric, the rubrics, a tag or an author is read, then it is one statement', async () => {
    for (const path of [
      '/v1/rubrics/gorod',
      '/v1/rubrics?limit=1',
      '/v1/rubrics?limit=50',
      '/v1/tags/dorogi',
      '/v1/authors/mariya-kovaleva',
    ])
      expect(await statementsOf(path), path).toBe(budget.rubricTagOrAuthor);
  });

  it('when a syndication feed is read, then it is the rubric and one statement for its items', async () => {
    for (const path of ['/v1/rubrics/gorod/feeds/rss.xml', '/v1/rubrics/gorod/feeds/feed.json'])
      expect(await statementsOf(path), path).toBe(budget.rubricFeed);
  });
});
