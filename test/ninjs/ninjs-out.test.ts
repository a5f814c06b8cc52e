import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NinjsItem } from '../../src/modules/articles/index.ts';
import type { ArticleResponse } from '../../src/modules/articles/articles.schemas.ts';
import { adminActor, createPublished, paragraph } from '../articles/article-fixtures.ts';
import { cachingEnv, isFromStore, surrogateKeysOf } from '../caching/caching-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const NINJS = 'application/ninjs+json';
const ninjs = { Accept: NINJS };

/**
 * IPTC's ninjs 2.0 schema, as published. It is written in JSON Schema draft-04, which Ajv 8 does not ship; the keywords it
 * uses (type, enum, required, properties, additionalProperties, items, anyOf, oneOf, $ref, format) mean the same in
 * draft-07, so Ajv's draft-07 checks it with the draft-04 `id` left aside. Its places' GeoJSON (a remote schema) is not
 * something we write: it is stubbed.
 */
function ninjsValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(new URL('../fixtures/ninjs-schema_2.0.json', import.meta.url), 'utf8'));
  expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
  const { $schema: _draft, id: _id, ...body } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  ajv.addSchema({}, 'https://geojson.org/schema/GeoJSON.json');
  return ajv.compile(body);
}

describe("IPTC's ninjs 2.0 schema (test/fixtures)", () => {
  it('refuses what it should: an unknown field, a pubstatus out of its list, a relative uri', () => {
    const validate = ninjsValidator();
    expect(validate({ uri: 'https://example.org/a' })).toBe(true);
    expect(validate({ uri: 'https://example.org/a', headline: 'ninjs 1.x' })).toBe(false);
    expect(validate({ uri: 'https://example.org/a', pubstatus: 'embargoed' })).toBe(false);
    expect(validate({ uri: '/articles/a' })).toBe(false);
  });
});

