import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { adminActor, paragraph } from '../articles/article-fixtures.ts';
import { getText, uploadPhoto } from '../syndication/syndication-helpers.ts';
import type { TestApp } from '../support/test-app.ts';

// Every public GET answered for one fixed dataset, kept as a file per dialect: a change to how public
// reads are made (SQL, statements, mappers) must leave every body and header as it was, byte for byte.
// Ids are random (uuid7), so each is replaced by the name it was given here; the ETag, a hash of the
// raw body, is checked against that body and written as a marker. Surrogate-Key and Cache-Tag are kept
// in a file of their own: purges may change them knowingly, everything else must not change.

/** The records of the dataset by name, and what a response may carry of them. */
class Names {
  readonly #byId = new Map<string, string>();
  add(name: string, id: string): string {
    this.#byId.set(id, name);
    return id;
  }
  /** The text with every known id replaced by its name, and every cursor decoded to its named key. */
  normalise(text: string): string {
    let out = text.replace(/("nextCursor":"|cursor=)([A-Za-z0-9_-]+)/g, (_, start: string, cursor: string) => {
      const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
      return `${start}cursor:${decoded.replaceAll('"', "'")}`;
    });
    // Longest first, so no id is cut by a shorter one inside it.
    for (const [id, name] of [...this.#byId].sort((a, b) => b[0].length - a[0].length)) out = out.replaceAll(id, `{${name}}`);
    return out;
  }
}

const recordedHeaders = ['content-type', 'etag', 'last-modified', 'cache-control', 'location', 'vary', 'x-robots-tag'];
const keyHeaders = ['surrogate-key', 'cache-tag'];

interface Recorded {
  answers: string[];
  keys: string[];
}

async function record(t: TestApp, names: Names, recorded: Recorded, path: string, label = names.normalise(path)): Promise<string> {
  const answer = await getText(t, path);
  const body = String(answer.body ?? '');
  const headers = recordedHeaders.flatMap((name) => {
    const value = answer.headers[name];
    if (value === undefined) return [];
    if (name === 'etag') {
      const raw = Buffer.from(body, 'utf8');
      const strong = `"${createHash('sha256').update(raw).digest('base64url').slice(0, 32)}"`;
      // Express's own weak ETag of an error answer: the body carries the request id.
      const weak = `W/"${raw.length.toString(16)}-${createHash('sha1').update(raw).digest('base64').slice(0, 27)}"`;
      if (value === strong) return [`${name}: <sha256 of the body>`];
      if (value === weak) return [`${name}: <express's weak ETag of the body>`];
    }
    return [`${name}: ${names.normalise(String(value))}`];
  });
  recorded.answers.push(
    [
      `### GET ${label}`,
      String(answer.status),
      ...headers,
      '',
      names.normalise(body.replace(/"requestId":"[^"]*"/, '"requestId":"…"')),
      '',
    ].join('\n'),
  );
  recorded.keys.push(
    [`### GET ${label}`, ...keyHeaders.map((name) => `${name}: ${names.normalise(String(answer.headers[name] ?? ''))}`), ''].join('\n'),
  );
  return body;
}

const cursorOf = (body: string): string => {
  const cursor = (JSON.parse(body) as { nextCursor: string | null }).nextCursor;
  if (!cursor) throw new Error('expected a next page');
  return cursor;
};

describeEachDialect('every public GET, for a fixed dataset', (dialect) => {
  const { t, editor } = useTestApp(dialect, {
    roles: ['editor'],
    mediaDir: true,
    env: { MEDIA_RENDITION_WIDTHS: '100', MEDIA_ASPECT_RATIOS: '1:1', SITEMAP_PAGE_SIZE: '6' },
  });

  it('answers as recorded', async () => {
    const names = new Names();
    const { services } = t.container;
    const minute = 60_000;
    names.add('editor', editor.user.id);

    // Media: an uploaded photo (with renditions), a photo and an audio known by URL.
    const photo = await uploadPhoto(t, editor, { credit: 'Городские новости/Анна Смирнова', caption: 'Набережная после ремонта' });
    names.add('photo', photo.id);
    const picture = await services.media.create(
      {
        kind: 'image',
        url: 'https://media.example/image/tram.jpg',
        mimeType: 'image/jpeg',
        width: 1200,
        height: 800,
        caption: 'Трамвай на новой линии',
        altText: 'Трамвай у остановки',
        credit: 'Пресс-служба',
        focalX: 1 / 3,
        focalY: 0.1,
      },
      adminActor,
    );
    names.add('picture', picture.id);
    const audio = await services.media.create(
      {
        kind: 'audio',
        url: 'https://media.example/audio/budget.mp3',
        mimeType: 'audio/mpeg',
        durationSeconds: 187.25,
        sizeBytes: 3_000_123,
      },
      adminActor,
    );
    names.add('audio', audio.id);

    // Authors (one with an avatar), rubrics (a parent, its child, an inactive one, another), tags.
    const maria = await services.users.create({
      email: 'maria@test.example',
      password: 'correct-horse-battery-staple',
      displayName: 'Мария Ковалёва',
      role: 'author',
      bio: 'Пишет о городском хозяйстве.',
      avatarMediaId: picture.id,
    });
    names.add('maria', maria.id);
    const ivan = await services.users.create({
      email: 'ivan@test.example',
      password: 'correct-horse-battery-staple',
      displayName: 'Иван Петров',
      role: 'author',
    });
    names.add('ivan', ivan.id);
    const city = await services.rubrics.create({ name: 'Город', description: 'Новости города', position: 1 });
    names.add('city', city.id);
    const transport = await services.rubrics.create({ name: 'Транспорт', parentId: city.id, position: 2 });
    names.add('transport', transport.id);
    const archive = await services.rubrics.create({ name: 'Архив', position: 3 });
    names.add('archive', archive.id);
    const sport = await services.rubrics.create({ name: 'Спорт', position: 4 });
    names.add('sport', sport.id);
    const budgetTag = await services.tags.create({ name: 'Бюджет' });
    names.add('budgetTag', budgetTag.id);
    const roadsTag = await services.tags.create({ name: 'Дороги' });
    names.add('roadsTag', roadsTag.id);
    const footballTag = await services.tags.create({ name: 'Футбол' });
    names.add('footballTag', footballTag.id);

    // Articles, each published a minute after the one before, so no two share a time.
    const publish = async (name: string, input: Parameters<typeof services.articles.create>[0], publishAt?: string) => {
      t.clock.advance(minute);
      const draft = await services.articles.create(input, adminActor);
      names.add(name, draft.id);
      return services.articles.publish(draft.id, adminActor, publishAt ? { publishAt } : {});
    };
    const budget = await publish('budget', {
      title: 'Дума утвердила бюджет: на дороги потратят на 12% больше',
      lead: 'Расходы города вырастут на 7%, больше всего — на дороги и школы.',
      body: [
        paragraph('Депутаты утвердили бюджет города на следующий год; расходы на ремонт дорог вырастут на 12%.'),
        { type: 'image', mediaId: photo.id },
        { type: 'heading', level: 2, text: 'Что изменится для жителей' },
        { type: 'image', mediaId: picture.id },
        { type: 'list', style: 'bulleted', items: ['Новые светофоры', 'Ремонт мостов'] },
      ],
      keyPoints: ['расходы на ремонт дорог вырастут на 12%'],
      rubricId: city.id,
      tagIds: [roadsTag.id, budgetTag.id],
      authorIds: [ivan.id, maria.id],
      coverMediaId: photo.id,
      narrationMediaId: audio.id,
      seoTitle: 'Бюджет города: дороги и школы',
      seoDescription: 'Что заложено в бюджет города на следующий год.',
    });
    const tram = await publish('tram', {
      title: 'Трамвай пошёл по новой линии через мост',
      body: [paragraph('Первые пассажиры проехали по продлённой линии утром; ремонт дорог на мосту закончили в срок.')],
      rubricId: transport.id,
      tagIds: [roadsTag.id],
      authorIds: [maria.id],
      coverMediaId: picture.id,
    });
    const oldMatch = await publish('oldMatch', {
      title: 'Городская команда сыграла вничью',
      lead: 'Матч прошёл при пустых трибунах.',
      body: [paragraph('Футбольный матч закончился со счётом 1:1.')],
      rubricId: archive.id,
      tagIds: [footballTag.id],
    });
    const notice = await publish('notice', {
      title: 'Объявление редакции',
      body: [paragraph('Редакция переезжает в новое здание.')],
      showInFeed: false,
    });
    for (const [i, title] of [
      'Команда выиграла кубок',
      'Стадион откроют к весне',
      'Тренер продлил контракт',
      'Бассейн закрыли на ремонт',
    ].entries()) {
      await publish(`sport${i + 1}`, {
        title,
        lead: i % 2 ? null : `Короткая заметка номер ${i + 1}.`,
        body: [paragraph(`Спортивная новость: ${title.toLowerCase()}.`)],
        rubricId: sport.id,
        tagIds: i === 0 ? [footballTag.id] : [],
        authorIds: [ivan.id],
      });
    }
    const renamed = await publish('renamed', {
      title: 'Мост закроют на ремонт дорог',
      body: [paragraph('Движение по мосту перекроют на выходные.')],
      rubricId: transport.id,
      authorIds: [maria.id],
    });
    await services.articles.update(renamed.id, { slug: 'most-zakroyut-na-vyhodnye' }, adminActor);
    // Scheduled a few minutes ahead: public by the time of the reads, with the status still `scheduled`.
    await publish(
      'scheduledDue',
      { title: 'Новый мост откроют в полдень', body: [paragraph('Движение по новому мосту откроют сегодня.')], rubricId: transport.id },
      '2026-11-20T09:14:30.000Z',
    );
    const scheduled = await publish(
      'scheduled',
      { title: 'Завтра объявят итоги конкурса', body: [paragraph('Итоги конкурса.')], rubricId: city.id },
      '2026-12-01T09:00:00.000Z',
    );
    const embargoed = await publish('embargoed', {
      title: 'Отчёт о дорогах под эмбарго',
      body: [paragraph('Отчёт о ремонте дорог.')],
      rubricId: city.id,
      embargoUntil: '2026-12-01T09:00:00.000Z',
    });
    t.clock.advance(minute);
    const draft = await services.articles.create(
      { title: 'Черновик о дорогах', body: [paragraph('Черновик о ремонте дорог.')], rubricId: city.id },
      adminActor,
    );
    names.add('draft', draft.id);
    const trashed = await publish('trashed', {
      title: 'Удалённая заметка о дорогах',
      body: [paragraph('Ремонт дорог отменили.')],
      rubricId: city.id,
    });
    await services.articles.delete(trashed.id, adminActor, null);

    // Previews: an article as saved, drafts included. Their links are made before the scheduled article is due:
    // a management read publishes a due article, and that write stamps updatedAt with the wall clock.
    const previews: [name: string, token: string][] = [];
    for (const id of [budget.id, draft.id])
      previews.push([names.normalise(id), (await services.articles.createPreview(id, adminActor)).token]);

    // Feed items beside the articles': a pinned broadcast, a link whose window has closed, a promo under a rubric.
    t.clock.advance(minute);
    const live = await services.feed.create({
      kind: 'live',
      headline: 'Прямая трансляция заседания думы',
      url: 'https://live.example/duma',
      isPinned: true,
    });
    names.add('live', live.id);
    const link = await services.feed.create({
      kind: 'link',
      headline: 'Старая ссылка',
      url: 'https://example.org/old',
      visibleUntil: '2026-11-20T09:05:00.000Z',
    });
    names.add('link', link.id);
    const promo = await services.feed.create({
      kind: 'promo',
      headline: 'Подписка на газету',
      url: 'https://example.org/promo',
      rubricId: city.id,
      // A promo is an advertisement: it cannot be created without its marking.
      adMarking: { erid: 'SnapPromo2026', advertiserName: 'ООО «Городская газета»', advertiserInn: '7707083893' },
    });
    names.add('promo', promo.id);
    for (const item of await t.container.db.prisma.feedItem.findMany({ where: { articleId: { not: null } } }))
      names.add(`feed item of ${names.normalise(item.articleId!)}`, item.id);
    t.clock.advance(minute);

    const recorded: Recorded = { answers: [], keys: [] };
    const get = (path: string) => record(t, names, recorded, path);
    const enc = encodeURIComponent;

    // Article lists: every filter, include and fields option, and a second page by cursor.
    const firstPage = await get('/v1/articles?limit=3');
    await get(`/v1/articles?limit=3&cursor=${cursorOf(firstPage)}`);
    for (const query of [
      '',
      'include=',
      'include=rubric,cover',
      'include=authors,tags',
      'fields=title,slug',
      'fields=rubric,publishedAt&include=rubric',
      'rubric=gorod',
      'rubric=transport',
      'rubric=arkhiv',
      'rubric=net-takoy',
      'tag=dorogi',
      'tag=futbol&include=tags',
      'tag=net-takogo',
      `author=${maria.slug}`,
      `author=${ivan.slug}&rubric=sport`,
      `from=${enc('2026-11-20T09:02:00.000Z')}&to=${enc('2026-11-20T09:06:00.000Z')}`,
    ])
      await get(`/v1/articles?${query}`);
    const sportPage = await get('/v1/articles?rubric=sport&limit=2');
    await get(`/v1/articles?rubric=sport&limit=2&cursor=${cursorOf(sportPage)}`);

    // Article pages: every include and fields option, the former slug, and what the public may not see.
    for (const query of [
      '',
      '?include=related',
      '?include=',
      '?include=rubric',
      '?include=authors,tags',
      '?include=cover,related',
      '?fields=title,jsonLd',
      '?fields=title',
      '?fields=related&include=related',
      '?fields=body,narration,keyPoints&include=',
    ])
      await get(`/v1/articles/${budget.slug}${query}`);
    for (const slug of [tram.slug, oldMatch.slug, notice.slug]) await get(`/v1/articles/${slug}?include=related`);
    await get(`/v1/articles/${renamed.slug}?include=related`);
    await get('/v1/articles/most-zakroyut-na-vyhodnye');
    for (const hidden of [scheduled.slug, embargoed.slug, draft.slug, trashed.slug, 'net-takoy-stati']) await get(`/v1/articles/${hidden}`);

    // Previews.
    for (const [name, token] of previews) await record(t, names, recorded, `/v1/preview/${token}`, `/v1/preview/{token of ${name}}`);

    // The feed.
    const feedPage = await get('/v1/feed?limit=3');
    await get(`/v1/feed?limit=3&cursor=${cursorOf(feedPage)}`);
    await get('/v1/feed');
    await get('/v1/feed?rubric=gorod');
    await get('/v1/feed?rubric=arkhiv');

    // Rubrics, tags, authors.
    const rubricPage = await get('/v1/rubrics?limit=2');
    await get(`/v1/rubrics?limit=2&cursor=${cursorOf(rubricPage)}`);
    for (const path of ['/v1/rubrics', '/v1/rubrics/gorod', '/v1/rubrics/transport', '/v1/rubrics/arkhiv', '/v1/rubrics/net-takoy'])
      await get(path);
    const tagPage = await get('/v1/tags?limit=2');
    await get(`/v1/tags?limit=2&cursor=${cursorOf(tagPage)}`);
    for (const path of ['/v1/tags', '/v1/tags/dorogi', '/v1/tags/net-takogo']) await get(path);
    for (const slug of [maria.slug, ivan.slug, editor.user.slug, 'net-takogo']) await get(`/v1/authors/${slug}`);

    // Search.
    const searchPage = await get(`/v1/search?q=${enc('ремонт дорог')}&limit=2`);
    await get(`/v1/search?q=${enc('ремонт дорог')}&limit=2&cursor=${cursorOf(searchPage)}`);
    for (const q of ['дороги', 'трамвай мост', 'футбол', 'бюджет', 'несуществующееслово', 'и']) await get(`/v1/search?q=${enc(q)}`);
    await get(`/v1/search?q=${enc('дороги')}&rubric=gorod`);
    await get(`/v1/search?q=${enc('новость')}&from=${enc('2026-11-20T09:05:00.000Z')}&to=${enc('2026-11-20T09:07:00.000Z')}`);

    // Syndication feeds and sitemaps.
    for (const path of [
      '/v1/feeds/rss.xml',
      '/v1/feeds/atom.xml',
      '/v1/feeds/feed.json',
      '/v1/rubrics/gorod/feeds/rss.xml',
      '/v1/rubrics/gorod/feeds/atom.xml',
      '/v1/rubrics/gorod/feeds/feed.json',
      '/v1/rubrics/arkhiv/feeds/rss.xml',
      '/v1/sitemap.xml',
      '/v1/sitemaps/1.xml',
      '/v1/sitemaps/2.xml',
      '/v1/sitemaps/3.xml',
      '/v1/sitemap-news.xml',
    ])
      await get(path);

    // Media.
    for (const id of [photo.id, picture.id, audio.id]) await get(`/v1/media/${id}`);

    await expect(recorded.answers.join('\n')).toMatchFileSnapshot(`__snapshots__/public-answers.${dialect}.txt`);
    await expect(recorded.keys.join('\n')).toMatchFileSnapshot(`__snapshots__/public-surrogate-keys.${dialect}.txt`);
  });
});
