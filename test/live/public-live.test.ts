import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { createLiveArticle, paragraph, postEntry } from './live-fixtures.ts';

describeEachDialect('live coverage: what the public reads', (dialect) => {
  const { t, editor } = useTestApp(dialect, {
    roles: ['editor'],
    // The clock moves hours on; the editor's token must outlive it.
    env: { PUBLIC_BASE_URL: 'https://news.example', ACCESS_TOKEN_TTL_SECONDS: '86400' },
  });
  let article: { id: string; slug: string };
  const entryIds: string[] = [];
  beforeAll(async () => {
    article = await createLiveArticle(t, editor, { title: 'Паводок в области: прямой эфир' });
    // 23 entries a minute apart, the 3rd a key event, the 5th pinned.
    for (let i = 1; i <= 23; i++) {
      t.clock.advance(60_000);
      const res = await postEntry(t, article.id, editor.headers, {
        title: `Сводка №${i}`,
        body: [paragraph(`Уровень воды в реке Сура: обновление номер ${i}.`)],
        ...(i === 3 ? { isKeyEvent: true } : {}),
        ...(i === 5 ? { isPinned: true } : {}),
      }).expect(201);
      entryIds.push(res.body.id);
    }
  });
  const newestFirst = () => [...entryIds].reverse();

  it('when a live article is read, then `live` carries the pinned entry, the key events, the newest page and the count', async () => {
    const res = await t.http().get(`/v1/articles/${article.slug}`).expect(200);
    const live = res.body.live;
    expect(live).toMatchObject({ isLive: true, coverageEndedAt: null, entryCount: 23, coverageStartedAt: expect.any(String) });
    expect(live.pinned.id).toBe(entryIds[4]);
    expect(live.keyEvents).toEqual([{ id: entryIds[2], title: 'Сводка №3', publishedAt: expect.any(String) }]);
    expect(live.entries.map((e: { id: string }) => e.id)).toEqual(newestFirst().slice(0, 20));
    expect(live.entries[0].authors).toEqual([{ id: editor.user.id, displayName: editor.user.displayName, slug: expect.any(String) }]);
    const older = await t.http().get(`/v1/articles/${article.slug}/live-entries`).query({ cursor: live.nextCursor }).expect(200);
    expect(older.body.items.map((e: { id: string }) => e.id)).toEqual(newestFirst().slice(20));
    expect(older.body.nextCursor).toBeNull();
    const fields = await t.http().get(`/v1/articles/${article.slug}`).query({ fields: 'title' }).expect(200);
    expect(fields.body.live).toBeUndefined();
  });

  it('when the JSON-LD of a live article is put in a page and parsed back, then it is a LiveBlogPosting with its newest updates', async () => {
    const res = await t.http().get(`/v1/articles/${article.slug}`).expect(200);
    // As a page embeds it: in a script element, `<` escaped; then read back as a crawler does.
    const html = `<script type="application/ld+json">${JSON.stringify(res.body.jsonLd).replaceAll('<', '\\u003c')}</script>`;
    const parsed = JSON.parse(/<script type="application\/ld\+json">(.*)<\/script>/s.exec(html)![1]!);
    expect(parsed).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'LiveBlogPosting',
      headline: 'Паводок в области: прямой эфир',
      coverageStartTime: res.body.live.coverageStartedAt,
    });
    expect(parsed.coverageEndTime).toBeUndefined();
    expect(parsed.liveBlogUpdate).toHaveLength(23);
    expect(parsed.liveBlogUpdate[0]).toEqual({
      '@type': 'BlogPosting',
      headline: 'Сводка №23',
      articleBody: 'Уровень воды в реке Сура: обновление номер 23.',
      datePublished: expect.any(String),
      dateModified: expect.any(String),
      url: `https://news.example/articles/${article.slug}#entry-${entryIds[22]}`,
      author: [{ '@type': 'Person', name: editor.user.displayName }],
    });
    for (const update of parsed.liveBlogUpdate) expect(Date.parse(update.datePublished)).not.toBeNaN();
  });

  it('when key events are asked for, then only they come', async () => {
    const res = await t.http().get(`/v1/articles/${article.slug}/live-entries`).query({ keyEvents: 'true' }).expect(200);
    expect(res.body.items.map((e: { id: string }) => e.id)).toEqual([entryIds[2]]);
    expect(res.headers['surrogate-key']).toContain(`live-entries:${article.id}`);
  });

  it('when entries are added, edited and deleted after a `since` token, then exactly those come back, deleted ones by id', async () => {
    const before = await t.http().get(`/v1/articles/${article.slug}/live-entries`).query({ limit: 1 }).expect(200);
    const nothing = await t.http().get(`/v1/articles/${article.slug}/live-entries`).query({ since: before.body.since }).expect(200);
    expect(nothing.body).toMatchObject({ items: [], deletedIds: [], since: before.body.since });

    const added = await postEntry(t, article.id, editor.headers, { body: [paragraph('Эвакуация жителей двух сёл завершена.')] }).expect(
      201,
    );
    await t
      .http()
      .patch(`/v1/admin/articles/${article.id}/live-entries/${entryIds[0]}`)
      .set(editor.headers)
      .set('If-Match', '"1"')
      .send({ title: 'Сводка №1 (уточнено)' })
      .expect(200);
    await t
      .http()
      .delete(`/v1/admin/articles/${article.id}/live-entries/${entryIds[1]}`)
      .set(editor.headers)
      .set('If-Match', '"1"')
      .expect(204);

    const changes = await t.http().get(`/v1/articles/${article.slug}/live-entries`).query({ since: before.body.since }).expect(200);
    expect(changes.body.items.map((e: { id: string; title: string | null }) => [e.id, e.title])).toEqual([
      [added.body.id, null],
      [entryIds[0], 'Сводка №1 (уточнено)'],
    ]);
    expect(changes.body.deletedIds).toEqual([entryIds[1]]);
    const after = await t.http().get(`/v1/articles/${article.slug}/live-entries`).query({ since: changes.body.since }).expect(200);
    expect(after.body).toMatchObject({ items: [], deletedIds: [] });
    await t.http().get(`/v1/articles/${article.slug}/live-entries`).query({ since: 'not-a-token' }).expect(400);
  });

  it('when a live article is a draft, then neither it nor its entries are public, nor streamed; once published they are', async () => {
    const draft = await createLiveArticle(t, editor, { title: 'Выборы мэра: ночь подсчёта', isPublished: false });
    await postEntry(t, draft.id, editor.headers, { body: [paragraph('Участки закрылись в 20:00.')] }).expect(201);
    await t.http().get(`/v1/articles/${draft.slug}`).expect(404);
    await t.http().get(`/v1/articles/${draft.slug}/live-entries`).expect(404);
    expect(await t.container.db.prisma.streamEvent.count({ where: { topic: `live:${draft.id}` } })).toBe(0);

    const read = await t.http().get(`/v1/admin/articles/${draft.id}`).set(editor.headers).expect(200);
    t.clock.advance(60_000);
    await t
      .http()
      .post(`/v1/admin/articles/${draft.id}/publish`)
      .set(editor.headers)
      .set('If-Match', read.headers.etag!)
      .send({ publishAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString() })
      .expect(200);
    await t.http().get(`/v1/articles/${draft.slug}/live-entries`).expect(404);
    t.clock.advance(3_600_000);
    const res = await t.http().get(`/v1/articles/${draft.slug}/live-entries`).expect(200);
    expect(res.body.items).toHaveLength(1);
    await postEntry(t, draft.id, editor.headers, { body: [paragraph('Явка превысила 40%.')] }).expect(201);
    expect(await t.container.db.prisma.streamEvent.count({ where: { topic: `live:${draft.id}` } })).toBe(1);
  });

  it('when a reader searches for words only an entry has, then the live article is found', async () => {
    await postEntry(t, article.id, editor.headers, { body: [paragraph('Спасатели доставили в Алатырь мотопомпы.')] }).expect(201);
    const res = await t.http().get('/v1/search').query({ q: 'мотопомпы' }).expect(200);
    expect(res.body.items.map((hit: { id: string }) => hit.id)).toEqual([article.id]);
  });

  it('when the coverage ends, then the article says so and its JSON-LD has coverageEndTime', async () => {
    const read = await t.http().get(`/v1/admin/articles/${article.id}`).set(editor.headers).expect(200);
    await t
      .http()
      .post(`/v1/admin/articles/${article.id}/end-coverage`)
      .set(editor.headers)
      .set('If-Match', read.headers.etag!)
      .expect(200);
    const res = await t.http().get(`/v1/articles/${article.slug}`).expect(200);
    expect(res.body.live).toMatchObject({ isLive: false, coverageEndedAt: t.clock.now().toISOString() });
    expect(res.body.jsonLd.coverageEndTime).toBe(t.clock.now().toISOString());
  });
});

