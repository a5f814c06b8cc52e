import type { Response } from 'supertest';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

interface PublicItem {
  id: string;
  kind: string;
  headline: string;
  isPinned: boolean;
  publishedAt: string;
  rubric: { slug: string } | null;
  article: { id: string; cover: unknown } | null;
}

describeEachDialect('the public feed', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'] });

  const prisma = () => t.container.db.prisma;
  const createItem = (body: Record<string, unknown>) => t.http().post('/v1/admin/feed-items').set(editor.headers).send(body).expect(201);
  const link = (headline: string, fields: Record<string, unknown> = {}) =>
    createItem({ kind: 'link', headline, url: 'https://partner.example/news', ...fields });
  const clearFeed = () => prisma().feedItem.deleteMany();
  const insertArticle = (title: string, data: { status?: 'draft' | 'published'; rubricId?: string; coverMediaId?: string } = {}) =>
    prisma().article.create({
      data: {
        title,
        slug: `a-${Math.random().toString(36).slice(2)}`,
        lead: 'Подробности — в материале.',
        body: [],
        keyPoints: [],
        searchText: '',
        status: 'published',
        publishedAt: new Date('2026-11-20T06:00:00.000Z'),
        ...data,
      },
    });
  const walk = async (query: Record<string, string | number> = {}) => {
    const seen: PublicItem[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t
        .http()
        .get('/v1/feed')
        .query({ ...query, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return seen;
  };

  it('when paging with a small limit, then pinned items come first, then newest, each once, to the end', async () => {
    await clearFeed();
    // Equal times on purpose: the id decides among them, on both sides of the pinned boundary.
    const plan: [boolean, string][] = [
      [false, '2026-11-20T08:00:00.000Z'],
      [true, '2026-11-19T08:00:00.000Z'],
      [false, '2026-11-20T08:00:00.000Z'],
      [true, '2026-11-20T07:00:00.000Z'],
      [false, '2026-11-20T08:30:00.000Z'],
      [true, '2026-11-19T08:00:00.000Z'],
      [false, '2026-11-18T08:00:00.000Z'],
      [false, '2026-11-20T08:00:00.000Z'],
      [true, '2026-11-20T08:59:00.000Z'],
    ];
    for (const [isPinned, publishedAt] of plan) await link('Новость партнёров', { isPinned, publishedAt });
    const rows = await prisma().feedItem.findMany();
    const expected = rows
      .sort(
        (a, b) => Number(b.isPinned) - Number(a.isPinned) || b.publishedAt.getTime() - a.publishedAt.getTime() || (a.id < b.id ? 1 : -1),
      )
      .map((r) => r.id);
    for (const limit of [1, 2, 3, 4, 100]) {
      const seen = await walk({ limit });
      expect(
        seen.map((i) => i.id),
        `limit ${limit}`,
      ).toEqual(expected);
    }
    const seen = await walk({ limit: 2 });
    expect(seen.map((i) => i.isPinned)).toEqual([true, true, true, true, false, false, false, false, false]);
  });

  it("when the clock moves through an item's visibility window, then it shows only inside it", async () => {
    await clearFeed();
    await link('Всегда видно');
    await createItem({
      kind: 'live',
      headline: 'Трансляция матча',
      url: 'https://live.example/match',
      visibleFrom: '2026-11-20T12:00:00.000Z',
      visibleUntil: '2026-11-20T14:00:00.000Z',
    });
    const headlines = async () => (await walk()).map((i) => i.headline).sort();
    t.clock.set('2026-11-20T11:59:59.999Z');
    expect(await headlines()).toEqual(['Всегда видно']);
    t.clock.set('2026-11-20T12:00:00.000Z');
    expect(await headlines()).toEqual(['Всегда видно', 'Трансляция матча']);
    t.clock.set('2026-11-20T13:59:59.999Z');
    expect(await headlines()).toEqual(['Всегда видно', 'Трансляция матча']);
    t.clock.set('2026-11-20T14:00:00.000Z');
    expect(await headlines()).toEqual(['Всегда видно']);
    t.clock.set('2026-11-20T09:00:00.000Z');
  });

  it('when an article goes back to draft, then its item is hidden until it is published again', async () => {
    await clearFeed();
    const article = await insertArticle('Метро продлят до аэропорта');
    await createItem({ kind: 'article', headline: 'Метро до аэропорта', articleId: article.id });
    expect((await walk()).map((i) => i.article?.id)).toEqual([article.id]);
    await prisma().article.update({ where: { id: article.id }, data: { status: 'draft' } });
    expect(await walk()).toEqual([]);
    await prisma().article.update({ where: { id: article.id }, data: { status: 'published' } });
    expect(await walk()).toHaveLength(1);
  });

  it('when an item links an article, then the article comes with its slug, lead and cover; other kinds have none', async () => {
    await clearFeed();
    const rubric = await t.container.services.rubrics.create({ name: 'Город' });
    const cover = await t.container.services.media.create(
      { kind: 'image', url: 'https://media.example/tram.jpg', mimeType: 'image/jpeg', credit: 'Городские новости/Иван Петров' },
      { type: 'user', userId: editor.user.id, role: 'editor' },
    );
    const article = await insertArticle('Открыта новая линия трамвая', { rubricId: rubric.id, coverMediaId: cover.id });
    await createItem({ kind: 'article', headline: 'Новая линия трамвая', articleId: article.id, publishedAt: '2026-11-20T08:00:00.000Z' });
    await link('Партнёрская ссылка', { publishedAt: '2026-11-20T07:00:00.000Z' });
    const res = await t.http().get('/v1/feed').expect(200);
    const { createdById: _creator, contentHash: _hash, version: _version, ...publicCover } = cover;
    expect(res.body.items).toEqual([
      {
        id: expect.any(String),
        kind: 'article',
        headline: 'Новая линия трамвая',
        url: null,
        isPinned: false,
        publishedAt: '2026-11-20T08:00:00.000Z',
        isLive: false,
        rubric: { id: rubric.id, name: 'Город', slug: 'gorod' },
        article: { id: article.id, slug: article.slug, title: article.title, lead: article.lead, cover: publicCover },
        adMarking: null,
      },
      expect.objectContaining({ kind: 'link', url: 'https://partner.example/news', rubric: null, article: null }),
    ]);
  });

  it("when filtered by a rubric slug, then only that rubric's items come; an unknown or inactive rubric gives an empty page", async () => {
    await clearFeed();
    const sport = await t.container.services.rubrics.create({ name: 'Спорт' });
    const archive = await t.container.services.rubrics.create({ name: 'Архив', isActive: false });
    await link('Хоккей: итоги тура', { rubricId: sport.id });
    await link('Без рубрики');
    await link('Старое', { rubricId: archive.id });
    expect((await walk({ rubric: 'sport' })).map((i) => i.headline)).toEqual(['Хоккей: итоги тура']);
    expect(await walk({ rubric: 'net-takoy' })).toEqual([]);
    expect(await walk({ rubric: 'arkhiv' })).toEqual([]);
    const archived = (await walk()).find((i) => i.headline === 'Старое');
    expect(archived?.rubric).toBeNull();
  });

  it('when a page is larger, then it takes the same number of queries', async () => {
    await clearFeed();
    const rubric = await t.container.services.rubrics.create({ name: 'Экономика' });
    for (let i = 0; i < 12; i++) {
      const article = await insertArticle(`Экономическая новость ${i}`, { rubricId: rubric.id });
      await createItem({ kind: 'article', headline: `Новость ${i}`, articleId: article.id, isPinned: i % 4 === 0 });
    }
    const countFor = async (limit: number) => {
      t.queries.reset();
      await t.http().get('/v1/feed').query({ limit }).expect(200);
      return t.queries.count();
    };
    expect(await countFor(10)).toBe(await countFor(2));
  });

  it('when the cursor is not one the feed gave out, then 400', async () => {
    const bad = Buffer.from(JSON.stringify(['2026-11-20T08:00:00.000Z', 'id'])).toString('base64url');
    for (const cursor of ['garbage', bad]) {
      const res = await t.http().get('/v1/feed').query({ cursor }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'query.cursor', message: 'Invalid cursor' }]);
    }
    await t.http().get('/v1/feed').query({ limit: 0 }).expect(400);
  });
});
