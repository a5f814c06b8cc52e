import { beforeAll, describe, expect, it } from 'vitest';
import type { ArticleResponse } from '../../src/modules/articles/articles.schemas.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { adminActor, createDraft, createPublished, paragraph } from '../articles/article-fixtures.ts';

const minute = 60_000;
const hour = 60 * minute;
interface Hit {
  id: string;
  title: string;
  score: number;
  snippet: string;
  publishedAt: string;
}
const idsOf = (res: { body: { items: { id: string }[] } }) => res.body.items.map((a) => a.id);

describeEachDialect('GET /v1/search', (dialect) => {
  const { t } = useTestApp(dialect);
  let rubrics: Record<'politics' | 'world' | 'sport', { id: string; slug: string }>;
  let talksTag: { id: string };
  let inTitle: ArticleResponse;
  let inTag: ArticleResponse;
  let inLead: ArticleResponse;
  let inBody: ArticleResponse;
  let inBodyOlder: ArticleResponse;
  let sportNews: ArticleResponse;

  const search = (query: Record<string, string | number | undefined>) => t.http().get('/v1/search').query(query);
  const found = async (q: string) => idsOf(await search({ q }).expect(200));

  beforeAll(async () => {
    const politics = await t.container.services.rubrics.create({ name: 'Политика' });
    rubrics = {
      politics,
      world: await t.container.services.rubrics.create({ name: 'В мире', parentId: politics.id }),
      sport: await t.container.services.rubrics.create({ name: 'Спорт' }),
    };
    talksTag = await t.container.services.tags.create({ name: 'Переговоры' });

    t.clock.set('2026-11-18T09:00:00.000Z');
    inBodyOlder = await createPublished(t, {
      title: 'Хроника недели',
      body: [paragraph('Во вторник начались переговоры о поставках зерна.')],
      rubricId: rubrics.world.id,
    });
    t.clock.set('2026-11-19T09:00:00.000Z');
    inTitle = await createPublished(t, {
      title: 'Переговоры в Пекине завершились',
      body: [paragraph('Делегации подписали итоговое заявление.')],
      rubricId: rubrics.politics.id,
    });
    t.clock.set('2026-11-19T10:00:00.000Z');
    inTag = await createPublished(t, {
      title: 'Делегация вернулась домой',
      body: [paragraph('Самолёт приземлился утром.')],
      tagIds: [talksTag.id],
      rubricId: rubrics.world.id,
    });
    t.clock.set('2026-11-19T11:00:00.000Z');
    inLead = await createPublished(t, {
      title: 'Итоги дня',
      lead: 'Главное за день: переговорах о торговле не видно конца.',
      body: [paragraph('Подробности позже.')],
    });
    t.clock.set('2026-11-19T12:00:00.000Z');
    inBody = await createPublished(t, {
      title: 'Обзор прессы',
      body: [paragraph('Газеты пишут о погоде.'), paragraph('В среду министры провели переговоры в столице.')],
    });
    sportNews = await createPublished(t, {
      title: 'Сборная выиграла матч',
      body: [paragraph('Футболисты обыграли соперника 2:1.')],
      rubricId: rubrics.sport.id,
    });
    t.clock.set('2026-11-20T09:00:00.000Z');
  });

  describe('ranking', () => {
    it('when a word occurs in different fields, then a title hit comes first, then a tag, the lead, the body, and newer before older among equals', async () => {
      const res = await search({ q: 'переговоры' }).expect(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body.items.map((h: Hit) => [h.id, h.score])).toEqual([
        [inTitle.id, 8],
        [inTag.id, 4],
        [inLead.id, 2],
        [inBody.id, 1],
        [inBodyOlder.id, 1],
      ]);
      expect(res.body.nextCursor).toBeNull();
    });

    it('when a query has several words, then only articles with every word are found, ranked by the sum of their words', async () => {
      expect(await found('переговоры Пекин')).toEqual([inTitle.id]);
      expect(await found('министры переговоры столица')).toEqual([inBody.id]);
      expect(await found('переговоры футбол')).toEqual([]);
      const res = await search({ q: 'переговоры делегация' }).expect(200);
      // Делегации in the body of the title hit (8 + 1), Делегация in the title of the tag hit (4 + 8).
      expect(res.body.items.map((h: Hit) => [h.id, h.score])).toEqual([
        [inTag.id, 12],
        [inTitle.id, 9],
      ]);
    });

    it('when a word of the query is in no article, then nothing is found', async () => {
      expect(await found('переговоры кенгуру')).toEqual([]);
      expect(await found('кенгуру')).toEqual([]);
    });
  });

  describe('each hit', () => {
    it('when an article is found, then it comes as the public list shows it, with a snippet and its score', async () => {
      const res = await search({ q: 'Пекин' }).expect(200);
      const listed = (await t.http().get('/v1/articles').query({ limit: 100 }).expect(200)).body.items.find(
        (a: { id: string }) => a.id === inTitle.id,
      );
      const [hit] = res.body.items as Hit[];
      const { snippet, score, ...summary } = hit!;
      expect(summary).toEqual(listed);
      expect(summary).toMatchObject({
        id: inTitle.id,
        slug: inTitle.slug,
        title: inTitle.title,
        rubric: { id: rubrics.politics.id, slug: rubrics.politics.slug },
      });
      expect(score).toBe(8);
      // Found by its title only: the snippet is the start of the text, nothing marked.
      expect(snippet).toBe('Делегации подписали итоговое заявление.');
    });

    it('when the words are in the body, then the snippet marks them in the form they are written in', async () => {
      const res = await search({ q: 'министр переговор' }).expect(200);
      expect(res.body.items[0].snippet).toBe('В среду <mark>министры</mark> провели <mark>переговоры</mark> в столице.');
    });

    it('when the text holds markup, then the snippet escapes it and adds nothing but <mark>', async () => {
      const article = await createPublished(t, {
        title: 'Заметка о безопасности',
        body: [paragraph('Скрипт <script>alert("взлом")</script> & «кавычки» и \'апострофы\' рядом со словом уязвимость.')],
      });
      const res = await search({ q: 'уязвимости' }).expect(200);
      expect(idsOf(res)).toEqual([article.id]);
      expect(res.body.items[0].snippet).toBe(
        'Скрипт &lt;script&gt;alert(&quot;взлом&quot;)&lt;/script&gt; &amp; «кавычки» и &#39;апострофы&#39; рядом со словом <mark>уязвимость</mark>.',
      );
      expect(res.body.items[0].snippet.replaceAll(/<\/?mark>/g, '')).not.toMatch(/[<>"']/);
    });

    it('when the body is long, then the snippet is a window of about 200 characters around the words, cut with ellipses', async () => {
      const filler = 'Городская жизнь шла своим чередом, трамваи ходили по расписанию, а горожане спешили по делам. ';
      const article = await createPublished(t, {
        title: 'Длинный текст',
        body: [paragraph(`${filler.repeat(5)}Внезапно в парке появился павлин, и все побежали смотреть. ${filler.repeat(5)}`)],
      });
      const res = await search({ q: 'павлины' }).expect(200);
      expect(idsOf(res)).toEqual([article.id]);
      const snippet = res.body.items[0].snippet as string;
      expect(snippet).toMatch(/^….*<mark>павлин<\/mark>.*…$/);
      expect(snippet.replaceAll(/<\/?mark>/g, '').length).toBeLessThanOrEqual(205);
    });
  });

  describe('filters', () => {
    it("when a rubric is given, then only its articles and its sub-rubrics' are found; an unknown rubric finds nothing", async () => {
      expect(await idsOf(await search({ q: 'переговоры', rubric: rubrics.politics.slug }).expect(200))).toEqual([
        inTitle.id,
        inTag.id,
        inBodyOlder.id,
      ]);
      expect(await idsOf(await search({ q: 'переговоры', rubric: rubrics.world.slug }).expect(200))).toEqual([inTag.id, inBodyOlder.id]);
      expect(await idsOf(await search({ q: 'переговоры', rubric: rubrics.sport.slug }).expect(200))).toEqual([]);
      expect(await idsOf(await search({ q: 'переговоры', rubric: 'no-such-rubric' }).expect(200))).toEqual([]);
    });

    it('when from and to are given, then only articles published in between (inclusive) are found', async () => {
      expect(idsOf(await search({ q: 'переговоры', from: '2026-11-19T10:00:00.000Z' }).expect(200))).toEqual([
        inTag.id,
        inLead.id,
        inBody.id,
      ]);
      expect(idsOf(await search({ q: 'переговоры', to: '2026-11-19T10:00:00.000Z' }).expect(200))).toEqual([
        inTitle.id,
        inTag.id,
        inBodyOlder.id,
      ]);
      expect(idsOf(await search({ q: 'переговоры', from: '2026-11-19T09:30:00Z', to: '2026-11-19T11:00:00+00:00' }).expect(200))).toEqual([
        inTag.id,
        inLead.id,
      ]);
    });

    it('when a filter is combined with several words, then both apply', async () => {
      expect(idsOf(await search({ q: 'переговоры делегация', rubric: rubrics.world.slug }).expect(200))).toEqual([inTag.id]);
      expect(idsOf(await search({ q: 'переговоры делегация', to: '2026-11-19T09:30:00Z' }).expect(200))).toEqual([inTitle.id]);
    });
  });

  describe('paging', () => {
    it('when results are read page by page, then the pages follow the ranking without gaps or repeats', async () => {
      const whole = idsOf(await search({ q: 'переговоры', limit: 100 }).expect(200));
      for (const limit of [1, 2, 3]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await search({
            q: 'переговоры',
            limit,
            ...(cursor ? { cursor } : {}),
          }).expect(200);
          expect(res.body.items.length).toBeLessThanOrEqual(limit);
          seen.push(...idsOf(res));
          cursor = res.body.nextCursor;
        } while (cursor);
        expect(seen).toEqual(whole);
      }
    });

    it('when the cursor is not one the search gave out, then 400', async () => {
      const res = await search({ q: 'переговоры', cursor: 'bm90LWEtY3Vyc29y' }).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      await search({ q: 'переговоры', cursor: Buffer.from(JSON.stringify(['2026-01-01', 'x'])).toString('base64url') }).expect(400);
      // Forged keys out of what the databases can compare: refused, not a 500.
      for (const forged of [
        [1e21, '2026-01-01T00:00:00.000Z', 'x'],
        [5, '+275760-09-13T00:00:00.000Z', 'x'],
        [-1, '2026-01-01T00:00:00.000Z', 'x'],
      ]) {
        await search({ q: 'переговоры', cursor: Buffer.from(JSON.stringify(forged)).toString('base64url') }).expect(400);
      }
    });
  });

  describe('what is public', () => {
    it('when an article is a draft, then it is not found; published, it is found by the very next search', async () => {
      const draft = await createDraft(t, { title: 'Черновик про жирафов', body: [paragraph('Жирафы в зоопарке.')] });
      expect(await found('жираф')).toEqual([]);
      await t.container.services.articles.publish(draft.id, adminActor);
      expect(await found('жираф')).toEqual([draft.id]);
    });

    it('when a published article is edited, then the next search finds its new words and not its old ones', async () => {
      const article = await createPublished(t, { title: 'Выставка орхидей', body: [paragraph('В оранжерее цветут орхидеи.')] });
      expect(await found('орхидея')).toEqual([article.id]);
      await t.container.services.articles.update(
        article.id,
        { title: 'Выставка кактусов', body: [paragraph('В оранжерее цветут кактусы.')] },
        adminActor,
      );
      expect(await found('орхидея')).toEqual([]);
      expect(await found('кактус')).toEqual([article.id]);
      await t.container.services.articles.update(article.id, { lead: 'Вход свободный для пенсионеров.' }, adminActor);
      expect(await found('пенсионер')).toEqual([article.id]);
    });

    it('when an article is unpublished, archived or moved to the trash, then the next search no longer finds it', async () => {
      const a = await createPublished(t, { title: 'Новости о тюленях', body: [paragraph('Тюлени вернулись.')] });
      const b = await createPublished(t, { title: 'Ещё о тюленях', body: [paragraph('Тюлени отдыхают.')] });
      const c = await createPublished(t, { title: 'Снова тюлени', body: [paragraph('Тюлени спят.')] });
      expect((await found('тюлень')).sort()).toEqual([a.id, b.id, c.id].sort());
      await t.container.services.articles.unpublish(a.id, adminActor);
      expect((await found('тюлень')).sort()).toEqual([b.id, c.id].sort());
      await t.container.services.articles.archive(b.id, adminActor);
      expect(await found('тюлень')).toEqual([c.id]);
      await t.container.services.articles.delete(c.id, adminActor);
      expect(await found('тюлень')).toEqual([]);
    });

    it('when an article is restored from the trash, then it is a draft and not found until it is published again', async () => {
      const article = await createPublished(t, { title: 'Рассказ о бобрах', body: [paragraph('Бобры построили плотину.')] });
      await t.container.services.articles.delete(article.id, adminActor);
      await t.container.services.articles.restore(article.id, adminActor);
      expect(await found('бобр')).toEqual([]);
      await t.container.services.articles.publish(article.id, adminActor);
      expect(await found('бобр')).toEqual([article.id]);
    });

    it('when an article is scheduled, then it is found from its time on, with no write in between', async () => {
      const draft = await createDraft(t, { title: 'Анонс концерта органной музыки', body: [paragraph('Органист сыграет Баха.')] });
      const at = new Date(t.clock.now().getTime() + 2 * hour);
      await t.container.services.articles.publish(draft.id, adminActor, { publishAt: at.toISOString() });
      expect(await found('органист')).toEqual([]);
      t.clock.set(new Date(at.getTime() - 1));
      expect(await found('органист')).toEqual([]);
      t.clock.set(at);
      expect(await found('органист')).toEqual([draft.id]);
    });

    it('when an article is under embargo, then it is found only once the embargo ends', async () => {
      const until = new Date(t.clock.now().getTime() + hour);
      const article = await createPublished(t, {
        title: 'Отчёт о рождаемости',
        body: [paragraph('Статистики подвели итоги.')],
        embargoUntil: until.toISOString(),
      });
      expect(await found('статистика')).toEqual([]);
      t.clock.set(until);
      expect(await found('статистика')).toEqual([article.id]);
    });
  });

  describe('tags', () => {
    it('when a tag is renamed, then its articles are found by the new name and no longer by the old one', async () => {
      const tag = await t.container.services.tags.create({ name: 'Вулканология' });
      const article = await createPublished(t, {
        title: 'Извержение на Камчатке',
        body: [paragraph('Пепел поднялся на восемь километров.')],
        tagIds: [tag.id],
      });
      expect(await found('вулканология')).toEqual([article.id]);
      await t.container.services.tags.update(tag.id, { name: 'Сейсмология' });
      expect(await found('вулканология')).toEqual([]);
      expect(await found('сейсмологии')).toEqual([article.id]);
      await t.container.services.tags.delete(tag.id);
      expect(await found('сейсмология')).toEqual([]);
      expect(await found('камчатка')).toEqual([article.id]);
    });
  });

  describe('input', () => {
    it('when q is missing, blank or longer than 200 characters, or an unknown parameter is given, then 400 problem+json and nothing is searched', async () => {
      for (const query of [
        {},
        { q: '' },
        { q: '   \t ' },
        { q: 'а'.repeat(201) },
        { q: 'переговоры', sort: 'date' },
        { q: 'переговоры', limit: 0 },
        { q: 'x', from: 'yesterday' },
      ]) {
        const res = await search(query).expect(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body).toMatchObject({ status: 400, code: expect.any(String) });
      }
      await search({ q: 'б'.repeat(200) }).expect(200);
    });

    it('when q holds quotes, operators, wildcards or SQL, then it is read as plain words: 200, no error, nothing injected', async () => {
      const queries = [
        '"переговоры"',
        "'переговоры'",
        'переговоры*',
        '*',
        '-переговоры',
        '(переговоры)',
        'title:переговоры',
        'переговоры^2',
        'переговоры NEAR Пекин',
        'переговоры AND Пекин',
        'переговоры OR футбол',
        'NOT переговоры',
        '%',
        '_',
        '%переговоры%',
        'пере_оворы',
        '\\',
        '\\\\переговоры',
        '\'; DROP TABLE "Article"; --',
        "' OR '1'='1",
        '" OR 1=1 --',
        'переговоры); DELETE FROM "ArticleSearchTerm"; --',
        '🙂',
        '<script>alert(1)</script>',
        '&amp;',
        '{"$ne":null}',
        '[[]]',
        '?',
        ':',
        '^',
        '~переговоры',
        'переговоры~2',
        '+переговоры +Пекин',
      ];
      for (const q of queries) {
        const res = await search({ q });
        expect(res.status, q).toBe(200);
        expect(Array.isArray(res.body.items), q).toBe(true);
      }
      expect(await found('"переговоры" AND Пекин')).toEqual([inTitle.id]);
      // Read as the words or, 1 and 1: the article with the score 2:1.
      expect(await found("' OR '1'='1")).toEqual([sportNews.id]);
      expect(await found('%')).toEqual([]);
      expect(await found('пере_оворы')).toEqual([]);
      // A NUL character is refused before any query, as in every parameter (PostgreSQL cannot hold one in text).
      expect((await search({ q: 'пере\u0000говоры' })).status).toBe(400);
      // Everything is still there.
      expect(await found('переговоры')).toHaveLength(5);
    });

    it('when q is only function words or punctuation, then the answer is an empty page', async () => {
      const res = await search({ q: 'и в на — of the !!!' }).expect(200);
      expect(res.body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('cost', () => {
    it('when the page is larger, then a search runs no more SQL statements (a handful, whatever the page size)', async () => {
      for (let i = 0; i < 12; i++) {
        t.clock.advance(minute);
        await createPublished(t, {
          title: i % 3 ? `Репортаж номер ${i} о наводнении` : `Сводка ${i}`,
          lead: i % 2 ? 'Вода в реке поднялась, наводнение продолжается.' : null,
          body: [paragraph(`Спасатели эвакуировали жителей, наводнение ${i % 4 ? 'отступает' : 'усиливается'}.`)],
          rubricId: i % 2 ? rubrics.politics.id : rubrics.sport.id,
        });
      }
      for (const query of [{ q: 'наводнение' }, { q: 'наводнение спасатели' }, { q: 'наводнение вода', rubric: rubrics.politics.slug }]) {
        const counts: number[] = [];
        for (const limit of [2, 5, 12]) {
          t.queries.reset();
          const res = await search({ ...query, limit }).expect(200);
          counts.push(t.queries.count());
          expect(res.body.items.length).toBeGreaterThan(0);
        }
        // A larger page can only end the ranking sooner (a word's lists read to their end).
        expect(Math.max(...counts), JSON.stringify({ query, counts })).toBe(counts[0]);
        expect(counts[0]).toBeLessThanOrEqual(14);
      }
    });
  });

  it('the sports article is untouched by all of this', async () => {
    expect(await found('сборная матч')).toEqual([sportNews.id]);
  });
});
