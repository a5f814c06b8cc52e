import { beforeAll, expect, it } from 'vitest';
import type { ArticleResponse } from '../../src/modules/articles/articles.schemas.ts';
import { adminActor, createDraft, createPublished } from '../articles/article-fixtures.ts';
import { cachingEnv, isFromStore, surrogateKeysOf } from '../caching/caching-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const base = 'https://news.example';

describeEachDialect('comment counts', (dialect) => {
  const { t, admin, editor, commentService, publisher, reader } = useTestApp(dialect, {
    roles: ['admin', 'editor'],
    keys: { commentService: ['comments'], publisher: ['publish'], reader: ['read'] },
    env: { ...cachingEnv, PUBLIC_BASE_URL: base, COMMENTS_URL_TEMPLATE: `${base}/articles/{slug}#comments` },
  });
  let story: ArticleResponse;
  let other: ArticleResponse;
  let quiet: ArticleResponse;
  let draft: ArticleResponse;

  beforeAll(async () => {
    const noComments = await t.container.services.rubrics.create({ name: 'Некрологи', commentsEnabledByDefault: false });
    story = await createPublished(t, { title: 'Мэрия закрыла мост на ремонт' });
    other = await createPublished(t, { title: 'В парке открыли каток' });
    quiet = await createPublished(t, { title: 'Умер старейший житель города', rubricId: noComments.id });
    draft = await createDraft(t, { title: 'Черновик о погоде' });
  });

  const put = (counts: { articleId: string; count: number }[], headers = commentService.headers, status = 200) =>
    t.http().put('/v1/admin/comment-counts').set(headers).send({ counts }).expect(status);
  const counts = (...ids: string[]) =>
    t
      .http()
      .get('/v1/comment-counts')
      .query({ articles: ids.join(',') })
      .expect(200);

  it('when an article is created in a rubric that takes no comments, then it takes none unless it says so', async () => {
    expect(quiet.commentsEnabled).toBe(false);
    expect(story.commentsEnabled).toBe(true);
    const rubricId = quiet.rubricId!;
    expect((await createDraft(t, { title: 'Памяти учителя', rubricId, commentsEnabled: true })).commentsEnabled).toBe(true);
  });

  it('when the comment service sets counts, then they go up or down to the number given, and unknown ids are reported back', async () => {
    const first = await put([
      { articleId: story.id, count: 12 },
      { articleId: other.id, count: 3 },
      { articleId: 'no-such-article', count: 7 },
    ]);
    expect(first.body).toEqual({ updated: 2, unknownArticleIds: ['no-such-article'] });
    await put([{ articleId: story.id, count: 9 }]);
    const res = await counts(story.id, other.id, quiet.id, draft.id, 'no-such-article');
    expect(res.body.items).toEqual([
      { articleId: story.id, count: 9, commentsEnabled: true, commentsClosedAt: null, isOpen: true },
      { articleId: other.id, count: 3, commentsEnabled: true, commentsClosedAt: null, isOpen: true },
      { articleId: quiet.id, count: 0, commentsEnabled: false, commentsClosedAt: null, isOpen: false },
    ]);
  });

  it('when a caller without the comments scope sets counts, then 403; an admin may', async () => {
    for (const headers of [editor.headers, publisher.headers, reader.headers]) await put([{ articleId: story.id, count: 1 }], headers, 403);
    await put([{ articleId: story.id, count: 9 }], admin.headers);
    expect((await counts(story.id)).body.items[0].count).toBe(9);
  });

  it('when the update is malformed (too many, repeated, negative), then 422 and nothing changes', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ articleId: `a${i}`, count: 1 }));
    await put(many, commentService.headers, 422);
    await put(
      [
        { articleId: story.id, count: 1 },
        { articleId: story.id, count: 2 },
      ],
      commentService.headers,
      422,
    );
    await put([{ articleId: story.id, count: -1 }], commentService.headers, 422);
    expect((await counts(story.id)).body.items[0].count).toBe(9);
    const tooMany = Array.from({ length: 101 }, (_, i) => `id${i}`).join(',');
    await t.http().get('/v1/comment-counts').query({ articles: tooMany }).expect(400);
  });

  it('when a count is updated, then the audit log records it', async () => {
    const res = await t.http().get('/v1/admin/audit').query({ action: 'comment_count.update' }).set(admin.headers).expect(200);
    const byService = res.body.items.filter((e: { actor: string }) => e.actor === `apiKey:${commentService.id}`);
    expect(byService[0]).toMatchObject({ targetType: 'comment_count', details: expect.objectContaining({ updated: 1, unknown: 0 }) });
    expect(byService.at(-1).details).toMatchObject({ updated: 2, unknown: 1 });
  });

  it('when counts are read, then the answer is briefly cached and keyed comments:<id>', async () => {
    const res = await counts(story.id, other.id);
    expect(res.headers['cache-control']).toMatch(/max-age=10, s-maxage=10/);
    expect(surrogateKeysOf(res)).toEqual(expect.arrayContaining([`comments:${story.id}`, `comments:${other.id}`]));
  });

  it('when a count changes, then only the answers showing it are purged: the article page and plain lists stay cached', async () => {
    const page = `/v1/articles/${story.slug}`;
    const read = (url: string, query: Record<string, string> = {}) => t.http().get(url).query(query).expect(200);
    const warm = async (url: string, query: Record<string, string> = {}) => {
      await read(url, query);
      expect(isFromStore(await read(url, query)), url).toBe(true);
    };
    await warm(page);
    await warm('/v1/articles');
    await warm('/v1/comment-counts', { articles: story.id });
    await warm('/v1/comment-counts', { articles: other.id });
    await warm('/v1/articles', { include: 'commentCount' });
    await warm('/v1/feed', { include: 'commentCount' });
    expect(surrogateKeysOf(await read(page))).not.toContain(`comments:${story.id}`);

    await put([{ articleId: story.id, count: 15 }]);

    expect(isFromStore(await read(page))).toBe(true);
    expect(isFromStore(await read('/v1/articles'))).toBe(true);
    expect(isFromStore(await read('/v1/comment-counts', { articles: other.id }))).toBe(true);
    const fresh = await read('/v1/comment-counts', { articles: story.id });
    expect([isFromStore(fresh), fresh.body.items[0].count]).toEqual([false, 15]);
    const list = await read('/v1/articles', { include: 'commentCount' });
    expect([isFromStore(list), list.body.items.find((a: { id: string }) => a.id === story.id).commentCount]).toEqual([false, 15]);
    const feed = await read('/v1/feed', { include: 'commentCount' });
    expect(isFromStore(feed)).toBe(false);
    expect(feed.body.items.find((i: { article: { id: string } | null }) => i.article?.id === story.id).article.commentCount).toBe(15);
  });

  it('when the article page is made, then its JSON-LD has the comment count and the discussion URL, unless comments are off', async () => {
    // Writes through the services skip the HTTP layer's purge: the page is made anew here.
    t.container.publicCache.purgeEverything();
    const res = await t.http().get(`/v1/articles/${story.slug}`).expect(200);
    const jsonLd = JSON.parse(JSON.stringify(res.body.jsonLd));
    expect(jsonLd).toMatchObject({ commentCount: 15, discussionUrl: `${base}/articles/${story.slug}#comments` });
    expect(res.body).toMatchObject({ commentsEnabled: true, commentsClosedAt: null });
    const silent = await t.http().get(`/v1/articles/${quiet.slug}`).expect(200);
    expect(silent.body.jsonLd.discussionUrl).toBeUndefined();
  });

  it('when comments close at a time, then from that time the article is shown as closed', async () => {
    const closesAt = new Date(t.clock.now().getTime() + 60_000).toISOString();
    await t.container.services.articles.update(other.id, { commentsClosedAt: closesAt }, adminActor);
    t.container.publicCache.purgeEverything();
    expect((await counts(other.id)).body.items[0]).toMatchObject({ commentsClosedAt: closesAt, isOpen: true });
    t.clock.advance(120_000);
    t.container.publicCache.purgeEverything();
    expect((await counts(other.id)).body.items[0].isOpen).toBe(false);
  });
});
