import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoAdminEmail, demoPassword } from '../../src/demo/load-demo.ts';
import { demoArticles } from '../../src/demo/demo-content.ts';
import { startUp } from '../../src/start-up.ts';
import { createTestApp, describeEachDialect, type TestApp } from '../support/test-app.ts';

describeEachDialect('demo content at start-up', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { CMS_DEMO: 'true' });
    await startUp(t.container);
  });
  afterAll(() => t?.close());

  it('when the database is empty, then a newcomer can browse the feed, rubrics and published articles', async () => {
    const feed = await t.http().get('/v1/feed?limit=100').expect(200);
    expect(feed.body.items.length).toBeGreaterThan(10);
    expect(feed.body.items[0].isPinned).toBe(true);
    expect(feed.body.items.map((i: { kind: string }) => i.kind)).toEqual(expect.arrayContaining(['article', 'live', 'link', 'promo']));

    const articles = await t.http().get('/v1/articles?limit=100').expect(200);
    expect(articles.body.items).toHaveLength(demoArticles.filter((a) => a.publishedHoursAgo !== null).length);
    const withCover = articles.body.items.find((a: { cover: unknown }) => a.cover);
    const page = await t.http().get(`/v1/articles/${withCover.slug}`).expect(200);
    expect(page.body.cover.credit).toBeTruthy();
    expect(page.body.keyPoints.length).toBeGreaterThan(0);
    expect(page.body.rubric.name).toBeTruthy();

    await t.http().get('/v1/rubrics/sport').expect(200);
  });

  it('when a demo account signs in, then it can manage content', async () => {
    const login = await t.http().post('/v1/auth/login').send({ email: demoAdminEmail, password: demoPassword }).expect(200);
    const drafts = await t.http().get('/v1/admin/articles?status=draft').set('authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(drafts.body.items).toHaveLength(demoArticles.filter((a) => a.publishedHoursAgo === null).length);
  });

  it('when start-up runs again on a database with content, then nothing is added twice', async () => {
    const before = await t.container.db.prisma.article.count();
    await startUp(t.container);
    expect(await t.container.db.prisma.article.count()).toBe(before);
  });
});
