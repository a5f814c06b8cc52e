import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Test } from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NinjsItemSchema } from '../../src/modules/articles/index.ts';
import type { PrismaNamespace } from '../../src/db/database.ts';
import { createInterchangeRepository } from '../../src/modules/interchange/interchange.repository.ts';
import { NativeRecord } from '../../src/modules/interchange/interchange.schemas.ts';
import { readNdjsonLines } from '../../src/modules/interchange/ndjson.ts';
import { adminActor, paragraph } from '../articles/article-fixtures.ts';
import { postEntry } from '../live/live-fixtures.ts';
import { getText, uploadPhoto } from '../syndication/syndication-helpers.ts';
import { createTestApp, describeEachDialect, type TestApiKey, type TestApp, useTestApp } from '../support/test-app.ts';

// The native dump: everything exported from one app and imported into another on an empty database (sharing the
// media storage and the clock) answers every public GET byte for byte; importing it again changes nothing.

interface ResultLine {
  line: number;
  status: string;
  type?: string;
  id?: string | null;
  error?: { code: string; detail: string } | null;
}

const ndjson = 'application/x-ndjson';
const env = { MEDIA_RENDITION_WIDTHS: '100', MEDIA_ASPECT_RATIOS: '1:1', SITEMAP_PAGE_SIZE: '6' };
const linesOf = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function exportText(t: TestApp, headers: Record<string, string>, query: Record<string, string> = {}): Promise<string> {
  const res = await asText(t.http().get('/v1/admin/export').query(query).set(headers)).expect(200);
  expect(res.headers['content-type']).toBe(`${ndjson}; charset=utf-8`);
  return res.body as string;
}

async function importText(t: TestApp, headers: Record<string, string>, body: string): Promise<ResultLine[]> {
  const res = await asText(t.http().post('/v1/admin/import').set(headers).set('Content-Type', ndjson).send(body)).expect(200);
  return linesOf(res.body as string) as unknown as ResultLine[];
}

/** The request with its answer kept as text, whatever its media type. */
function asText(request: Test): Test {
  return request.buffer(true).parse((res, done) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
    });
    res.on('end', () => done(null, text));
  });
}

/** What the restored tables hold, by version and time: equal before and after an import that changed nothing. */
async function fingerprint(t: TestApp): Promise<string> {
  const p = t.container.db.prisma;
  const select = { id: true, version: true, updatedAt: true } as const;
  const orderBy = { id: 'asc' } as const;
  return JSON.stringify(
    await Promise.all([
      p.media.findMany({ select, orderBy }),
      p.rubric.findMany({ select, orderBy }),
      p.tag.findMany({ select, orderBy }),
      p.user.findMany({ select, orderBy }),
      p.article.findMany({ select, orderBy }),
      p.liveEntry.findMany({ select, orderBy }),
      p.feedItem.findMany({ select, orderBy }),
      p.mediaRendition.count(),
      p.articleCorrection.count(),
      p.articleSlugRedirect.count(),
      p.articleSearchTerm.count(),
      p.articleCommentCount.findMany({ orderBy: { articleId: 'asc' } }),
    ]),
  );
}