describeEachDialect('live coverage: cached public answers', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'], env: { PUBLIC_CACHE: 'on' } });

  it('when an entry is posted, then its article page, its entries and the lists showing it are purged, and nothing else', async () => {
    const article = await createLiveArticle(t, editor, { title: 'Матч сборной: текстовая трансляция' });
    const other = await t
      .http()
      .post('/v1/admin/articles')
      .set(editor.headers)
      .send({ title: 'Тарифы на проезд вырастут с января', body: [paragraph('Проезд в автобусе подорожает на пять рублей.')] })
      .expect(201);
    await t.http().post(`/v1/admin/articles/${other.body.id}/publish`).set(editor.headers).set('If-Match', '"1"').expect(200);
    const read = async (url: string) => t.http().get(url).expect(200);
    const urls = [`/v1/articles/${article.slug}`, `/v1/articles/${article.slug}/live-entries`, `/v1/articles/${other.body.slug}`];
    for (const url of urls) await read(url);
    for (const url of urls) expect((await read(url)).headers.age).toBeDefined();

    await postEntry(t, article.id, editor.headers, { body: [paragraph('Первый тайм начался.')] }).expect(201);
    const page = await read(urls[0]!);
    expect(page.headers.age).toBeUndefined();
    expect(page.body.live.entryCount).toBe(1);
    const entries = await read(urls[1]!);
    expect(entries.headers.age).toBeUndefined();
    expect(entries.body.items).toHaveLength(1);
    expect((await read(urls[2]!)).headers.age).toBeDefined();

    // Unpublished, the live blog's cached entries go with it.
    const current = await t.http().get(`/v1/admin/articles/${article.id}`).set(editor.headers).expect(200);
    await t
      .http()
      .post(`/v1/admin/articles/${article.id}/unpublish`)
      .set(editor.headers)
      .set('If-Match', current.headers.etag!)
      .expect(200);
    await t.http().get(urls[1]!).expect(404);
  });
});

