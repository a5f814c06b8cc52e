import { beforeAll, describe, expect, it } from 'vitest';
import type { ArticleResponse } from '../../src/modules/articles/articles.schemas.ts';
import { adminActor, createDraft, createPublished, paragraph } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { allOf, getDocument, parseXml, rfc3339Pattern, rfc822Pattern, uploadPhoto } from './syndication-helpers.ts';

const base = 'https://news.example';
// Every character XML and HTML must escape, in a Cyrillic headline.
const trickyTitle = `Дума & мэрия: «бюджет» <2027> "за" и 'против'`;

const feedPaths = (prefix: string) => ({
  rss: `${prefix}/feeds/rss.xml`,
  atom: `${prefix}/feeds/atom.xml`,
  json: `${prefix}/feeds/feed.json`,
});

describeEachDialect('RSS, Atom and JSON feeds', (dialect) => {
  // A trailing slash on purpose: it is dropped.
  const { t, editor, anna } = useTestApp(dialect, {
    mediaDir: true,
    env: {
      PUBLIC_BASE_URL: `${base}/`,
      SITE_NAME: 'Городские вести',
      SITE_LANGUAGE: 'ru',
      MEDIA_RENDITION_WIDTHS: '200',
      MEDIA_ASPECT_RATIOS: '1:1',
    },
    roles: ['editor'],
    users: { anna: { role: 'author', displayName: 'Анна Смирнова' } },
  });
  let rubrics: Record<'city' | 'transport' | 'sport' | 'closed', { id: string; slug: string }>;
  let city: ArticleResponse;
  let transport: ArticleResponse;
  let sport: ArticleResponse;
  let photo: { id: string; url: string };
  const hidden: Record<string, ArticleResponse> = {};
  let scheduledAt: Date;
  let embargoUntil: Date;

  beforeAll(async () => {
    const service = t.container.services.rubrics;
    const cityRubric = await service.create({ name: 'Город', description: 'Новости города & области' });
    rubrics = {
      city: cityRubric,
      transport: await service.create({ name: 'Транспорт', parentId: cityRubric.id }),
      sport: await service.create({ name: 'Спорт' }),
      closed: await service.create({ name: 'Архив', isActive: false }),
    };
    const tag = await t.container.services.tags.create({ name: 'Бюджет' });
    photo = await uploadPhoto(t, editor, { credit: 'Городские вести/Иван Петров', source: 'Городские вести', caption: 'Здание думы' });

    t.clock.set('2026-11-20T08:00:00.000Z');
    sport = await createPublished(t, { title: 'Хоккейный клуб вышел в плей-офф', rubricId: rubrics.sport.id });
    t.clock.set('2026-11-20T08:30:00.000Z');
    transport = await createPublished(t, { title: 'На маршруты вышли новые трамваи', rubricId: rubrics.transport.id });
    t.clock.set('2026-11-20T09:00:00.000Z');
    city = await createPublished(t, {
      title: trickyTitle,
      lead: 'Депутаты спорили <до ночи> & решили всё',
      body: [
        paragraph('Заседание шло <b>шесть</b> часов & закончилось голосованием.'),
        { type: 'image', mediaId: photo.id, caption: 'Зал заседаний' },
      ],
      rubricId: rubrics.city.id,
      tagIds: [tag.id],
      authorIds: [anna.user.id],
      coverMediaId: photo.id,
    });

    hidden.draft = await createDraft(t, { title: 'Черновик о бюджете', rubricId: rubrics.city.id });
    scheduledAt = new Date('2026-11-20T11:00:00.000Z');
    hidden.scheduled = await t.container.services.articles.publish(
      (await createDraft(t, { title: 'Запланированная новость', rubricId: rubrics.city.id })).id,
      adminActor,
      { publishAt: scheduledAt.toISOString() },
    );
    embargoUntil = new Date('2026-11-20T12:00:00.000Z');
    hidden.embargoed = await createPublished(t, {
      title: 'Новость под эмбарго',
      rubricId: rubrics.city.id,
      embargoUntil: embargoUntil.toISOString(),
    });
    hidden.trashed = await createPublished(t, { title: 'Удалённая новость', rubricId: rubrics.city.id });
    await t.container.services.articles.delete(hidden.trashed.id, adminActor);
    t.clock.set('2026-11-20T10:00:00.000Z');
  });

  const rssTitles = async (path: string) =>
    (parseXml((await getDocument(t, path)).body).rss.channel.item ?? []).map((i: { title: string }) => i.title);
  const atomTitles = async (path: string) =>
    (parseXml((await getDocument(t, path)).body).feed.entry ?? []).map((e: { title: string }) => e.title);
  const jsonTitles = async (path: string) =>
    (JSON.parse((await getDocument(t, path)).body).items as { title: string }[]).map((i) => i.title);
  const titlesInEvery = async (prefix: string) => {
    const paths = feedPaths(prefix);
    const [rss, atom, json] = await Promise.all([rssTitles(paths.rss), atomTitles(paths.atom), jsonTitles(paths.json)]);
    expect(atom).toEqual(rss);
    expect(json).toEqual(rss);
    return rss;
  };

  describe('RSS 2.0', () => {
    it('when the site feed is read, then it is well-formed RSS 2.0 with its channel and each public article, newest first', async () => {
      const res = await getDocument(t, '/v1/feeds/rss.xml');
      expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
      const rss = parseXml(res.body).rss;
      expect(rss['@_version']).toBe('2.0');
      expect(rss.channel).toMatchObject({ title: 'Городские вести', link: `${base}/`, description: 'Городские вести', language: 'ru' });
      expect(rss.channel['atom:link']).toMatchObject({ '@_href': `${base}/v1/feeds/rss.xml`, '@_rel': 'self' });
      expect(rss.channel.lastBuildDate).toMatch(rfc822Pattern);
      expect(rss.channel.item.map((i: { title: string }) => i.title)).toEqual([trickyTitle, transport.title, sport.title]);
      for (const item of rss.channel.item) {
        expect(item.title).toBeTruthy();
        expect(item.link).toMatch(new RegExp(`^${base}/articles/[a-z0-9-]+$`));
        expect(item.guid['#text']).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
        expect(item.guid['@_isPermaLink']).toBe('false');
        expect(item.pubDate).toMatch(rfc822Pattern);
      }
    });

    it('when an article has special characters, a byline, a rubric, a tag and a cover, then they are escaped and carried: creator, categories, enclosure and media credit', async () => {
      const res = await getDocument(t, '/v1/feeds/rss.xml');
      expect(res.body).toContain('Дума &amp; мэрия: «бюджет» &lt;2027&gt; &quot;за&quot; и &apos;против&apos;');
      const item = parseXml(res.body).rss.channel.item[0];
      expect(item).toMatchObject({
        title: trickyTitle,
        link: `${base}/articles/${city.slug}`,
        guid: { '#text': `urn:uuid:${city.id}` },
        pubDate: 'Fri, 20 Nov 2026 09:00:00 GMT',
        description: 'Депутаты спорили <до ночи> & решили всё',
      });
      expect(item['dc:creator']).toEqual(['Анна Смирнова']);
      expect(item.category).toEqual([{ '#text': 'Город', '@_domain': `${base}/rubrics/${rubrics.city.slug}` }, 'Бюджет']);
      // The HTML body is escaped text inside XML, so the reader gets the markup back intact.
      expect(item['content:encoded']).toContain('<p>Заседание шло &lt;b&gt;шесть&lt;/b&gt; часов &amp; закончилось голосованием.</p>');
      expect(item['content:encoded']).toMatch(new RegExp(`<figure><img src="${base}/v1/media/files/renditions/[0-9a-f]{64}\\.jpg"`));
      // An uploaded photo's URL is a path on the API: the feed makes it absolute.
      expect(item.enclosure['@_url']).toMatch(new RegExp(`^${base}/v1/media/files/renditions/[0-9a-f]{64}\\.jpg$`));
      expect(item.enclosure['@_type']).toBe('image/jpeg');
      expect(Number(item.enclosure['@_length'])).toBeGreaterThan(0);
      expect(item['media:content']).toMatchObject({
        '@_url': item.enclosure['@_url'],
        '@_medium': 'image',
        'media:credit': 'Городские вести/Иван Петров',
        'media:description': 'Здание думы',
      });
    });
  });

  describe('Atom', () => {
    it('when the site feed is read, then it is well-formed Atom with feed id, title, updated and entries with id, title, updated and link', async () => {
      const res = await getDocument(t, '/v1/feeds/atom.xml');
      expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
      const feed = parseXml(res.body).feed;
      expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
      expect(feed).toMatchObject({ id: `${base}/v1/feeds/atom.xml`, title: 'Городские вести', updated: city.updatedAt });
      expect(allOf(feed.link)).toEqual(
        expect.arrayContaining([expect.objectContaining({ '@_rel': 'self', '@_href': `${base}/v1/feeds/atom.xml` })]),
      );
      expect(feed.entry).toHaveLength(3);
      for (const entry of feed.entry) {
        expect(entry.id).toMatch(/^urn:uuid:/);
        expect(entry.title).toBeTruthy();
        expect(entry.updated).toMatch(rfc3339Pattern);
        expect(entry.published).toMatch(rfc3339Pattern);
        expect(allOf<Record<string, string>>(entry.link).find((l) => l['@_rel'] === 'alternate')?.['@_href']).toMatch(
          new RegExp(`^${base}/articles/`),
        );
      }
      const first = feed.entry[0];
      expect(first).toMatchObject({
        title: trickyTitle,
        published: '2026-11-20T09:00:00.000Z',
        summary: 'Депутаты спорили <до ночи> & решили всё',
        author: [{ name: 'Анна Смирнова' }],
      });
      expect(first.category).toEqual([
        { '@_term': rubrics.city.slug, '@_label': 'Город', '@_scheme': `${base}/rubrics/` },
        { '@_term': 'byudzhet', '@_label': 'Бюджет' },
      ]);
      expect(first.content['@_type']).toBe('html');
      expect(allOf<Record<string, string>>(first.link).find((l) => l['@_rel'] === 'enclosure')?.['@_type']).toBe('image/jpeg');
    });
  });

  describe('JSON Feed', () => {
    it("when the site feed is read, then it is JSON Feed 1.1 with its required keys and each item's id, url, title, content and dates", async () => {
      const res = await getDocument(t, '/v1/feeds/feed.json');
      expect(res.headers['content-type']).toBe('application/feed+json; charset=utf-8');
      const feed = JSON.parse(res.body);
      expect(feed).toMatchObject({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Городские вести',
        home_page_url: `${base}/`,
        feed_url: `${base}/v1/feeds/feed.json`,
        language: 'ru',
      });
      expect(feed.items).toHaveLength(3);
      for (const item of feed.items) {
        expect(typeof item.id).toBe('string');
        expect(item.url).toMatch(new RegExp(`^${base}/articles/`));
        expect(typeof item.content_html).toBe('string');
        expect(item.date_published).toMatch(rfc3339Pattern);
        expect(item.date_modified).toMatch(rfc3339Pattern);
      }
      expect(feed.items[0]).toMatchObject({
        id: city.id,
        url: `${base}/articles/${city.slug}`,
        title: trickyTitle,
        summary: 'Депутаты спорили <до ночи> & решили всё',
        date_published: '2026-11-20T09:00:00.000Z',
        authors: [{ name: 'Анна Смирнова' }],
        tags: ['Город', 'Бюджет'],
      });
      expect(feed.items[0].image).toMatch(new RegExp(`^${base}/v1/media/files/`));
      expect(feed.items[0].content_html).toContain('&lt;b&gt;шесть&lt;/b&gt;');
    });
  });

  describe('what a feed shows', () => {
    it('when articles are drafts, scheduled for later, under embargo or in the trash, then no feed shows them', async () => {
      for (const prefix of ['/v1', `/v1/rubrics/${rubrics.city.slug}`]) {
        const titles = await titlesInEvery(prefix);
        for (const article of Object.values(hidden)) expect(titles).not.toContain(article.title);
      }
    });

    it("when a scheduled article's time and an embargo's end come, then the feeds show them from that moment", async () => {
      t.clock.set(new Date(scheduledAt.getTime() - 1));
      expect(await titlesInEvery('/v1')).not.toContain(hidden.scheduled!.title);
      t.clock.set(scheduledAt);
      expect((await titlesInEvery('/v1'))[0]).toBe(hidden.scheduled!.title);
      expect(await titlesInEvery('/v1')).not.toContain(hidden.embargoed!.title);
      t.clock.set(embargoUntil);
      expect(await titlesInEvery(`/v1/rubrics/${rubrics.city.slug}`)).toContain(hidden.embargoed!.title);
      t.clock.set('2026-11-20T10:00:00.000Z');
    });

    it("when a rubric's feeds are read, then they hold its articles and its sub-rubrics', no others, and name the rubric", async () => {
      expect(await titlesInEvery(`/v1/rubrics/${rubrics.city.slug}`)).toEqual([trickyTitle, transport.title]);
      expect(await titlesInEvery(`/v1/rubrics/${rubrics.transport.slug}`)).toEqual([transport.title]);
      expect(await titlesInEvery(`/v1/rubrics/${rubrics.sport.slug}`)).toEqual([sport.title]);
      const rss = parseXml((await getDocument(t, `/v1/rubrics/${rubrics.city.slug}/feeds/rss.xml`)).body).rss;
      expect(rss.channel).toMatchObject({
        title: 'Город — Городские вести',
        link: `${base}/rubrics/${rubrics.city.slug}`,
        description: 'Новости города & области',
      });
      expect(rss.channel['atom:link']['@_href']).toBe(`${base}/v1/rubrics/${rubrics.city.slug}/feeds/rss.xml`);
      const json = JSON.parse((await getDocument(t, `/v1/rubrics/${rubrics.city.slug}/feeds/feed.json`)).body);
      expect(json).toMatchObject({
        title: 'Город — Городские вести',
        home_page_url: `${base}/rubrics/${rubrics.city.slug}`,
        feed_url: `${base}/v1/rubrics/${rubrics.city.slug}/feeds/feed.json`,
      });
    });

    it('when a rubric is unknown or inactive, then each of its feeds answers 404 problem+json', async () => {
      for (const slug of ['net-takoy-rubriki', rubrics.closed.slug]) {
        for (const path of Object.values(feedPaths(`/v1/rubrics/${slug}`))) {
          const res = await t.http().get(path).expect(404);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(res.body).toMatchObject({ status: 404, code: 'not_found' });
        }
      }
    });

    it('when there are more than 50 public articles, then each feed carries the 50 newest', async () => {
      const prisma = t.container.db.prisma;
      await prisma.article.createMany({
        data: Array.from({ length: 55 }, (_, i) => ({
          title: `Короткая новость ${i}`,
          slug: `korotkaya-novost-${i}`,
          body: [],
          keyPoints: [],
          searchText: '',
          status: 'published' as const,
          publishedAt: new Date(Date.parse('2026-11-20T09:30:00.000Z') + i * 1000),
        })),
      });
      const titles = await titlesInEvery('/v1');
      expect(titles).toHaveLength(50);
      expect(titles[0]).toBe('Короткая новость 54');
      expect(titles[49]).toBe('Короткая новость 5');
      await prisma.article.deleteMany({ where: { slug: { startsWith: 'korotkaya-novost-' } } });
    });
  });
});

describeEachDialect('feeds of an empty site', (dialect) => {
  const { t } = useTestApp(dialect);

  it('when nothing is published, then each feed is still valid, with the default base URL and no items', async () => {
    const rss = parseXml((await getDocument(t, '/v1/feeds/rss.xml')).body).rss;
    expect(rss.channel).toMatchObject({ title: 'Newsroom', link: 'http://localhost:3000/' });
    expect(rss.channel.item).toBeUndefined();
    const feed = parseXml((await getDocument(t, '/v1/feeds/atom.xml')).body).feed;
    expect(feed.updated).toBe(t.clock.now().toISOString());
    expect(JSON.parse((await getDocument(t, '/v1/feeds/feed.json')).body).items).toEqual([]);
  });
});
