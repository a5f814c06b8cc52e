import type { AddressInfo } from 'node:net';
import { beforeAll, expect, it } from 'vitest';
import { createDraft, createPublished } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { buildNewsroom, cachingEnv, isFromStore, surrogateKeysOf, type Newsroom } from './caching-fixtures.ts';

// A write purges the answers it changes and nothing else: a breaking-news day saves the lead story every
// minute, and every other page must stay stored meanwhile.
describeEachDialect('purges that touch only what changed', (dialect) => {
  const { t } = useTestApp(dialect, { env: cachingEnv });
  let n: Newsroom;
  beforeAll(async () => {
    n = await buildNewsroom(t);
  });

  const read = (url: string) => t.http().get(url).expect(200);
  const storyPage = () => `/v1/articles/${n.story.slug}`;
  const otherPage = () => `/v1/articles/${n.other.slug}`;
  const list = (filter: 'rubric' | 'tag' | 'author', slug: string) => `/v1/articles?${filter}=${slug}`;
  const idsIn = async (url: string) => (await read(url)).body.items.map((a: { id: string }) => a.id);

  /** Reads each URL until it is served from the store. */
  async function warm(...urls: string[]): Promise<void> {
    for (const url of urls) {
      await read(url);
      expect(isFromStore(await read(url)), url).toBe(true);
    }
  }

  /** Which of the URLs are still served from the store. */
  async function stillStored(...urls: string[]): Promise<Record<string, boolean>> {
    const stored: Record<string, boolean> = {};
    for (const url of urls) stored[url] = isFromStore(await read(url));
    return stored;
  }

  const everyOne = (urls: string[], value: boolean) => Object.fromEntries(urls.map((url) => [url, value]));

  /** A management write as the admin, with If-Match from the record's current ETag; answers its body. */
  async function patch(path: string, body: object) {
    const etag = (await t.http().get(path).set(n.admin.headers).expect(200)).headers.etag!;
    return (await t.http().patch(path).set(n.admin.headers).set('If-Match', etag).send(body).expect(200)).body;
  }

  it("when an article of rubric A is saved, then rubric B's list, pages and feeds stay stored, and A's lists are made again", async () => {
    const untouched = [list('rubric', n.sport.slug), otherPage(), `/v1/rubrics/${n.sport.slug}/feeds/rss.xml`, '/v1/rubrics', '/v1/tags'];
    const touched = [
      list('rubric', n.city.slug),
      list('tag', n.transport.slug),
      list('author', n.anna.user.slug),
      '/v1/articles',
      storyPage(),
      '/v1/feed',
      `/v1/rubrics/${n.city.slug}/feeds/rss.xml`,
      '/v1/feeds/feed.json',
      '/v1/sitemap.xml',
    ];
    await warm(...untouched, ...touched);
    n.story = await patch(`/v1/admin/articles/${n.story.id}`, { title: 'Дума утвердила бюджет: пути отремонтируют к осени' });
    expect(await stillStored(...untouched, ...touched)).toEqual({ ...everyOne(untouched, true), ...everyOne(touched, false) });
    expect((await read(storyPage())).body.title).toBe('Дума утвердила бюджет: пути отремонтируют к осени');
  });

  it('when the article is in a sub-rubric, then the lists of the rubric above it are made again too', async () => {
    const hockey = await t.container.services.rubrics.create({ name: 'Хоккей', parentId: n.sport.id });
    const match = await createPublished(t, { title: 'Хоккеисты выиграли домашний матч', rubricId: hockey.id });
    await warm(list('rubric', hockey.slug), list('rubric', n.sport.slug), list('rubric', n.city.slug));
    await patch(`/v1/admin/articles/${match.id}`, { lead: 'Счёт 3:1, две шайбы в третьем периоде.' });
    expect(await stillStored(list('rubric', hockey.slug), list('rubric', n.sport.slug), list('rubric', n.city.slug))).toEqual({
      [list('rubric', hockey.slug)]: false,
      [list('rubric', n.sport.slug)]: false,
      [list('rubric', n.city.slug)]: true,
    });
  });

  it('when a draft is saved, submitted and sent back, then no public answer is purged', async () => {
    const draft = await createDraft(t, { title: 'Черновик: реконструкция набережной', rubricId: n.city.id, authorIds: [n.anna.user.id] });
    const urls = [
      '/v1/articles',
      list('rubric', n.city.slug),
      list('author', n.anna.user.slug),
      '/v1/feed',
      storyPage(),
      '/v1/sitemap.xml',
    ];
    await warm(...urls);
    const entries = t.container.publicCache.stats().entries;
    await patch(`/v1/admin/articles/${draft.id}`, { title: 'Черновик: набережную реконструируют в два этапа' });
    for (const step of ['submit', 'reject']) {
      const etag = (await t.http().get(`/v1/admin/articles/${draft.id}`).set(n.admin.headers).expect(200)).headers.etag!;
      await t.http().post(`/v1/admin/articles/${draft.id}/${step}`).set(n.admin.headers).set('If-Match', etag).expect(200);
    }
    expect(t.container.publicCache.stats().entries).toBe(entries);
    expect(await stillStored(...urls)).toEqual(everyOne(urls, true));
  });

  it("when an article leaves a tag, then that tag's list is made again without it, and another tag's list stays stored", async () => {
    const ecology = await t.container.services.tags.create({ name: 'Экология' });
    await createPublished(t, { title: 'В парке посчитали птиц', rubricId: n.sport.id, tagIds: [ecology.id] });
    const urls = [list('tag', n.budget.slug), list('tag', n.transport.slug), list('tag', ecology.slug)];
    await warm(...urls);
    n.story = await patch(`/v1/admin/articles/${n.story.id}`, { tagIds: [n.budget.id] });
    expect(await stillStored(...urls)).toEqual({ [urls[0]!]: false, [urls[1]!]: false, [urls[2]!]: true });
    expect(await idsIn(list('tag', n.transport.slug))).not.toContain(n.story.id);
  });

  it("when a tag gets a new slug, then the lists under its old and new slugs are made again, and another tag's stays stored", async () => {
    const parks = await t.container.services.tags.create({ name: 'Парки' });
    const walk = await createPublished(t, { title: 'Открыли новую аллею', tagIds: [parks.id] });
    const urls = [list('tag', parks.slug), list('tag', 'parki-i-skvery'), list('tag', n.budget.slug)];
    await warm(...urls);
    expect(await idsIn(list('tag', 'parki-i-skvery'))).toEqual([]);
    await patch(`/v1/admin/tags/${parks.id}`, { name: 'Парки и скверы', slug: 'parki-i-skvery' });
    expect(await stillStored(...urls)).toEqual({ [urls[0]!]: false, [urls[1]!]: false, [urls[2]!]: true });
    expect(await idsIn(list('tag', 'parki-i-skvery'))).toEqual([walk.id]);
  });

  it("when a rubric is renamed, then its articles' pages and its lists are made again, and another rubric's stay stored", async () => {
    const urls = [storyPage(), list('rubric', n.city.slug), otherPage(), list('rubric', n.sport.slug)];
    await warm(...urls);
    await patch(`/v1/admin/rubrics/${n.city.id}`, { name: 'Городское хозяйство' });
    expect(await stillStored(...urls)).toEqual({ [urls[0]!]: false, [urls[1]!]: false, [urls[2]!]: true, [urls[3]!]: true });
    expect((await read(storyPage())).body.rubric.name).toBe('Городское хозяйство');
  });

  it('when an article kept out of the feed is saved, then the feed stays stored; when one in it is saved, then it is made again', async () => {
    const quiet = await createPublished(t, { title: 'Расписание электричек на выходные', rubricId: n.sport.id, showInFeed: false });
    await warm('/v1/feed');
    await patch(`/v1/admin/articles/${quiet.id}`, { title: 'Расписание электричек на праздники' });
    expect(isFromStore(await read('/v1/feed'))).toBe(true);
    n.story = await patch(`/v1/admin/articles/${n.story.id}`, { lead: 'Работы начнутся в марте.' });
    expect(isFromStore(await read('/v1/feed'))).toBe(false);
  });

  it('when a search answer shows the article saved, then it is made again; one that does not show it stays stored', async () => {
    const withStory = `/v1/search?q=${encodeURIComponent('бюджет')}`;
    const withOther = `/v1/search?q=${encodeURIComponent('тренера')}`;
    await warm(withStory, withOther);
    expect(surrogateKeysOf(await read(withStory))).toContain(`article:${n.story.id}`);
    expect(surrogateKeysOf(await read(withOther))).not.toContain(`article:${n.story.id}`);
    n.story = await patch(`/v1/admin/articles/${n.story.id}`, { lead: 'Работы начнутся в апреле.' });
    expect(await stillStored(withStory, withOther)).toEqual({ [withStory]: false, [withOther]: true });
  });

  it('when lists are filtered, then each carries the key of its filter instead of the whole list', async () => {
    expect(surrogateKeysOf(await read(list('tag', n.budget.slug)))).toContain(`articles:tag:${n.budget.slug}`);
    expect(surrogateKeysOf(await read(list('author', n.boris.user.slug)))).toContain(`articles:author:${n.boris.user.slug}`);
    const byRubric = surrogateKeysOf(await read(list('rubric', n.sport.slug)));
    expect(byRubric).toEqual(expect.arrayContaining([`articles:rubric:${n.sport.slug}`, 'articles:rubric']));
    expect(byRubric).not.toContain('articles');
  });

  it('when 50 requests miss the same page at once, then they run the statements of one read and share its answer', async () => {
    const url = `${otherPage()}?include=rubric,authors`;
    t.container.publicCache.purgeEverything();
    t.queries.reset();
    await read(url);
    const oneRead = t.queries.count();
    expect(oneRead).toBeGreaterThan(0);
    // One server for all, so that the requests arrive together rather than one server start apart.
    const server = t.container.app.listen(0);
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      t.container.publicCache.purgeEverything();
      t.queries.reset();
      const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`http://127.0.0.1:${port}${url}`)));
      expect(answers.map((res) => res.status)).toEqual(answers.map(() => 200));
      expect(t.queries.count()).toBe(oneRead);
      expect(new Set(answers.map((res) => res.headers.get('etag'))).size).toBe(1);
      // Those not served from the store waited on the one read (a stored answer runs nothing either). On SQLite a read
      // ends before the server takes the next request off the network, so there they never overlap.
      if (dialect === 'postgresql') expect(answers.filter((res) => !res.headers.has('age')).length).toBeGreaterThan(1);
      await Promise.all(answers.map((res) => res.arrayBuffer()));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
