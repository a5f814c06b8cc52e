import { beforeAll, describe, expect, it } from 'vitest';
import type { ArticleResponse } from '../../src/modules/articles/articles.schemas.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { adminActor, createDraft, createMedia, createPublished, paragraph } from './article-fixtures.ts';

const minute = 60_000;
const idsOf = (res: { body: { items: { id: string }[] } }) => res.body.items.map((a) => a.id);

describeEachDialect('the public articles API', (dialect) => {
  const { t, anna, boris } = useTestApp(dialect, {
    users: { anna: { role: 'author', displayName: 'Анна Смирнова' }, boris: { role: 'author', displayName: 'Борис Волков' } },
  });
  let photo: { id: string; credit: string | null };
  let narration: { id: string };
  let rubrics: Record<'sport' | 'football' | 'politics', { id: string }>;
  let tags: Record<'hockey' | 'elections', { id: string }>;
  let match: ArticleResponse;
  let season: ArticleResponse;
  let elections: ArticleResponse;
  let draft: ArticleResponse;
  let withdrawn: ArticleResponse;

  beforeAll(async () => {
    photo = await createMedia(t, 'image', 'ТАСС/Иван Петров');
    narration = await createMedia(t, 'audio');
    const sport = await t.container.services.rubrics.create({ name: 'Спорт' });
    rubrics = {
      sport,
      football: await t.container.services.rubrics.create({ name: 'Футбол', parentId: sport.id }),
      politics: await t.container.services.rubrics.create({ name: 'Политика' }),
    };
    tags = {
      hockey: await t.container.services.tags.create({ name: 'Чемпионат' }),
      elections: await t.container.services.tags.create({ name: 'Выборы' }),
    };

    t.clock.set('2026-11-20T09:00:00.000Z');
    match = await createPublished(t, {
      title: 'Сборная выиграла матч отборочного турнира',
      lead: 'Победный гол забит на последней минуте.',
      body: [
        paragraph('Сборная обыграла соперника со счётом 2:1, решающий мяч забит на 90-й минуте.'),
        { type: 'image', mediaId: photo.id, caption: 'Болельщики после финального свистка' },
        { type: 'quote', text: 'Это победа всей команды.', attribution: 'Главный тренер' },
      ],
      keyPoints: ['решающий мяч забит на 90-й минуте'],
      rubricId: rubrics.football.id,
      tagIds: [tags.hockey.id],
      authorIds: [boris.user.id, anna.user.id],
      coverMediaId: photo.id,
      narrationMediaId: narration.id,
      seoTitle: 'Сборная выиграла матч',
      seoDescription: 'Как сборная вырвала победу на последней минуте.',
    });
    t.clock.set('2026-11-21T09:00:00.000Z');
    season = await createPublished(t, {
      title: 'Итоги хоккейного сезона',
      rubricId: rubrics.sport.id,
      tagIds: [tags.hockey.id],
      authorIds: [boris.user.id],
    });
    t.clock.set('2026-11-22T09:00:00.000Z');
    elections = await createPublished(t, {
      title: 'Выборы в городскую думу назначены на сентябрь',
      rubricId: rubrics.politics.id,
      tagIds: [tags.elections.id],
      authorIds: [anna.user.id],
    });
    // A draft that matches every filter the published ones do, and a once-published article with a former slug.
    draft = await createDraft(t, {
      title: 'Черновик о сборной',
      rubricId: rubrics.football.id,
      tagIds: [tags.hockey.id, tags.elections.id],
      authorIds: [anna.user.id, boris.user.id],
    });
    withdrawn = await createPublished(t, {
      title: 'Снятая с публикации новость',
      rubricId: rubrics.football.id,
      tagIds: [tags.hockey.id],
      authorIds: [anna.user.id],
    });
    await t.container.services.articles.update(withdrawn.id, { slug: 'snyataya-novost' }, adminActor);
    await t.container.services.articles.unpublish(withdrawn.id, adminActor);
    t.clock.set('2026-11-23T09:00:00.000Z');
  });

  const list = (query: Record<string, string | number> = {}) => t.http().get('/v1/articles').query(query).expect(200);

  describe('reading one article', () => {
    it('when a published article is read by slug, then it comes with its body photos and their credits, byline, rubric, tags, cover and narration', async () => {
      const res = await t.http().get(`/v1/articles/${match.slug}`).expect(200);
      expect(res.body).toMatchObject({
        id: match.id,
        slug: 'sbornaya-vyigrala-match-otborochnogo-turnira',
        title: 'Сборная выиграла матч отборочного турнира',
        lead: 'Победный гол забит на последней минуте.',
        rubric: { id: rubrics.football.id, name: 'Футбол', slug: 'futbol' },
        authors: [
          { id: boris.user.id, displayName: 'Борис Волков', slug: 'boris-volkov' },
          { id: anna.user.id, displayName: 'Анна Смирнова', slug: 'anna-smirnova' },
        ],
        tags: [{ id: tags.hockey.id, name: 'Чемпионат', slug: 'chempionat' }],
        cover: { id: photo.id, kind: 'image', credit: 'ТАСС/Иван Петров' },
        narration: { id: narration.id, kind: 'audio' },
        keyPoints: ['решающий мяч забит на 90-й минуте'],
        seoTitle: 'Сборная выиграла матч',
        seoDescription: 'Как сборная вырвала победу на последней минуте.',
        publishedAt: '2026-11-20T09:00:00.000Z',
      });
      expect(res.body.body[1]).toMatchObject({
        type: 'image',
        mediaId: photo.id,
        caption: 'Болельщики после финального свистка',
        media: { id: photo.id, credit: 'ТАСС/Иван Петров' },
      });
      expect(res.body.body[0]).toEqual(paragraph('Сборная обыграла соперника со счётом 2:1, решающий мяч забит на 90-й минуте.'));
      expect(res.body).not.toHaveProperty('status');
      expect(res.headers['cache-control']).toMatch(/^public/);
    });

    it('when a draft is asked for by slug, or by the former slug of an unpublished article, then 404', async () => {
      await t.http().get(`/v1/articles/${draft.slug}`).expect(404);
      await t.http().get(`/v1/articles/${withdrawn.slug}`).redirects(0).expect(404);
      await t.http().get('/v1/articles/snyataya-novost').expect(404);
      await t.http().get('/v1/articles/net-takoy-stati').expect(404);
    });
  });

  describe('lists', () => {
    it('when listing, then only published articles come, newest first, as summaries', async () => {
      const res = await list();
      expect(idsOf(res)).toEqual([elections.id, season.id, match.id]);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items[2]).toMatchObject({
        slug: match.slug,
        rubric: { slug: 'futbol' },
        cover: { credit: 'ТАСС/Иван Петров' },
        authors: [{ slug: 'boris-volkov' }, { slug: 'anna-smirnova' }],
      });
      expect(res.body.items[2]).not.toHaveProperty('body');
    });

    it('when filtering by rubric, then its sub-rubrics are included and drafts never are', async () => {
      expect(idsOf(await list({ rubric: 'sport' }))).toEqual([season.id, match.id]);
      expect(idsOf(await list({ rubric: 'futbol' }))).toEqual([match.id]);
      expect(idsOf(await list({ rubric: 'politika' }))).toEqual([elections.id]);
    });

    it('when filtering by tag or author, then only their published articles come', async () => {
      expect(idsOf(await list({ tag: 'chempionat' }))).toEqual([season.id, match.id]);
      expect(idsOf(await list({ tag: 'vybory' }))).toEqual([elections.id]);
      expect(idsOf(await list({ author: 'anna-smirnova' }))).toEqual([elections.id, match.id]);
      expect(idsOf(await list({ author: 'boris-volkov', tag: 'chempionat', rubric: 'sport' }))).toEqual([season.id, match.id]);
    });

    it('when filtering by publication time, then from and to are inclusive bounds', async () => {
      expect(idsOf(await list({ from: '2026-11-21T09:00:00.000Z' }))).toEqual([elections.id, season.id]);
      expect(idsOf(await list({ to: '2026-11-21T09:00:00.000Z' }))).toEqual([season.id, match.id]);
      expect(idsOf(await list({ from: '2026-11-20T15:00:00+03:00', to: '2026-11-21T15:00:00+03:00' }))).toEqual([season.id]);
    });

    it('when a filter names an unknown rubric, tag or author, then the list is empty', async () => {
      for (const query of [{ rubric: 'net-takoy' }, { tag: 'net-takogo' }, { author: 'nikto' }] as Record<string, string>[]) {
        expect(await list(query).then((r) => r.body), JSON.stringify(query)).toEqual({ items: [], nextCursor: null });
      }
    });

    it('when a query parameter is malformed or unknown, then 400', async () => {
      await t.http().get('/v1/articles').query({ from: 'вчера' }).expect(400);
      await t.http().get('/v1/articles').query({ status: 'draft' }).expect(400);
      await t.http().get('/v1/articles').query({ limit: 0 }).expect(400);
    });
  });

  describe('paging', () => {
    it('when articles are published between page fetches, then paging reaches the end with no duplicate and no gap', async () => {
      const lenta = await t.container.services.rubrics.create({ name: 'Лента' });
      const publishOne = async (n: number) => {
        t.clock.advance(minute);
        return (await createPublished(t, { title: `Новость ленты номер ${n}`, rubricId: lenta.id })).id;
      };
      const before: string[] = [];
      for (let n = 1; n <= 7; n++) before.unshift(await publishOne(n));

      const seen: string[] = [];
      let cursor: string | undefined;
      let extra = 100;
      do {
        const res = await list({ rubric: 'lenta', limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...idsOf(res));
        cursor = res.body.nextCursor ?? undefined;
        await publishOne(extra++);
      } while (cursor);

      expect(seen).toEqual(before);
      expect((await list({ rubric: 'lenta', limit: 100 })).body.items).toHaveLength(7 + (extra - 100));
    });

    it('when a page of 5 and a page of 40 are read, then they cost the same number of queries', async () => {
      const many = await t.container.services.rubrics.create({ name: 'Много новостей' });
      const cover = await createMedia(t, 'image');
      for (let n = 0; n < 41; n++) {
        t.clock.advance(minute);
        await createPublished(t, {
          title: `Заметка ${n}`,
          rubricId: many.id,
          coverMediaId: cover.id,
          tagIds: [tags.hockey.id, tags.elections.id],
          authorIds: [anna.user.id, boris.user.id],
        });
      }
      const cost = async (query: Record<string, string | number>) => {
        t.queries.reset();
        const res = await list(query);
        return { count: t.queries.count(), items: res.body.items.length };
      };
      for (const filter of [{}, { rubric: 'mnogo-novostey' }, { tag: 'vybory', author: 'anna-smirnova' }] as Record<string, string>[]) {
        const small = await cost({ ...filter, limit: 5 });
        const large = await cost({ ...filter, limit: 40 });
        expect([small.items, large.items]).toEqual([5, 40]);
        expect(large.count, JSON.stringify(filter)).toBe(small.count);
      }
    });

    it('when a page of 5 and a page of 50 with related records and a page without them are read, then each is one statement', async () => {
      const cost = async (query: Record<string, string | number>) => {
        t.queries.reset();
        await list(query);
        return t.queries.count();
      };
      const full = [
        await cost({ limit: 5, include: 'rubric,authors,tags,cover' }),
        await cost({ limit: 50, include: 'rubric,authors,tags,cover' }),
      ];
      expect(full[1]).toBe(full[0]);
      const bare = [await cost({ limit: 5, include: '' }), await cost({ limit: 50, include: '' })];
      // The relations are nested in the statement that reads the page (test/read-path/statement-counts.test.ts).
      expect([...full, ...bare]).toEqual([1, 1, 1, 1]);
    });
  });

  describe('asking for less, or for more', () => {
    it('when a cursor is forged with a date no database can compare, then 400, not a 500', async () => {
      const forged = Buffer.from(JSON.stringify(['+275760-09-13T00:00:00.000Z', 'x'])).toString('base64url');
      const res = await t.http().get('/v1/articles').query({ cursor: forged }).expect(400);
      expect(res.type).toBe('application/problem+json');
    });

    it('when a list names its includes, then only those relations are embedded', async () => {
      const res = await list({ include: 'rubric,cover', rubric: 'futbol' });
      const item = res.body.items.find((a: { id: string }) => a.id === match.id);
      expect(item.rubric).toMatchObject({ slug: 'futbol' });
      expect(item.cover).toMatchObject({ id: photo.id });
      expect(item).not.toHaveProperty('authors');
      expect(item).not.toHaveProperty('tags');
      expect((await list({ include: '' })).body.items[0]).not.toHaveProperty('rubric');
    });

    it('when a list names its fields, then each item has only those and its id', async () => {
      const res = await list({ fields: 'title,publishedAt' });
      for (const item of res.body.items) expect(Object.keys(item).sort()).toEqual(['id', 'publishedAt', 'title']);
    });

    it('when an article names its fields and includes, then the answer has only those', async () => {
      const res = await t
        .http()
        .get(`/v1/articles/${match.slug}`)
        .query({ fields: 'title,keyPoints,rubric', include: 'rubric' })
        .expect(200);
      expect(res.body).toEqual({
        id: match.id,
        title: match.title,
        keyPoints: match.keyPoints,
        rubric: { id: rubrics.football.id, name: 'Футбол', slug: 'futbol' },
      });
    });

    it('when include or fields names something unknown, then 400 naming the parameter', async () => {
      const badInclude = await t.http().get('/v1/articles').query({ include: 'rubric,comments' }).expect(400);
      expect(badInclude.body.errors[0].field).toMatch(/^query\.include/);
      const badFields = await t.http().get(`/v1/articles/${match.slug}`).query({ fields: 'title,passwordHash' }).expect(400);
      expect(badFields.body.errors[0].field).toMatch(/^query\.fields/);
      await t.http().get('/v1/articles').query({ include: 'related' }).expect(400);
    });

    it('when an article is read with include=related, then public articles of its rubric or sharing a tag come, newest first, never drafts or itself', async () => {
      const science = await t.container.services.rubrics.create({ name: 'Наука' });
      const [telescope, weather] = [
        await t.container.services.tags.create({ name: 'Телескоп' }),
        await t.container.services.tags.create({ name: 'Погода' }),
      ];
      t.clock.advance(minute);
      const main = await createPublished(t, { title: 'Обсерватория получила новое зеркало', rubricId: science.id, tagIds: [telescope.id] });
      t.clock.advance(minute);
      const sameRubric = await createPublished(t, { title: 'Школьники собрали метеостанцию', rubricId: science.id, tagIds: [weather.id] });
      t.clock.advance(minute);
      const sharedTag = await createPublished(t, {
        title: 'Телескоп откроют для горожан',
        rubricId: rubrics.politics.id,
        tagIds: [telescope.id],
      });
      const unrelated = await createPublished(t, {
        title: 'Ярмарка пройдёт в субботу',
        rubricId: rubrics.politics.id,
        tagIds: [weather.id],
      });
      const hidden = await createDraft(t, { title: 'Черновик про зеркало', rubricId: science.id, tagIds: [telescope.id] });

      const res = await t.http().get(`/v1/articles/${main.slug}`).query({ include: 'related' }).expect(200);
      const related: string[] = res.body.related.map((a: { id: string }) => a.id);
      expect(related).toEqual([sharedTag.id, sameRubric.id]);
      expect(related).not.toContain(unrelated.id);
      expect(related).not.toContain(hidden.id);
      expect(res.body.related[0]).toMatchObject({ slug: sharedTag.slug, rubric: { name: 'Политика' } });
      expect((await t.http().get(`/v1/articles/${main.slug}`).expect(200)).body).not.toHaveProperty('related');
    });
  });
});