describeEachDialect('native export and import', (dialect) => {
  const { t, admin, editor, comments } = useTestApp(dialect, {
    roles: ['admin', 'editor'],
    keys: { comments: ['comments'] },
    mediaDir: true,
    env,
  });
  let target: TestApp;
  let targetKey: TestApiKey;
  let exported: string;
  const publicPaths: string[] = [];

  beforeAll(async () => {
    const { services } = t.container;
    const minute = 60_000;

    // Media: an uploaded photo with its credit (renditions and files), a picture and an audio known by URL.
    const photo = await uploadPhoto(t, editor, { credit: 'Городские новости/Анна Смирнова', caption: 'Набережная после ремонта' });
    const picture = await services.media.create(
      {
        kind: 'image',
        url: 'https://media.example/image/tram.jpg',
        mimeType: 'image/jpeg',
        width: 1200,
        height: 800,
        credit: 'Пресс-служба',
        focalX: 1 / 3,
        focalY: 0.1,
      },
      adminActor,
    );
    const audio = await services.media.create(
      { kind: 'audio', url: 'https://media.example/audio/budget.mp3', mimeType: 'audio/mpeg', durationSeconds: 187.25 },
      adminActor,
    );
    const maria = await services.users.create({
      email: 'maria@test.example',
      password: 'correct-horse-battery-staple',
      displayName: 'Мария Ковалёва',
      role: 'author',
      bio: 'Пишет о городском хозяйстве.',
      avatarMediaId: picture.id,
    });
    const city = await services.rubrics.create({ name: 'Город', description: 'Новости города', position: 1 });
    const transport = await services.rubrics.create({ name: 'Транспорт', parentId: city.id, position: 2 });
    const roads = await services.tags.create({ name: 'Дороги' });
    const budgetTag = await services.tags.create({ name: 'Бюджет' });

    const publish = async (input: Parameters<typeof services.articles.create>[0], publishAt?: string) => {
      t.clock.advance(minute);
      const draft = await services.articles.create(input, adminActor);
      return services.articles.publish(draft.id, adminActor, publishAt ? { publishAt } : {});
    };
    const budget = await publish({
      title: 'Дума утвердила бюджет: на дороги потратят на 12% больше',
      lead: 'Расходы города вырастут на 7%.',
      body: [paragraph('Депутаты утвердили бюджет; расходы на ремонт дорог вырастут на 12%.'), { type: 'image', mediaId: photo.id }],
      keyPoints: ['расходы на ремонт дорог вырастут на 12%'],
      rubricId: city.id,
      tagIds: [roads.id, budgetTag.id],
      authorIds: [maria.id, editor.user.id],
      coverMediaId: photo.id,
      narrationMediaId: audio.id,
    });
    const tram = await publish({
      title: 'Трамвай пошёл по новой линии через мост',
      body: [paragraph('Первые пассажиры проехали по продлённой линии; ремонт дорог на мосту закончили.')],
      rubricId: transport.id,
      tagIds: [roads.id],
      authorIds: [maria.id],
      coverMediaId: picture.id,
    });
    await services.articles.update(tram.id, { slug: 'tramvay-na-mostu' }, adminActor);
    const sponsored = await publish({
      title: 'Скидки на зимние шины',
      body: [paragraph('Партнёрский материал о шинах.')],
      isSponsored: true,
      adMarking: { erid: 'ExportErid2026', advertiserName: 'ООО «Шины»', advertiserInn: '7707083893' },
    });
    const scheduled = await publish(
      { title: 'Завтра объявят итоги конкурса', body: [paragraph('Итоги конкурса.')], rubricId: city.id },
      '2026-12-01T09:00:00.000Z',
    );
    t.clock.advance(minute);
    const draft = await services.articles.create(
      { title: 'Черновик о дорогах', body: [paragraph('Черновик о ремонте дорог.')] },
      adminActor,
    );

    // Corrections, a comment count, a live blog with entries.
    const correct = (id: string, body: object) =>
      t.http().post(`/v1/admin/articles/${id}/corrections`).set(editor.headers).send(body).expect(201);
    t.clock.advance(minute);
    await correct(budget.id, { kind: 'correction', text: 'В первой версии рост расходов был указан неверно.' });
    await correct(budget.id, { kind: 'update', text: 'Обновлено: мэрия опубликовала список улиц.' });
    await t
      .http()
      .put('/v1/admin/comment-counts')
      .set(comments.headers)
      .send({ counts: [{ articleId: budget.id, count: 7 }] })
      .expect(200);
    t.clock.advance(minute);
    const liveDraft = await services.articles.create(
      { title: 'Заседание думы: онлайн', format: 'live', body: [paragraph('Следим за заседанием.')], rubricId: city.id },
      adminActor,
    );
    const live = await services.articles.publish(liveDraft.id, adminActor);
    for (const [i, text] of ['Заседание открыто.', 'Бюджет принят.', 'Заседание закрыто.'].entries()) {
      t.clock.advance(minute);
      await postEntry(t, live.id, editor.headers, { body: [paragraph(text)], ...(i === 1 ? { isKeyEvent: true } : {}) }).expect(201);
    }

    // Feed items of every kind beside the articles': a broadcast, a link, a promo with its ad marking.
    t.clock.advance(minute);
    await services.feed.create({
      kind: 'live',
      headline: 'Прямая трансляция заседания думы',
      url: 'https://live.example/duma',
      isPinned: true,
    });
    await services.feed.create({ kind: 'link', headline: 'Ссылка на отчёт', url: 'https://example.org/report' });
    const promo = await services.feed.create({
      kind: 'promo',
      headline: 'Подписка на газету',
      url: 'https://example.org/promo',
      rubricId: city.id,
      adMarking: { erid: 'ExportPromo2026', advertiserName: 'ООО «Городская газета»', advertiserInn: '7707083893' },
    });
    t.clock.advance(minute);

    const file = await t.container.db.prisma.mediaRendition.findFirstOrThrow({ where: { mediaId: photo.id } });
    const enc = encodeURIComponent;
    publicPaths.push(
      '/v1/articles',
      '/v1/articles?limit=2',
      '/v1/articles?include=rubric,cover,authors,tags',
      '/v1/articles?rubric=gorod',
      '/v1/articles?rubric=transport',
      '/v1/articles?tag=dorogi',
      `/v1/articles?author=${maria.slug}`,
      ...[budget, tram, sponsored, live].flatMap((a) => [`/v1/articles/${a.slug}`, `/v1/articles/${a.slug}?include=related`]),
      `/v1/articles/${budget.slug}?fields=body,narration,keyPoints&include=`,
      `/v1/articles/${tram.slug}`,
      '/v1/articles/tramvay-na-mostu',
      `/v1/articles/${scheduled.slug}`,
      `/v1/articles/${draft.slug}`,
      `/v1/articles/${live.slug}/live-entries`,
      `/v1/articles/${live.slug}/live-entries?keyEvents=true`,
      '/v1/feed',
      '/v1/feed?rubric=gorod',
      '/v1/rubrics',
      '/v1/rubrics/gorod',
      '/v1/rubrics/transport',
      '/v1/tags',
      '/v1/tags/dorogi',
      `/v1/authors/${maria.slug}`,
      `/v1/authors/${editor.user.slug}`,
      `/v1/search?q=${enc('ремонт дорог')}`,
      `/v1/search?q=${enc('бюджет')}`,
      '/v1/corrections',
      `/v1/comment-counts?articles=${budget.id}`,
      '/v1/feeds/rss.xml',
      '/v1/feeds/atom.xml',
      '/v1/feeds/feed.json',
      '/v1/rubrics/gorod/feeds/rss.xml',
      '/v1/sitemap.xml',
      '/v1/sitemaps/1.xml',
      '/v1/sitemap-news.xml',
      ...[photo.id, picture.id, audio.id].map((id) => `/v1/media/${id}`),
      `/v1/media/files/${file.storageKey}`,
    );
    expect(promo.id).toBeTruthy();

    exported = await exportText(t, admin.headers);
    target = await createTestApp(dialect, { ...env, MEDIA_DIR: t.container.config.mediaDir });
    target.clock.set(t.clock.now());
    targetKey = await target.apiKey(['admin']);
  });

  afterAll(async () => {
    await target?.close();
  });

  it('when everything is exported, then each line is a record of its schema in dependency order, ending with the count', () => {
    const lines = linesOf(exported);
    const end = lines.at(-1);
    expect(end).toEqual({ type: 'end', count: lines.length - 1 });
    const records = lines.slice(0, -1).map((line) => NativeRecord.parse(line));
    const order = ['media', 'rubric', 'tag', 'user', 'article', 'live_entry', 'feed_item'];
    const ranks = records.map((record) => order.indexOf(record.type));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const rubrics = records.filter((r) => r.type === 'rubric');
    expect(rubrics.findIndex((r) => r.slug === 'gorod')).toBeLessThan(rubrics.findIndex((r) => r.slug === 'transport'));
    expect(exported).not.toMatch(/passwordHash|scrypt\$/);
    const budget = records.find((r) => r.type === 'article' && r.corrections.length === 2);
    expect(budget && budget.type === 'article' && budget.commentCount?.count).toBe(7);
    expect(records.filter((r) => r.type === 'feed_item').map((r) => r.type === 'feed_item' && r.kind)).toEqual(
      expect.arrayContaining(['article', 'live', 'link', 'promo']),
    );
  });

  it('when it is imported into an empty database, then every public answer is the same byte for byte, and so is the export', async () => {
    const results = await importText(target, targetKey.headers, exported);
    expect(results.filter((r) => r.status !== 'created')).toEqual([{ line: results.length, status: 'unchanged', type: 'end' }]);
    for (const path of publicPaths) {
      const [before, after] = [await getText(t, path), await getText(target, path)];
      // An error names its request; its ETag (express's own, of the body) differs with it.
      const comparable = (answer: typeof before) => ({
        path,
        status: answer.status,
        body: String(answer.body).replace(/"requestId":"[^"]*"/, ''),
        headers: ['content-type', 'cache-control', 'last-modified', 'location', ...(answer.status < 400 ? ['etag'] : [])].map(
          (name) => `${name}: ${answer.headers[name]}`,
        ),
      });
      expect(comparable(after)).toEqual(comparable(before));
    }
    expect(await exportText(target, targetKey.headers)).toBe(exported);
  });

  it('when the same file is imported again, then every line is unchanged and nothing is written', async () => {
    const before = await fingerprint(target);
    const results = await importText(target, targetKey.headers, exported);
    expect(new Set(results.map((r) => r.status))).toEqual(new Set(['unchanged']));
    expect(await fingerprint(target)).toBe(before);
  });

  it('when a newer version comes, then the record is replaced whole and what it changed is purged; an older one is skipped', async () => {
    const article = linesOf(exported).find((line) => line.type === 'article' && (line.tagIds as string[]).length === 2)!;
    const purged: string[][] = [];
    const cache = target.container.publicCache;
    const purge = cache.purge;
    cache.purge = (keys) => {
      purged.push(keys);
      purge(keys);
    };
    try {
      const newer = {
        ...article,
        title: 'Бюджет пересмотрели',
        tagIds: [],
        version: (article.version as number) + 1,
        updatedAt: '2026-11-20T10:00:00.000Z',
      };
      expect(await importText(target, targetKey.headers, JSON.stringify(newer))).toEqual([
        { line: 1, status: 'updated', type: 'article', id: article.id },
      ]);
      expect(purged).toHaveLength(1);
      expect(purged[0]).toEqual(
        expect.arrayContaining([`article:${article.id}`, 'articles', 'articles:tag:dorogi', 'articles:rubric:gorod']),
      );
      const page = await target.http().get(`/v1/articles/${article.slug}`).expect(200);
      expect([page.body.title, page.body.tags, page.body.updatedAt]).toEqual(['Бюджет пересмотрели', [], '2026-11-20T10:00:00.000Z']);
      const found = await target
        .http()
        .get(`/v1/search?q=${encodeURIComponent('пересмотрели')}`)
        .expect(200);
      expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([article.id]);

      purged.length = 0;
      expect(await importText(target, targetKey.headers, JSON.stringify(article))).toEqual([
        { line: 1, status: 'skipped', type: 'article', id: article.id },
      ]);
      expect(await importText(target, targetKey.headers, JSON.stringify(newer))).toEqual([
        { line: 1, status: 'unchanged', type: 'article', id: article.id },
      ]);
      expect(purged).toEqual([]);
      expect((await target.http().get(`/v1/articles/${article.slug}`).expect(200)).body.title).toBe('Бюджет пересмотрели');
    } finally {
      cache.purge = purge;
    }
  });

  it('when an article names a tag twice, then the line is refused (409) and nothing of it is written', async () => {
    const article = linesOf(exported).find((line) => line.type === 'article' && (line.tagIds as string[]).length > 0)!;
    const tagId = (article.tagIds as string[])[0]!;
    const twice = {
      ...article,
      id: randomUUID(),
      slug: 'tag-twice',
      tagIds: [tagId, tagId],
      slugRedirects: [],
      pathRedirects: [],
      corrections: [],
    };
    const [result] = await importText(target, targetKey.headers, JSON.stringify(twice));
    expect([result?.status, result?.error?.code]).toEqual(['error', 'already_exists']);
    expect(await target.container.db.prisma.article.count({ where: { id: twice.id } })).toBe(0);
  });

  it('when another instance creates the record between the lookup and the write, then the restore looks again and finds it unchanged', async () => {
    const lines = linesOf(exported);
    const article = lines.find((line) => line.type === 'article' && (line.tagIds as string[]).length > 0)!;
    const feedItem = lines.find((line) => line.type === 'feed_item' && line.articleId === null)!;
    const records = [
      NativeRecord.parse({ ...article, id: randomUUID(), slug: 'raced', slugRedirects: [], pathRedirects: [], corrections: [] }),
      NativeRecord.parse({ ...feedItem, id: randomUUID(), headline: 'Гонка' }),
    ];
    const prisma = target.container.db.prisma;
    const { searchIndex } = target.container.services;
    const other = createInterchangeRepository({ prisma, searchIndex });
    // The other instance restores the record just before this one's write (a batch, or a single INSERT) runs.
    let racer: NativeRecord | undefined;
    const raced = (run: () => Promise<unknown>) => async () => {
      const record = racer;
      racer = undefined;
      if (record) await other.restore(record);
      return run();
    };
    const racing = new Proxy(prisma, {
      get(client, property) {
        const value = Reflect.get(client, property, client) as unknown;
        if (property === '$transaction')
          return (arg: never) => (Array.isArray(arg) ? raced(() => client.$transaction(arg))() : client.$transaction(arg));
        if (property === '$executeRaw')
          return (query: PrismaNamespace.Sql) =>
            query.sql.startsWith('INSERT INTO "FeedItem"') ? raced(() => client.$executeRaw(query))() : client.$executeRaw(query);
        return typeof value === 'function' ? value.bind(client) : value;
      },
    });
    const repo = createInterchangeRepository({ prisma: racing, searchIndex });
    for (const record of records) {
      racer = record;
      expect(await repo.restore(record)).toEqual({ status: 'unchanged', keys: [] });
      expect(racer).toBeUndefined();
    }
    expect(await prisma.article.count({ where: { id: records[0]!.id } })).toBe(1);
    expect(await prisma.feedItem.count({ where: { id: records[1]!.id } })).toBe(1);
  });

  it('when a line in the middle is bad, then it is answered with an error and the lines after it are imported', async () => {
    const tag = linesOf(exported).find((line) => line.type === 'tag')!;
    const article = linesOf(exported).find((line) => line.type === 'article')!;
    const newTag = (name: string) => JSON.stringify({ ...tag, id: randomUUID(), name, slug: `import-${name}`, version: 1 });
    const body = [
      newTag('first'),
      '{"type":"tag", not json',
      JSON.stringify({
        ...article,
        id: randomUUID(),
        slug: 'orphan',
        rubricId: randomUUID(),
        slugRedirects: [],
        pathRedirects: [],
        corrections: [],
      }),
      JSON.stringify({ type: 'poem', id: 'x' }),
      JSON.stringify({ ...tag, id: randomUUID(), extra: true }),
      `{"type":"tag","name":"${'я'.repeat(3 * 1024 * 1024)}"}`,
      newTag('last'),
    ].join('\n');
    const results = await importText(target, targetKey.headers, body);
    expect(results.map((r) => [r.line, r.status, r.error?.code ?? null])).toEqual([
      [1, 'created', null],
      [2, 'error', 'bad_json'],
      [3, 'error', 'missing_reference'],
      [4, 'error', 'unknown_type'],
      [5, 'error', 'validation_failed'],
      [6, 'error', 'line_too_long'],
      [7, 'created', null],
    ]);
    const slugs = (await target.container.db.prisma.tag.findMany({ where: { slug: { startsWith: 'import-' } } })).map((t) => t.slug);
    expect(slugs.sort()).toEqual(['import-first', 'import-last']);
    expect(await target.container.db.prisma.article.count({ where: { slug: 'orphan' } })).toBe(0);
  });

  it('when a line is a ninjs item, then it is imported as a draft through the importer, once', async () => {
    const item = {
      uri: 'https://agency.example/items/export-test-1',
      type: 'text',
      version: '1',
      pubstatus: 'usable',
      headlines: [{ role: 'main', value: 'Агентство сообщает о ремонте моста' }],
      bodies: [{ role: 'main', contenttype: 'text/plain', value: 'Ремонт моста закончат к весне.' }],
    };
    const [first] = await importText(target, targetKey.headers, JSON.stringify(item));
    expect(first).toMatchObject({ line: 1, status: 'created', type: 'article' });
    const article = await target.container.db.prisma.article.findUniqueOrThrow({ where: { id: first!.id! } });
    expect([article.origin, article.status, article.externalId]).toEqual(['import', 'draft', item.uri]);
    expect(await importText(target, targetKey.headers, JSON.stringify(item))).toMatchObject([{ line: 1, status: 'unchanged' }]);
  });

  it('when the client goes away in the middle of the body, then the lines answered before stay imported', async () => {
    const tag = linesOf(exported).find((line) => line.type === 'tag')!;
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const lines = ids.map((id, i) => JSON.stringify({ ...tag, id, name: `Обрыв ${i}`, slug: `cut-${i}`, version: 1 }));
    const server = http.createServer(target.container.app).listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      const request = http.request({
        port,
        method: 'POST',
        path: '/v1/admin/import',
        headers: { ...targetKey.headers, 'Content-Type': ndjson, 'Transfer-Encoding': 'chunked' },
      });
      // The connection is dropped on purpose below.
      request.on('error', () => undefined);
      request.write(`${lines[0]}\n${lines[1]}\n`);
      const response = await new Promise<http.IncomingMessage>((resolve) => request.on('response', resolve));
      response.on('error', () => undefined);
      const answered: ResultLine[] = [];
      for await (const line of readNdjsonLines(response)) {
        if ('text' in line) answered.push(JSON.parse(line.text) as ResultLine);
        if (answered.length === 2) break;
      }
      // Half of the third line, then the connection drops.
      request.write(lines[2]!.slice(0, 40));
      request.destroy();
      expect(answered.map((r) => r.status)).toEqual(['created', 'created']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const stored = await target.container.db.prisma.tag.findMany({ where: { id: { in: ids } }, select: { slug: true } });
    expect(stored.map((r) => r.slug).sort()).toEqual(['cut-0', 'cut-1']);
  });

  it('when ?since is given, then only records changed since come', async () => {
    // Tags are stamped by the database client's clock, not the app's: the time is the wall clock's.
    const since = new Date();
    const fresh = await t.container.services.tags.create({ name: 'Свежий тег' });
    const lines = linesOf(await exportText(t, admin.headers, { since: since.toISOString() }));
    expect(lines.map((line) => [line.type, line.id ?? null])).toEqual([
      ['tag', fresh.id],
      ['end', null],
    ]);
  });

  it('when ninjs is asked for, then the articles come as ninjs items (drafts withheld) and the other records as they are', async () => {
    const native = linesOf(exported);
    const lines = linesOf(await exportText(t, admin.headers, { format: 'ninjs' }));
    const items = lines.filter((line) => typeof line.uri === 'string');
    const nativeArticles = native.filter((line) => line.type === 'article');
    expect(items).toHaveLength(nativeArticles.length);
    for (const item of items) NinjsItemSchema.parse(item);
    const draft = nativeArticles.find((line) => line.status === 'draft')!;
    expect(items.find((item) => JSON.stringify(item).includes(draft.title as string))?.pubstatus).toBe('withheld');
    expect(lines.filter((line) => line.type === 'article')).toEqual([]);
    expect(lines.filter((line) => line.type === 'rubric')).toEqual(native.filter((line) => line.type === 'rubric'));
    expect(lines.at(-1)).toEqual({ type: 'end', count: lines.length - 1 });
  });

  it('when the caller is not an admin, then export and import are refused', async () => {
    await t.http().get('/v1/admin/export').expect(401);
    await t.http().get('/v1/admin/export').set(editor.headers).expect(403);
    await t.http().post('/v1/admin/import').set(editor.headers).set('Content-Type', ndjson).send('{}\n').expect(403);
    await t.http().post('/v1/admin/import').set('Content-Type', ndjson).send('{}\n').expect(401);
  });

  it('when there are more articles than a page holds, then the export reads every page', async () => {
    const before = linesOf(exported).filter((line) => line.type === 'article').length;
    const at = t.clock.now();
    await t.container.db.prisma.article.createMany({
      data: Array.from({ length: 520 }, (_, i) => ({
        title: `Заметка ${i}`,
        slug: `zametka-${i}`,
        body: [paragraph(`Текст ${i}.`)],
        keyPoints: [],
        searchText: `заметка ${i}`,
        createdAt: at,
        updatedAt: at,
      })),
    });
    const articles = linesOf(await exportText(t, admin.headers)).filter((line) => line.type === 'article');
    expect(articles).toHaveLength(before + 520);
    expect(new Set(articles.map((a) => a.id)).size).toBe(before + 520);
  });
});
