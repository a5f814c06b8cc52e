import { beforeAll, expect, it } from 'vitest';
import { createDraft, createPublished } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { buildNewsroom, cachingEnv, isFromStore, type Newsroom } from './caching-fixtures.ts';

describeEachDialect('invalidation of the public cache by writes', (dialect) => {
  const { t } = useTestApp(dialect, { env: cachingEnv });
  let n: Newsroom;
  beforeAll(async () => {
    n = await buildNewsroom(t);
  });

  const read = (url: string, query: Record<string, string> = {}) => t.http().get(url).query(query).expect(200);
  const storyPage = () => `/v1/articles/${n.story.slug}`;
  const otherPage = () => `/v1/articles/${n.other.slug}`;

  /** Reads each URL until it is served from the store. */
  async function warm(...urls: string[]): Promise<void> {
    for (const url of urls) {
      await read(url);
      expect(isFromStore(await read(url)), url).toBe(true);
    }
  }

  /** A management write as the admin, with If-Match from the record's current ETag; answers its body. */
  async function write(method: 'patch' | 'post' | 'delete', path: string, recordPath: string, status: number, body?: object) {
    const etag = (await t.http().get(recordPath).set(n.admin.headers).expect(200)).headers.etag!;
    const req = t.http()[method](path).set(n.admin.headers).set('If-Match', etag);
    return (await (body ? req.send(body) : req).expect(status)).body;
  }

  it('when an answer is stored, then a hit runs no query and sends the same bytes and ETag', async () => {
    const first = await read(storyPage());
    t.queries.reset();
    const hit = await read(storyPage());
    expect(t.queries.count()).toBe(0);
    expect(isFromStore(hit)).toBe(true);
    expect(hit.text).toBe(first.text);
    expect(hit.headers.etag).toBe(first.headers.etag);
    expect(hit.headers['surrogate-key']).toBe(first.headers['surrogate-key']);
  });

  it('when an article is edited, then its page, the lists and the feed show it at once, and answers without it stay stored', async () => {
    await warm(storyPage(), '/v1/articles', '/v1/feed', otherPage(), '/v1/rubrics', `/v1/media/${n.cover.id}`);
    n.story = await write('patch', `/v1/admin/articles/${n.story.id}`, `/v1/admin/articles/${n.story.id}`, 200, {
      title: 'Дума утвердила бюджет: ремонт путей начнётся весной',
    });
    const page = await read(storyPage());
    expect([isFromStore(page), page.body.title]).toEqual([false, 'Дума утвердила бюджет: ремонт путей начнётся весной']);
    expect((await read('/v1/articles')).body.items.find((a: { id: string }) => a.id === n.story.id).title).toBe(n.story.title);
    expect(
      (await read('/v1/feed')).body.items.find((i: { article: { id: string } | null }) => i.article?.id === n.story.id).article.title,
    ).toBe(n.story.title);
    for (const url of [otherPage(), '/v1/rubrics', `/v1/media/${n.cover.id}`]) expect(isFromStore(await read(url)), url).toBe(true);
  });

  it('when a draft is published, then it joins the list and the feed at once', async () => {
    const draft = await createDraft(t, { title: 'Мост через Нерль откроют в декабре', rubricId: n.city.id });
    await warm('/v1/articles', '/v1/feed', `/v1/rubrics/${n.city.slug}`);
    await write('post', `/v1/admin/articles/${draft.id}/publish`, `/v1/admin/articles/${draft.id}`, 200);
    expect((await read('/v1/articles')).body.items.map((a: { id: string }) => a.id)).toContain(draft.id);
    expect((await read('/v1/feed')).body.items.map((i: { article: { id: string } | null }) => i.article?.id)).toContain(draft.id);
    expect((await read('/v1/articles', { rubric: n.city.slug })).body.items.map((a: { id: string }) => a.id)).toContain(draft.id);
    // The rubric's own page does not list articles, so it stays.
    expect(isFromStore(await read(`/v1/rubrics/${n.city.slug}`))).toBe(true);
  });

  it('when an article is unpublished, then its page is gone and it leaves the lists and its author page at once', async () => {
    const lone = await t.signIn('author', { displayName: 'Вера Лебедева' });
    const article = await createPublished(t, { title: 'Открылась выставка городской фотографии', authorIds: [lone.user.id] });
    await warm(`/v1/articles/${article.slug}`, '/v1/articles', `/v1/authors/${lone.user.slug}`);
    await write('post', `/v1/admin/articles/${article.id}/unpublish`, `/v1/admin/articles/${article.id}`, 200);
    await t.http().get(`/v1/articles/${article.slug}`).expect(404);
    expect((await read('/v1/articles')).body.items.map((a: { id: string }) => a.id)).not.toContain(article.id);
    await t.http().get(`/v1/authors/${lone.user.slug}`).expect(404);
  });

  it('when an article is moved to the trash, then its page and its feed item are gone at once', async () => {
    const article = await createPublished(t, { title: 'Автобус №12 изменит маршрут' });
    await warm(`/v1/articles/${article.slug}`, '/v1/feed');
    await write('delete', `/v1/admin/articles/${article.id}`, `/v1/admin/articles/${article.id}`, 204);
    await t.http().get(`/v1/articles/${article.slug}`).expect(404);
    expect((await read('/v1/feed')).body.items.map((i: { article: { id: string } | null }) => i.article?.id)).not.toContain(article.id);
  });

  it("when an article's slug changes, then the new slug answers and the old one redirects at once", async () => {
    const article = await createPublished(t, { title: 'В парке высадят двести лип' });
    await warm(`/v1/articles/${article.slug}`);
    await write('patch', `/v1/admin/articles/${article.id}`, `/v1/admin/articles/${article.id}`, 200, { slug: 'v-parke-vysadyat-lipy' });
    const moved = await t.http().get(`/v1/articles/${article.slug}`).expect(301);
    expect(moved.headers.location).toBe('/v1/articles/v-parke-vysadyat-lipy');
    expect(moved.headers['cache-control']).toBe('no-store');
    expect((await read('/v1/articles/v-parke-vysadyat-lipy')).body.id).toBe(article.id);
  });

  it('when a rubric is renamed, then every answer embedding it shows the new name, and the others stay stored', async () => {
    await warm(
      storyPage(),
      otherPage(),
      '/v1/articles',
      '/v1/rubrics',
      `/v1/rubrics/${n.city.slug}`,
      '/v1/tags',
      `/v1/media/${n.cover.id}`,
    );
    await write('patch', `/v1/admin/rubrics/${n.city.id}`, `/v1/admin/rubrics/${n.city.id}`, 200, { name: 'Городская жизнь' });
    expect((await read(storyPage())).body.rubric.name).toBe('Городская жизнь');
    expect((await read('/v1/articles')).body.items.find((a: { id: string }) => a.id === n.story.id).rubric.name).toBe('Городская жизнь');
    expect((await read('/v1/rubrics')).body.items.find((r: { id: string }) => r.id === n.city.id).name).toBe('Городская жизнь');
    expect((await read(`/v1/rubrics/${n.city.slug}`)).body.name).toBe('Городская жизнь');
    for (const url of [otherPage(), '/v1/tags', `/v1/media/${n.cover.id}`]) expect(isFromStore(await read(url)), url).toBe(true);
  });

  it('when a tag is renamed, then the pages embedding it show the new name, and the others stay stored', async () => {
    await warm(storyPage(), otherPage(), '/v1/tags', '/v1/rubrics');
    await write('patch', `/v1/admin/tags/${n.transport.id}`, `/v1/admin/tags/${n.transport.id}`, 200, { name: 'Общественный транспорт' });
    expect((await read(storyPage())).body.tags.map((tag: { name: string }) => tag.name)).toContain('Общественный транспорт');
    expect((await read('/v1/tags')).body.items.map((tag: { name: string }) => tag.name)).toContain('Общественный транспорт');
    for (const url of [otherPage(), '/v1/rubrics']) expect(isFromStore(await read(url)), url).toBe(true);
  });

  it("when a media item's credit changes, then the pages showing it as cover or in the body show the new credit", async () => {
    await warm(storyPage(), otherPage(), '/v1/articles', `/v1/media/${n.photo.id}`, `/v1/media/${n.cover.id}`);
    await write('patch', `/v1/admin/media/${n.photo.id}`, `/v1/admin/media/${n.photo.id}`, 200, {
      credit: 'Городские новости/Илья Орлов, архив',
    });
    const page = await read(storyPage());
    expect(page.body.body.find((block: { type: string }) => block.type === 'image').media.credit).toBe(
      'Городские новости/Илья Орлов, архив',
    );
    expect((await read(`/v1/media/${n.photo.id}`)).body.credit).toBe('Городские новости/Илья Орлов, архив');
    for (const url of [otherPage(), '/v1/articles', `/v1/media/${n.cover.id}`]) expect(isFromStore(await read(url)), url).toBe(true);
    await write('patch', `/v1/admin/media/${n.cover.id}`, `/v1/admin/media/${n.cover.id}`, 200, {
      credit: 'Городские новости/Ольга Ким, 2026',
    });
    expect((await read('/v1/articles')).body.items.find((a: { id: string }) => a.id === n.story.id).cover.credit).toBe(
      'Городские новости/Ольга Ким, 2026',
    );
    expect((await read(storyPage())).body.cover.credit).toBe('Городские новости/Ольга Ким, 2026');
  });

  it("when an author's name changes, then their bylines and their page show it, and other pages stay stored", async () => {
    await warm(storyPage(), otherPage(), `/v1/authors/${n.anna.user.slug}`, '/v1/rubrics');
    await write('patch', `/v1/admin/users/${n.anna.user.id}`, `/v1/admin/users/${n.anna.user.id}`, 200, {
      displayName: 'Анна Смирнова-Ким',
    });
    expect((await read(storyPage())).body.authors.map((a: { displayName: string }) => a.displayName)).toContain('Анна Смирнова-Ким');
    expect((await read(`/v1/authors/${n.anna.user.slug}`)).body.displayName).toBe('Анна Смирнова-Ким');
    for (const url of [otherPage(), '/v1/rubrics']) expect(isFromStore(await read(url)), url).toBe(true);
  });

  it('when feed items are added, changed and removed, then the feed shows it at once and article pages stay stored', async () => {
    await warm('/v1/feed', storyPage());
    const created = await t
      .http()
      .post('/v1/admin/feed-items')
      .set(n.admin.headers)
      .send({ kind: 'live', headline: 'Прямая трансляция заседания думы', url: 'https://live.example/duma' })
      .expect(201);
    const headlines = async () => (await read('/v1/feed')).body.items.map((i: { headline: string }) => i.headline);
    expect(await headlines()).toContain('Прямая трансляция заседания думы');
    await warm('/v1/feed');
    await write('patch', `/v1/admin/feed-items/${created.body.id}`, `/v1/admin/feed-items/${created.body.id}`, 200, {
      headline: 'Трансляция: дума обсуждает бюджет',
    });
    expect(await headlines()).toContain('Трансляция: дума обсуждает бюджет');
    await warm('/v1/feed');
    await write('delete', `/v1/admin/feed-items/${created.body.id}`, `/v1/admin/feed-items/${created.body.id}`, 204);
    expect(await headlines()).not.toContain('Трансляция: дума обсуждает бюджет');
    expect(isFromStore(await read(storyPage()))).toBe(true);
  });

  it('when a write is refused, then nothing is purged', async () => {
    await warm(storyPage());
    await t
      .http()
      .patch(`/v1/admin/articles/${n.story.id}`)
      .set(n.admin.headers)
      .set('If-Match', '"999"')
      .send({ title: 'Не тот заголовок' })
      .expect(412);
    await t.http().patch(`/v1/admin/rubrics/${n.city.id}`).set(n.anna.headers).set('If-Match', '*').send({ name: 'x' }).expect(403);
    expect(isFromStore(await read(storyPage()))).toBe(true);
  });
});
