import { beforeAll, describe, expect, it } from 'vitest';
import type { ArticleResponse } from '../../src/modules/articles/articles.schemas.ts';
import { adminActor, createDraft, createPublished } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { getDocument, parseXml, rfc3339Pattern } from './syndication-helpers.ts';

const base = 'https://news.example';
const sitemapNs = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const newsNs = 'http://www.google.com/schemas/sitemap-news/0.9';

interface UrlEntry {
  loc: string;
  lastmod?: string;
}

describeEachDialect('the sitemap', (dialect) => {
  // Five URLs to a file, so a test needs a handful of articles, not 50,001, to see the index.
  const { t } = useTestApp(dialect, { env: { PUBLIC_BASE_URL: base, SITEMAP_PAGE_SIZE: '5' } });
  let rubrics: { city: { slug: string }; transport: { slug: string }; closed: { slug: string } };
  let first: ArticleResponse;
  let second: ArticleResponse;
  const hidden: ArticleResponse[] = [];

  beforeAll(async () => {
    const service = t.container.services.rubrics;
    const city = await service.create({ name: 'Город' });
    rubrics = {
      city,
      transport: await service.create({ name: 'Транспорт', parentId: city.id }),
      closed: await service.create({ name: 'Архив', isActive: false }),
    };
    t.clock.set('2026-11-20T08:00:00.000Z');
    first = await createPublished(t, { title: 'Первая новость', rubricId: city.id });
    t.clock.set('2026-11-20T09:00:00.000Z');
    second = await createPublished(t, { title: 'Вторая новость' });
    // Edited after publishing: its lastmod is the edit.
    t.clock.set('2026-11-20T09:30:00.000Z');
    second = await t.container.services.articles.update(second.id, { lead: 'Дополнено' }, adminActor);
    hidden.push(await createDraft(t, { title: 'Черновик' }));
    hidden.push(
      await t.container.services.articles.publish((await createDraft(t, { title: 'Позже' })).id, adminActor, {
        publishAt: '2026-11-21T09:00:00.000Z',
      }),
    );
    hidden.push(await createPublished(t, { title: 'Под эмбарго', embargoUntil: '2026-11-21T09:00:00.000Z' }));
    const trashed = await createPublished(t, { title: 'В корзине' });
    await t.container.services.articles.delete(trashed.id, adminActor);
    hidden.push(trashed);
    t.clock.set('2026-11-20T10:00:00.000Z');
  });

  const urlsOf = (xml: string): UrlEntry[] => {
    const urlset = parseXml(xml).urlset;
    expect(urlset['@_xmlns']).toBe(sitemapNs);
    return urlset.url ?? [];
  };
  const articleUrl = (a: { slug: string }) => `${base}/articles/${a.slug}`;

  it('when the site fits in one file, then /v1/sitemap.xml is a urlset of the home page, active rubrics and public articles with lastmod', async () => {
    const res = await getDocument(t, '/v1/sitemap.xml');
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(urlsOf(res.body)).toEqual([
      { loc: `${base}/` },
      { loc: `${base}/rubrics/${rubrics.city.slug}` },
      { loc: `${base}/rubrics/${rubrics.transport.slug}` },
      { loc: articleUrl(first), lastmod: '2026-11-20T08:00:00.000Z' },
      { loc: articleUrl(second), lastmod: '2026-11-20T09:30:00.000Z' },
    ]);
    for (const article of hidden) expect(res.body).not.toContain(article.slug);
    expect(res.body).not.toContain(rubrics.closed.slug);
    // The only file of a small site is also its first page.
    expect((await getDocument(t, '/v1/sitemaps/1.xml')).body).toBe(res.body);
    const missing = await t.http().get('/v1/sitemaps/2.xml').expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('when the site outgrows one file, then /v1/sitemap.xml is a sitemapindex whose pages hold every URL once, in order, at most the page size each', async () => {
    const added: ArticleResponse[] = [];
    for (let i = 0; i < 8; i++) {
      t.clock.set(new Date(Date.parse('2026-11-20T10:00:00.000Z') + i * 60_000));
      added.push(await createPublished(t, { title: `Новость номер ${i}` }));
    }
    // Same publication time as the previous one: the id decides, and no page repeats or skips it.
    added.push(await createPublished(t, { title: 'Новость в ту же минуту' }));

    const index = parseXml((await getDocument(t, '/v1/sitemap.xml')).body).sitemapindex;
    expect(index['@_xmlns']).toBe(sitemapNs);
    // 3 pages of the site + 11 articles = 14 URLs: three files of five.
    expect(index.sitemap.map((s: { loc: string }) => s.loc)).toEqual([1, 2, 3].map((n) => `${base}/v1/sitemaps/${n}.xml`));

    const pages = await Promise.all([1, 2, 3].map(async (n) => urlsOf((await getDocument(t, `/v1/sitemaps/${n}.xml`)).body)));
    expect(pages.map((p) => p.length)).toEqual([5, 5, 4]);
    expect(pages.flat().map((u) => u.loc)).toEqual([
      `${base}/`,
      `${base}/rubrics/${rubrics.city.slug}`,
      `${base}/rubrics/${rubrics.transport.slug}`,
      articleUrl(first),
      articleUrl(second),
      ...added.map(articleUrl),
    ]);
    for (const url of pages.flat().slice(3)) expect(url.lastmod).toMatch(rfc3339Pattern);
    await t.http().get('/v1/sitemaps/4.xml').expect(404);
    await t.http().get('/v1/sitemaps/0.xml').expect(400);
  });

  it('when the articles are read for a sitemap page, then they come in chunks by key from an offset, never all at once', async () => {
    const chunks: string[][] = [];
    for await (const links of t.container.services.articles.streamPublicLinks(1, 6, 2)) chunks.push(links.map((l) => l.slug));
    expect(chunks.map((c) => c.length)).toEqual([2, 2, 2]);
    const all: string[] = [];
    for await (const links of t.container.services.articles.streamPublicLinks(0, 100, 1000)) all.push(...links.map((l) => l.slug));
    expect(chunks.flat()).toEqual(all.slice(1, 7));
  });
});

describeEachDialect('the Google News sitemap', (dialect) => {
  const { t } = useTestApp(dialect, { env: { PUBLIC_BASE_URL: base, SITE_NAME: 'Городские вести & Ко', SITE_LANGUAGE: 'ru' } });

  it('when articles were published in the last 48 hours, then they are listed newest first with publication, date and escaped title; older, scheduled and draft ones are not', async () => {
    t.clock.set('2026-11-18T08:59:59.999Z');
    const old = await createPublished(t, { title: 'Старая новость' });
    t.clock.set('2026-11-18T09:00:00.000Z');
    const edge = await createPublished(t, { title: 'Ровно двое суток назад' });
    t.clock.set('2026-11-20T08:00:00.000Z');
    const fresh = await createPublished(t, { title: 'Свежая новость: «мост» & <дорога>' });
    const later = await t.container.services.articles.publish((await createDraft(t, { title: 'Будущая новость' })).id, adminActor, {
      publishAt: '2026-11-20T12:00:00.000Z',
    });
    await createDraft(t, { title: 'Черновик' });
    t.clock.set('2026-11-20T09:00:00.000Z');

    const res = await getDocument(t, '/v1/sitemap-news.xml');
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.body).toContain('Свежая новость: «мост» &amp; &lt;дорога&gt;');
    const urlset = parseXml(res.body).urlset;
    expect(urlset['@_xmlns']).toBe(sitemapNs);
    expect(urlset['@_xmlns:news']).toBe(newsNs);
    expect(urlset.url).toEqual([
      {
        loc: `${base}/articles/${fresh.slug}`,
        'news:news': {
          'news:publication': { 'news:name': 'Городские вести & Ко', 'news:language': 'ru' },
          'news:publication_date': '2026-11-20T08:00:00.000Z',
          'news:title': 'Свежая новость: «мост» & <дорога>',
        },
      },
      expect.objectContaining({ loc: `${base}/articles/${edge.slug}` }),
    ]);
    expect(res.body).not.toContain(old.slug);
    expect(res.body).not.toContain(later.slug);

    t.clock.set('2026-11-20T12:00:00.000Z');
    const urls = parseXml((await getDocument(t, '/v1/sitemap-news.xml')).body).urlset.url as { loc: string }[];
    expect(urls.map((u) => u.loc)).toEqual([`${base}/articles/${later.slug}`, `${base}/articles/${fresh.slug}`]);
  });

  describe('a busy day', () => {
    it('when more than 1000 articles were published in 48 hours, then the news sitemap lists the 1000 newest', async () => {
      await t.container.db.prisma.article.createMany({
        data: Array.from({ length: 1003 }, (_, i) => ({
          title: `Лента ${i}`,
          slug: `lenta-${i}`,
          body: [],
          keyPoints: [],
          searchText: '',
          status: 'published' as const,
          publishedAt: new Date(Date.parse('2026-11-20T12:30:00.000Z') + i * 1000),
        })),
      });
      t.clock.set('2026-11-21T00:00:00.000Z');
      const urls = parseXml((await getDocument(t, '/v1/sitemap-news.xml')).body).urlset.url as { loc: string }[];
      expect(urls).toHaveLength(1000);
      expect(urls[0]!.loc).toBe(`${base}/articles/lenta-1002`);
      expect(urls[999]!.loc).toBe(`${base}/articles/lenta-3`);
    });
  });
});
