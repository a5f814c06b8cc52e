import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { articleTables, createMedia, createPublished, paragraph } from './article-fixtures.ts';

describeEachDialect('managing articles', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'] });
  let image: { id: string };
  let audio: { id: string };
  let rubric: { id: string };
  let tags: { id: string }[];
  beforeAll(async () => {
    image = await createMedia(t, 'image');
    audio = await createMedia(t, 'audio');
    rubric = await t.container.services.rubrics.create({ name: 'Город' });
    tags = [await t.container.services.tags.create({ name: 'Бюджет' }), await t.container.services.tags.create({ name: 'Дороги' })];
  });

  const post = (body: unknown) =>
    t
      .http()
      .post('/v1/admin/articles')
      .set(editor.headers)
      .send(body as object);
  const patch = (id: string, body: unknown) =>
    t
      .http()
      .patch(`/v1/admin/articles/${id}`)
      .set(editor.headers)
      .set('If-Match', '*')
      .send(body as object);
  const prisma = () => t.container.db.prisma;

  const fullBody = () => [
    { type: 'heading', text: 'Что изменится для жителей', level: 2 },
    paragraph('Городская дума утвердила бюджет: расходы на ремонт дорог вырастут на 12%.'),
    { type: 'quote', text: 'Мы впервые за десять лет ремонтируем набережную целиком.', attribution: 'Ирина Полякова' },
    { type: 'image', mediaId: image.id, caption: 'Заседание думы' },
    { type: 'embed', url: 'https://video.example/watch/budget', provider: 'Видеохостинг' },
    { type: 'list', style: 'numbered', items: ['Ремонт 40 км дорог', 'Две новые школы'] },
  ];

  describe('creating', () => {
    it('when an editor creates an article with a Cyrillic title, then 201 with a transliterated slug, a draft, and the editor on the byline', async () => {
      const res = await post({
        title: 'Дума утвердила бюджет на 2027 год',
        lead: 'Расходы вырастут на 7%.',
        body: fullBody(),
        keyPoints: ['расходы на ремонт дорог вырастут на 12%', 'Две новые школы'],
        rubricId: rubric.id,
        tagIds: [tags[1]!.id, tags[0]!.id],
        coverMediaId: image.id,
        narrationMediaId: audio.id,
        seoTitle: 'Бюджет-2027',
        seoDescription: 'Главное о бюджете города.',
      }).expect(201);
      expect(res.body).toMatchObject({
        slug: 'duma-utverdila-byudzhet-na-2027-god',
        status: 'draft',
        showInFeed: true,
        publishedAt: null,
        authorIds: [editor.user.id],
        tagIds: [tags[1]!.id, tags[0]!.id],
        rubricId: rubric.id,
        coverMediaId: image.id,
        narrationMediaId: audio.id,
        createdAt: t.clock.now().toISOString(),
      });
      expect(res.body.body).toEqual(fullBody());
      const row = await prisma().article.findUniqueOrThrow({ where: { id: res.body.id }, include: { bodyMedia: true } });
      expect(row.bodyMedia.map((b) => b.mediaId)).toEqual([image.id]);
      expect(row.searchText).toContain('дума утвердила бюджет на 2027 год');
      expect(row.searchText).toContain('ремонт 40 км дорог');
      expect(row.searchText).not.toMatch(/[А-ЯЁё]/);
    });

    it("when the title's slug is taken, then the new article gets a numbered slug; a given taken slug is 409 slug_taken", async () => {
      const first = await post({ title: 'Снегопад в Москве', body: [paragraph('Снег идёт второй день.')] }).expect(201);
      const second = await post({ title: 'Снегопад в Москве', body: [paragraph('Снег идёт третий день.')] }).expect(201);
      expect([first.body.slug, second.body.slug]).toEqual(['snegopad-v-moskve', 'snegopad-v-moskve-2']);

      const before = await articleTables(t);
      const res = await post({ title: 'Другой снегопад', slug: 'snegopad-v-moskve', body: [paragraph('Текст.')] }).expect(409);
      expect(res.body.code).toBe('slug_taken');
      expect(await articleTables(t)).toBe(before);
    });

    it('when the body has image blocks, then ArticleBodyMedia follows them on every save', async () => {
      const other = await createMedia(t, 'image');
      const created = await post({
        title: 'Фоторепортаж с ярмарки',
        body: [
          { type: 'image', mediaId: image.id },
          { type: 'image', mediaId: other.id },
          { type: 'image', mediaId: image.id },
        ],
      }).expect(201);
      const bodyMedia = () =>
        prisma()
          .articleBodyMedia.findMany({ where: { articleId: created.body.id } })
          .then((rows) => rows.map((r) => r.mediaId).sort());
      expect(await bodyMedia()).toEqual([image.id, other.id].sort());
      await patch(created.body.id, { body: [{ type: 'image', mediaId: other.id }, paragraph('Ярмарка продлится до воскресенья.')] }).expect(
        200,
      );
      expect(await bodyMedia()).toEqual([other.id]);
      await patch(created.body.id, { title: 'Ярмарка: фоторепортаж' }).expect(200);
      expect(await bodyMedia()).toEqual([other.id]);
    });
  });

  describe('refusing bad input', () => {
    const valid = () => ({ title: 'Новость', body: [paragraph('Текст новости.')] });
    const badCreates: { name: string; body: () => unknown; field: string }[] = [
      { name: 'no title', body: () => ({ body: [paragraph('Текст.')] }), field: 'body.title' },
      { name: 'no body', body: () => ({ title: 'Новость' }), field: 'body.body' },
      { name: 'an empty body', body: () => ({ ...valid(), body: [] }), field: 'body.body' },
      {
        name: 'more than 500 blocks',
        body: () => ({ ...valid(), body: Array.from({ length: 501 }, () => paragraph('Абзац.')) }),
        field: 'body.body',
      },
      { name: 'an unknown field', body: () => ({ ...valid(), views: 100 }), field: 'body.views' },
      {
        name: 'an unknown field in a block',
        body: () => ({ ...valid(), body: [{ ...paragraph('Текст.'), bold: true }] }),
        field: 'body.body.0.bold',
      },
      {
        name: 'an unknown block type',
        body: () => ({ ...valid(), body: [{ type: 'poll', text: 'Голосуем?' }] }),
        field: 'body.body.0.type',
      },
      {
        name: 'a heading of level 4',
        body: () => ({ ...valid(), body: [{ type: 'heading', text: 'Итоги', level: 4 }] }),
        field: 'body.body.0.level',
      },
      {
        name: 'a list with no items',
        body: () => ({ ...valid(), body: [{ type: 'list', style: 'bulleted', items: [] }] }),
        field: 'body.body.0.items',
      },
      {
        name: 'a list with 101 items',
        body: () => ({
          ...valid(),
          body: [{ type: 'list', style: 'bulleted', items: Array.from({ length: 101 }, (_, i) => `Пункт ${i}`) }],
        }),
        field: 'body.body.0.items',
      },
      {
        name: 'a list of an unknown style',
        body: () => ({ ...valid(), body: [{ type: 'list', style: 'dashed', items: ['Пункт'] }] }),
        field: 'body.body.0.style',
      },
      {
        name: 'an embed that is not http(s)',
        body: () => ({ ...valid(), body: [{ type: 'embed', url: 'javascript:alert(1)' }] }),
        field: 'body.body.0.url',
      },
      {
        name: 'an image block with unknown media',
        body: () => ({ ...valid(), body: [paragraph('Текст.'), { type: 'image', mediaId: 'no-such-media' }] }),
        field: 'body.body.1.mediaId',
      },
      {
        name: 'an image block with audio media',
        body: () => ({ ...valid(), body: [{ type: 'image', mediaId: audio.id }] }),
        field: 'body.body.0.mediaId',
      },
      { name: 'a cover that is audio', body: () => ({ ...valid(), coverMediaId: audio.id }), field: 'body.coverMediaId' },
      { name: 'a narration that is an image', body: () => ({ ...valid(), narrationMediaId: image.id }), field: 'body.narrationMediaId' },
      {
        name: 'a key point not in the body',
        body: () => ({ ...valid(), keyPoints: ['Текст новости', 'чего нет в тексте'] }),
        field: 'body.keyPoints.1',
      },
      {
        name: 'a key point only in an image caption',
        body: () => ({
          ...valid(),
          body: [{ type: 'image', mediaId: image.id, caption: 'Подпись к фото' }],
          keyPoints: ['Подпись к фото'],
        }),
        field: 'body.keyPoints.0',
      },
      {
        name: 'more than 20 key points',
        body: () => ({ ...valid(), keyPoints: Array.from({ length: 21 }, () => 'Текст') }),
        field: 'body.keyPoints',
      },
      { name: 'an unknown rubric', body: () => ({ ...valid(), rubricId: 'no-such-rubric' }), field: 'body.rubricId' },
      { name: 'an unknown tag', body: () => ({ ...valid(), tagIds: [tags[0]!.id, 'no-such-tag'] }), field: 'body.tagIds.1' },
      { name: 'a tag twice', body: () => ({ ...valid(), tagIds: [tags[0]!.id, tags[0]!.id] }), field: 'body.tagIds' },
      { name: 'an unknown author', body: () => ({ ...valid(), authorIds: ['no-such-user'] }), field: 'body.authorIds.0' },
      { name: 'an SEO title over 120 characters', body: () => ({ ...valid(), seoTitle: 'ж'.repeat(121) }), field: 'body.seoTitle' },
      {
        name: 'an SEO description over 300 characters',
        body: () => ({ ...valid(), seoDescription: 'ж'.repeat(301) }),
        field: 'body.seoDescription',
      },
      { name: 'a slug that is not latin', body: () => ({ ...valid(), slug: 'Новость дня' }), field: 'body.slug' },
      { name: 'a title of the wrong type', body: () => ({ ...valid(), title: 42 }), field: 'body.title' },
    ];

    it.each(badCreates)('when a create has $name, then 422 naming $field and nothing is written', async ({ body, field }) => {
      const before = await articleTables(t);
      const res = await post(body()).expect(422);
      expect(res.type).toBe('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await articleTables(t)).toBe(before);
    });

    it('when a body is malformed JSON, then 400; when it is not JSON, then 415; and nothing is written', async () => {
      const before = await articleTables(t);
      await t
        .http()
        .post('/v1/admin/articles')
        .set(editor.headers)
        .set('content-type', 'application/json')
        .send('{"title": "Незакрытая')
        .expect(400);
      await t.http().post('/v1/admin/articles').set(editor.headers).set('content-type', 'text/plain').send('title=Новость').expect(415);
      expect(await articleTables(t)).toBe(before);
    });

    it('when an update breaks a rule, then 422 and the article, its relations and the feed are as they were', async () => {
      const article = await post({
        ...valid(),
        body: [paragraph('Трамвай пустят по новому мосту.')],
        keyPoints: ['Трамвай пустят'],
        tagIds: [tags[0]!.id],
      }).expect(201);
      const before = await articleTables(t);
      const badUpdates: { body: unknown; field: string }[] = [
        { body: { body: [paragraph('Мост откроют весной.')] }, field: 'body.keyPoints.0' },
        { body: { keyPoints: ['Автобус пустят'] }, field: 'body.keyPoints.0' },
        { body: { title: null }, field: 'body.title' },
        { body: { tagIds: [tags[1]!.id, 'no-such-tag'], title: 'Новое название' }, field: 'body.tagIds.1' },
        { body: { coverMediaId: audio.id, lead: 'Новый лид' }, field: 'body.coverMediaId' },
        { body: { body: [{ type: 'image', mediaId: 'no-such-media' }], keyPoints: [] }, field: 'body.body.0.mediaId' },
        { body: { status: 'published' }, field: 'body.status' },
      ];
      for (const bad of badUpdates) {
        const res = await patch(article.body.id, bad.body).expect(422);
        expect(
          res.body.errors.map((e: { field: string }) => e.field),
          JSON.stringify(bad.body),
        ).toContain(bad.field);
      }
      expect(await articleTables(t)).toBe(before);
    });
  });

  describe('updating', () => {
    it('when nullable fields are set to null, then they are cleared and the rest is kept', async () => {
      const created = await post({
        title: 'Выставка в музее',
        lead: 'Лид.',
        body: [paragraph('Открылась выставка.')],
        rubricId: rubric.id,
        coverMediaId: image.id,
        narrationMediaId: audio.id,
        seoTitle: 'SEO',
        tagIds: [tags[0]!.id],
      }).expect(201);
      t.clock.advance(60_000);
      const res = await patch(created.body.id, {
        lead: null,
        rubricId: null,
        coverMediaId: null,
        narrationMediaId: null,
        seoTitle: null,
        tagIds: [],
      }).expect(200);
      expect(res.body).toMatchObject({
        lead: null,
        rubricId: null,
        coverMediaId: null,
        narrationMediaId: null,
        seoTitle: null,
        tagIds: [],
        title: 'Выставка в музее',
        body: [paragraph('Открылась выставка.')],
      });
      expect(res.body.updatedAt).toBe(t.clock.now().toISOString());
      expect(res.body.createdAt).toBe(created.body.createdAt);
    });

    it('when the byline is reordered, then the order is kept', async () => {
      const other = await t.signIn('author');
      const created = await post({
        title: 'Интервью с мэром',
        body: [paragraph('Мэр ответил на вопросы.')],
        authorIds: [editor.user.id, other.user.id],
      }).expect(201);
      expect(created.body.authorIds).toEqual([editor.user.id, other.user.id]);
      const res = await patch(created.body.id, { authorIds: [other.user.id, editor.user.id] }).expect(200);
      expect(res.body.authorIds).toEqual([other.user.id, editor.user.id]);
    });

    it("when a published article's slug changes, then the old slug answers 301 to the new one", async () => {
      const article = await createPublished(t, { title: 'Мост через Нерль откроют в мае' });
      expect(article.slug).toBe('most-cherez-nerl-otkroyut-v-mae');
      const res = await patch(article.id, { slug: 'most-otkroyut-v-mae' }).expect(200);
      expect(res.body.slug).toBe('most-otkroyut-v-mae');
      const moved = await t.http().get('/v1/articles/most-cherez-nerl-otkroyut-v-mae').redirects(0).expect(301);
      expect(moved.headers.location).toBe('/v1/articles/most-otkroyut-v-mae');
      const withQuery = await t
        .http()
        .get('/v1/articles/most-cherez-nerl-otkroyut-v-mae?include=related&fields=title%2Crelated')
        .redirects(0)
        .expect(301);
      expect(withQuery.headers.location).toBe('/v1/articles/most-otkroyut-v-mae?include=related&fields=title%2Crelated');
      await t.http().get('/v1/articles/most-otkroyut-v-mae').expect(200);
    });

    it("when a slug is another article's current or former slug, then 409 slug_taken; the article itself may take its old slug back", async () => {
      const first = await createPublished(t, { title: 'Первый материал', slug: 'pervyy' });
      const second = await createPublished(t, { title: 'Второй материал', slug: 'vtoroy' });
      await patch(first.id, { slug: 'pervyy-novyy' }).expect(200);

      const before = await articleTables(t);
      expect((await patch(second.id, { slug: 'pervyy' }).expect(409)).body.code).toBe('slug_taken');
      expect((await patch(second.id, { slug: 'pervyy-novyy' }).expect(409)).body.code).toBe('slug_taken');
      expect((await post({ title: 'Первый', slug: 'pervyy', body: [paragraph('Текст.')] }).expect(409)).body.code).toBe('slug_taken');
      expect(await articleTables(t)).toBe(before);

      await patch(first.id, { slug: 'pervyy' }).expect(200);
      await t.http().get('/v1/articles/pervyy').expect(200);
      expect((await t.http().get('/v1/articles/pervyy-novyy').redirects(0).expect(301)).headers.location).toBe('/v1/articles/pervyy');
      expect(await prisma().articleSlugRedirect.findMany({ where: { articleId: first.id }, select: { slug: true } })).toEqual([
        { slug: 'pervyy-novyy' },
      ]);
    });

    it('when an article is deleted, then 204 and it waits in the trash; emptying the trash takes its rows and it is 404 afterwards', async () => {
      const created = await post({
        title: 'Удаляемая заметка',
        body: [{ type: 'image', mediaId: image.id }],
        tagIds: [tags[0]!.id],
      }).expect(201);
      await t.http().delete(`/v1/admin/articles/${created.body.id}`).set(editor.headers).set('If-Match', '*').expect(204);
      expect((await t.http().get(`/v1/admin/articles/${created.body.id}`).set(editor.headers).expect(200)).body.deletedAt).toBe(
        t.clock.now().toISOString(),
      );
      const admin = await t.signIn('admin');
      await t.http().delete('/v1/admin/trash/articles').set(admin.headers).expect(200);
      await t.http().get(`/v1/admin/articles/${created.body.id}`).set(editor.headers).expect(404);
      expect(await prisma().articleBodyMedia.count({ where: { articleId: created.body.id } })).toBe(0);
      expect(await prisma().articleTag.count({ where: { articleId: created.body.id } })).toBe(0);
    });
  });

  describe('listing for the newsroom', () => {
    it('when filtering by text, then case and ё/е do not matter', async () => {
      const created = await post({
        title: 'Ёлку на Соборной площади зажгут в пятницу',
        body: [paragraph('Праздничная ИЛЛЮМИНАЦИЯ заработает вечером.')],
      }).expect(201);
      for (const q of ['елку', 'ЁЛКУ', 'иллюминация']) {
        const res = await t.http().get('/v1/admin/articles').query({ q }).set(editor.headers).expect(200);
        expect(
          res.body.items.map((a: { id: string }) => a.id),
          q,
        ).toEqual([created.body.id]);
      }
    });

    it('when filtering by status, rubric and author, then only matching articles come, last updated first, paged to the end', async () => {
      const reporter = await t.signIn('author');
      const sport = await t.container.services.rubrics.create({ name: 'Спорт для фильтра' });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        t.clock.advance(1000);
        const res = await post({
          title: `Матч тура ${i}`,
          body: [paragraph('Счёт 1:0.')],
          rubricId: sport.id,
          authorIds: i % 2 ? [reporter.user.id] : [editor.user.id],
        }).expect(201);
        ids.push(res.body.id);
      }
      t.clock.advance(1000);
      await t.http().post(`/v1/admin/articles/${ids[0]}/publish`).set(editor.headers).set('If-Match', '*').expect(200);

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await t
          .http()
          .get('/v1/admin/articles')
          .query({ rubricId: sport.id, limit: 2, ...(cursor ? { cursor } : {}) })
          .set(editor.headers)
          .expect(200);
        seen.push(...res.body.items.map((a: { id: string }) => a.id));
        cursor = res.body.nextCursor ?? undefined;
      } while (cursor);
      // The publish touched the first one last.
      expect(seen).toEqual([ids[0], ids[4], ids[3], ids[2], ids[1]]);

      const drafts = await t
        .http()
        .get('/v1/admin/articles')
        .query({ rubricId: sport.id, status: 'draft' })
        .set(editor.headers)
        .expect(200);
      expect(drafts.body.items).toHaveLength(4);
      const byReporter = await t
        .http()
        .get('/v1/admin/articles')
        .query({ rubricId: sport.id, authorId: reporter.user.id })
        .set(editor.headers)
        .expect(200);
      expect(byReporter.body.items.map((a: { id: string }) => a.id)).toEqual([ids[3], ids[1]]);
    });

    it('when the cursor is not one the list gave out, then 400', async () => {
      await t.http().get('/v1/admin/articles').query({ cursor: 'not-a-cursor' }).set(editor.headers).expect(400);
    });
  });
});