describeEachDialect('live coverage in the feed', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'] });

  it('when a live blog is published, then the feed has it as a live item with its article, marked live until the coverage ends', async () => {
    const article = await createLiveArticle(t, editor, { title: 'Саммит в Казани: онлайн' });
    const liveItem = async () =>
      ((await t.http().get('/v1/feed').expect(200)).body.items as { kind: string; isLive: boolean; article: { id: string } | null }[]).find(
        (item) => item.article?.id === article.id,
      );
    expect(await liveItem()).toMatchObject({ kind: 'live', isLive: true, article: { id: article.id, slug: article.slug } });

    const read = await t.http().get(`/v1/admin/articles/${article.id}`).set(editor.headers).expect(200);
    await t
      .http()
      .post(`/v1/admin/articles/${article.id}/end-coverage`)
      .set(editor.headers)
      .set('If-Match', read.headers.etag!)
      .expect(200);
    expect(await liveItem()).toMatchObject({ kind: 'live', isLive: false });
  });

  it('when an editor links a live item to an article that is not a live blog, then 422', async () => {
    const standard = await t
      .http()
      .post('/v1/admin/articles')
      .set(editor.headers)
      .send({ title: 'Итоги недели', body: [paragraph('Главное за неделю.')], showInFeed: false })
      .expect(201);
    const refused = await t
      .http()
      .post('/v1/admin/feed-items')
      .set(editor.headers)
      .send({ kind: 'live', headline: 'Не живой блог', articleId: standard.body.id })
      .expect(422);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.articleId']);
    const blog = await createLiveArticle(t, editor, { title: 'Ночь музеев: онлайн', isPublished: false });
    const linked = await t
      .http()
      .post('/v1/admin/feed-items')
      .set(editor.headers)
      .send({ kind: 'live', headline: 'Ночь музеев: следим онлайн', articleId: blog.id })
      .expect(201);
    expect(linked.body).toMatchObject({ kind: 'live', articleId: blog.id, url: null });
    // A draft live blog's item waits for the article.
    expect(((await t.http().get('/v1/feed').expect(200)).body.items as { id: string }[]).map((i) => i.id)).not.toContain(linked.body.id);
  });
});