describeEachDialect('articles as IPTC ninjs', (dialect) => {
  const { t, anna, boris } = useTestApp(dialect, {
    users: { anna: { role: 'author', displayName: 'Анна Смирнова' }, boris: { role: 'author', displayName: 'Борис Волков' } },
    env: { ...cachingEnv, PUBLIC_BASE_URL: 'https://news.example', SITE_NAME: 'Городские новости' },
  });
  const validate = ninjsValidator();
  let article: ArticleResponse;
  let ids: { rubric: string; tags: string[]; cover: string; photo: string };

  beforeAll(async () => {
    const { rubrics, tags, media } = t.container.services;
    const city = await rubrics.create({ name: 'Город' });
    const budget = await tags.create({ name: 'Бюджет' });
    const roads = await tags.create({ name: 'Дороги' });
    const cover = await media.create(
      {
        kind: 'image',
        url: 'https://media.example/2026/11/duma.jpg',
        mimeType: 'image/jpeg',
        width: 1600,
        height: 900,
        caption: 'Заседание городской думы',
        altText: 'Депутаты в зале заседаний',
        credit: 'Городские новости/Ольга Ким',
        source: 'Городские новости',
      },
      adminActor,
    );
    const photo = await media.create(
      { kind: 'image', url: 'https://media.example/2026/11/road.jpg', mimeType: 'image/jpeg', credit: 'Илья Орлов' },
      adminActor,
    );
    ids = { rubric: city.id, tags: [budget.id, roads.id], cover: cover.id, photo: photo.id };
    article = await createPublished(t, {
      title: 'Дума утвердила расходы на ремонт дорог',
      lead: 'В следующем году отремонтируют сорок километров улиц.',
      body: [
        paragraph('Депутаты приняли поправки к бюджету во втором чтении.'),
        { type: 'heading', level: 2, text: 'Что отремонтируют' },
        { type: 'list', style: 'bulleted', items: ['Набережную', 'Проспект Мира'] },
        { type: 'quote', text: 'Деньги на ремонт заложены впервые за десять лет.', attribution: 'Председатель бюджетного комитета' },
        { type: 'image', mediaId: photo.id, caption: 'Проспект Мира весной' },
      ],
      rubricId: city.id,
      tagIds: [budget.id, roads.id],
      authorIds: [anna.user.id, boris.user.id],
      coverMediaId: cover.id,
    });
  });

  it('when the page is asked for as ninjs, then the answer is ninjs 2.0 that passes IPTC’s schema, with everything in it', async () => {
    const res = await t.http().get(`/v1/articles/${article.slug}`).set(ninjs).expect(200);
    expect(res.headers['content-type']).toBe('application/ninjs+json; charset=utf-8');
    expect(res.headers.vary).toMatch(/\bAccept\b/);
    const item = JSON.parse(res.text) as NinjsItem;
    expect(validate(item), JSON.stringify(validate.errors)).toBe(true);
    // An association is checked by name alone by the schema's anyOf: each must also be a valid ninjs object by itself.
    for (const { name: _name, ...picture } of item.associations ?? [])
      expect(validate(picture), JSON.stringify(validate.errors)).toBe(true);

    expect(item).toMatchObject({
      uri: `https://news.example/articles/${article.slug}`,
      type: 'text',
      version: String(article.version),
      firstcreated: article.publishedAt,
      versioncreated: article.updatedAt,
      contentcreated: article.createdAt,
      pubstatus: 'usable',
      language: 'ru',
      copyrightholder: 'Городские новости',
      copyrightnotice: '© Городские новости',
      headlines: [{ role: 'main', contenttype: 'text/plain', value: 'Дума утвердила расходы на ремонт дорог' }],
      descriptions: [{ role: 'summary', contenttype: 'text/plain', value: 'В следующем году отремонтируют сорок километров улиц.' }],
      subjects: [
        { name: 'Город', rel: 'section', uri: 'https://news.example/rubrics/gorod', literal: 'gorod' },
        { name: 'Бюджет', rel: 'tag', literal: 'byudzhet' },
        { name: 'Дороги', rel: 'tag', literal: 'dorogi' },
      ],
      people: [
        { name: 'Анна Смирнова', rel: 'author' },
        { name: 'Борис Волков', rel: 'author' },
      ],
      by: 'Анна Смирнова, Борис Волков',
      altids: [{ role: 'id', value: article.id }],
      standard: { name: 'ninjs', version: '2.0', schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json' },
    });
    expect(item.embargoed).toBeUndefined();

    const [html, text] = item.bodies;
    expect(html?.contenttype).toBe('text/html');
    expect(html?.value).toContain(
      '<blockquote><p>Деньги на ремонт заложены впервые за десять лет.</p><footer>Председатель бюджетного комитета</footer></blockquote>',
    );
    expect(html?.value).toContain('<h2>Что отремонтируют</h2>');
    expect(html?.value).toContain('src="https://media.example/2026/11/road.jpg"');
    expect(text?.contenttype).toBe('text/plain');
    expect(text?.value).toBe(
      [
        'Депутаты приняли поправки к бюджету во втором чтении.',
        'Что отремонтируют',
        '• Набережную\n• Проспект Мира',
        'Деньги на ремонт заложены впервые за десять лет.\n— Председатель бюджетного комитета',
      ].join('\n\n'),
    );
    expect(text?.charcount).toBe(text?.value.length);
    expect(text?.wordcount).toBe(24);

    expect(item.associations).toEqual([
      {
        name: 'cover',
        uri: 'https://media.example/2026/11/duma.jpg',
        type: 'picture',
        descriptions: [
          { role: 'caption', contenttype: 'text/plain', value: 'Заседание городской думы' },
          { role: 'alt', contenttype: 'text/plain', value: 'Депутаты в зале заседаний' },
        ],
        by: 'Городские новости/Ольга Ким',
        copyrightholder: 'Городские новости',
        renditions: [
          { name: 'original', href: 'https://media.example/2026/11/duma.jpg', contenttype: 'image/jpeg', width: 1600, height: 900 },
        ],
      },
      {
        name: 'photo-1',
        uri: 'https://media.example/2026/11/road.jpg',
        type: 'picture',
        descriptions: [{ role: 'caption', contenttype: 'text/plain', value: 'Проспект Мира весной' }],
        by: 'Илья Орлов',
        renditions: [{ name: 'original', href: 'https://media.example/2026/11/road.jpg', contenttype: 'image/jpeg' }],
      },
    ]);
  });

  it('when ninjs is asked for, then the answer names the same records as the JSON page, so the same writes purge it', async () => {
    const res = await t.http().get(`/v1/articles/${article.slug}`).set(ninjs).expect(200);
    const keys = surrogateKeysOf(res);
    for (const key of [
      `article:${article.id}`,
      `rubric:${ids.rubric}`,
      `media:${ids.cover}`,
      `media:${ids.photo}`,
      `user:${anna.user.id}`,
    ]) {
      expect(keys).toContain(key);
    }
    for (const tag of ids.tags) expect(keys).toContain(`tag:${tag}`);
  });

  it('when no Accept or a JSON one is sent, then the page is JSON as before, and it still says Vary: Accept', async () => {
    const plain = await t.http().get(`/v1/articles/${article.slug}`).expect(200);
    const json = await t.http().get(`/v1/articles/${article.slug}`).set({ Accept: 'application/json' }).expect(200);
    const any = await t.http().get(`/v1/articles/${article.slug}`).set({ Accept: '*/*' }).expect(200);
    // A client preferring JSON to ninjs gets JSON; one preferring ninjs gets ninjs.
    const prefersJson = await t
      .http()
      .get(`/v1/articles/${article.slug}`)
      .set({ Accept: `${NINJS};q=0.5, application/json` });
    const prefersNinjs = await t
      .http()
      .get(`/v1/articles/${article.slug}`)
      .set({ Accept: `application/json;q=0.5, ${NINJS}` });
    for (const res of [plain, json, any, prefersJson]) {
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers.vary).toMatch(/\bAccept\b/);
      expect(res.text).toBe(plain.text);
    }
    expect(plain.body).toMatchObject({ id: article.id, title: article.title });
    expect(plain.body.uri).toBeUndefined();
    expect(prefersNinjs.headers['content-type']).toBe('application/ninjs+json; charset=utf-8');
  });

  it('when each representation is asked for twice, then each is stored and served from its own entry, with its own ETag', async () => {
    const slug = (
      await createPublished(t, { title: 'Трамвай пойдёт по новому маршруту', body: [paragraph('Маршрут продлят до вокзала.')] })
    ).slug;
    const firstNinjs = await t.http().get(`/v1/articles/${slug}`).set(ninjs).expect(200);
    const firstJson = await t.http().get(`/v1/articles/${slug}`).expect(200);
    expect([isFromStore(firstNinjs), isFromStore(firstJson)]).toEqual([false, false]);
    const againNinjs = await t.http().get(`/v1/articles/${slug}`).set(ninjs).expect(200);
    const againJson = await t.http().get(`/v1/articles/${slug}`).expect(200);
    expect([isFromStore(againNinjs), isFromStore(againJson)]).toEqual([true, true]);
    expect(againNinjs.text).toBe(firstNinjs.text);
    expect(againNinjs.headers['content-type']).toBe('application/ninjs+json; charset=utf-8');
    expect(againJson.text).toBe(firstJson.text);
    expect(againJson.headers['content-type']).toBe('application/json; charset=utf-8');
    for (const res of [againNinjs, againJson]) expect(res.headers.vary).toMatch(/\bAccept\b/);
    expect(firstNinjs.headers.etag).not.toBe(firstJson.headers.etag);
    expect(againNinjs.headers.etag).toBe(firstNinjs.headers.etag);
  });

  it('when If-None-Match holds a representation’s ETag, then that representation answers 304 and the other answers in full', async () => {
    const ninjsTag = (await t.http().get(`/v1/articles/${article.slug}`).set(ninjs).expect(200)).headers.etag as string;
    const jsonTag = (await t.http().get(`/v1/articles/${article.slug}`).expect(200)).headers.etag as string;
    const notModified = await t
      .http()
      .get(`/v1/articles/${article.slug}`)
      .set({ ...ninjs, 'If-None-Match': ninjsTag })
      .expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.vary).toMatch(/\bAccept\b/);
    expect(notModified.headers.etag).toBe(ninjsTag);
    await t.http().get(`/v1/articles/${article.slug}`).set({ 'If-None-Match': jsonTag }).expect(304);
    const other = await t.http().get(`/v1/articles/${article.slug}`).set({ 'If-None-Match': ninjsTag }).expect(200);
    expect(other.headers['content-type']).toBe('application/json; charset=utf-8');
    const otherNinjs = await t
      .http()
      .get(`/v1/articles/${article.slug}`)
      .set({ ...ninjs, 'If-None-Match': jsonTag })
      .expect(200);
    expect(otherNinjs.headers['content-type']).toBe('application/ninjs+json; charset=utf-8');
  });

  it('when a former slug is asked for, then both representations redirect to the new address, saying Vary: Accept', async () => {
    const moved = await createPublished(t, { title: 'Мост закроют на ремонт', body: [paragraph('Объезд — по Заречной улице.')] });
    const renamed = await t.container.services.articles.update(moved.id, { slug: 'most-zakroyut-v-marte' }, adminActor);
    for (const accept of [NINJS, 'application/json']) {
      const res = await t.http().get(`/v1/articles/${moved.slug}?include=rubric`).set({ Accept: accept }).expect(301);
      expect(res.headers.location).toBe('/v1/articles/most-zakroyut-v-marte?include=rubric');
      expect(res.headers.vary).toMatch(/\bAccept\b/);
    }
    const item = JSON.parse((await t.http().get('/v1/articles/most-zakroyut-v-marte').set(ninjs).expect(200)).text) as NinjsItem;
    expect(item.uri).toBe('https://news.example/articles/most-zakroyut-v-marte');
    expect(item.version).toBe(String(renamed.version));
    const missing = await t.http().get('/v1/articles/net-takoy-stati').set(ninjs).expect(404);
    expect(missing.headers.vary).toMatch(/\bAccept\b/);
  });
});
