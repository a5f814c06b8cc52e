import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { createArticleNinjs } from '../../src/modules/articles/index.ts';
import type { PublicArticleResponse } from '../../src/modules/articles/articles.public.schemas.ts';
import { convertNinjs, incomingFromNinjs } from '../../src/modules/interchange/ninjs.incoming.ts';
import type { MediaResponse } from '../../src/modules/media/media.schemas.ts';
import { bodyToHtml } from '../../src/modules/syndication/index.ts';
import { createPublicUrls } from '../../src/shared/public-urls.ts';

// Agency items written for these tests: one in ninjs 2.x, one in 1.x, and the odd ones (kill notices, embargoes).
const wire = { source: 'sever', origin: 'wire' as const };

const itemV2 = {
  uri: 'urn:sever:2026:text:4711',
  type: 'text',
  version: '3',
  firstcreated: '2026-11-20T06:00:00Z',
  versioncreated: '2026-11-20T07:15:00Z',
  pubstatus: 'usable',
  urgency: 3,
  ednote: 'Обновлено: добавлена цитата.',
  copyrightholder: 'Агентство «Север»',
  language: 'ru',
  headlines: [
    { role: 'short', value: 'Порт открыт' },
    { role: 'main', contenttype: 'text/plain', value: 'Северный порт открыл навигацию раньше срока' },
  ],
  descriptions: [{ role: 'summary', contenttype: 'text/plain', value: 'Первые суда вошли в гавань в понедельник.' }],
  bodies: [
    { role: 'main', contenttype: 'text/plain', value: 'Текстовая версия.' },
    {
      role: 'richtext',
      contenttype: 'text/html',
      value:
        '<p>Лёд сошёл на две недели раньше обычного.</p><h2>Что дальше</h2><ul><li>Рейсы на острова</li><li>Грузовые линии</li></ul>' +
        '<blockquote><p>Такой ранней весны не помнят старожилы.</p></blockquote>',
    },
  ],
  subjects: [
    { name: 'Экономика', rel: 'section', literal: 'ekonomika' },
    { name: 'Транспорт', uri: 'http://cv.iptc.org/newscodes/mediatopic/20000587' },
    { name: 'Порты', rel: 'about', literal: 'porty' },
    { name: 'Порты', literal: 'porty' },
  ],
  people: [
    { name: 'Ольга Лебедева', rel: 'author', literal: 'olga-lebedeva' },
    { name: 'Пётр Зимин', rel: 'author' },
    { name: 'Капитан порта', rel: 'about' },
  ],
  by: 'Ольга Лебедева, Пётр Зимин',
  associations: [
    {
      name: 'gallery-2',
      type: 'picture',
      uri: 'urn:sever:2026:picture:2',
      renditions: [{ name: 'highres', href: 'https://photos.sever.example/2.jpg', width: 3000, height: 2000 }],
    },
    {
      name: 'featureimage',
      type: 'picture',
      uri: 'urn:sever:2026:picture:1',
      descriptions: [
        { role: 'caption', value: 'Ледокол у причала' },
        { role: 'alt', value: 'Красный ледокол у бетонного причала' },
      ],
      by: 'Север/Иван Морозов',
      renditions: [
        { name: 'thumbnail', href: 'https://photos.sever.example/1-thumb.jpg', width: 200, height: 133, contenttype: 'image/jpeg' },
        { name: 'highres', href: 'https://photos.sever.example/1.jpg', width: 2400, height: 1600, contenttype: 'image/jpeg' },
        { name: 'print', contenttype: 'image/tiff' },
      ],
    },
    { name: 'video', type: 'video', uri: 'https://video.sever.example/1.mp4' },
  ],
  'x-sever-desk': 'north',
};

const itemV1 = {
  uri: 'http://wire.example/newsitems/2026-11-20-0815',
  type: 'text',
  version: 2,
  versioncreated: '2026-11-20T08:15:00+03:00',
  pubstatus: 'usable',
  headline: 'Городской совет одобрил новый парк',
  description_text: 'Парк появится на месте старого рынка.',
  body_html: '<p>Решение приняли единогласно.</p><p>Работы начнутся летом.</p>',
  byline: 'By Anna Petrova and John Smith',
  subject: [
    { name: 'Городская среда', code: 'medtop:20000739', scheme: 'http://cv.iptc.org/newscodes/mediatopic/' },
    { name: 'Local', rel: 'category' },
  ],
  associations: {
    main: {
      uri: 'http://wire.example/pictures/park',
      type: 'picture',
      description_text: 'Старый рынок перед сносом',
      byline: 'Wire Photo/Kate Lee',
      renditions: {
        preview: { href: 'http://wire.example/pictures/park-preview.jpg', mimetype: 'image/jpeg', width: 512, height: 341 },
        baseImage: { href: 'http://wire.example/pictures/park.jpg', mimetype: 'image/jpeg', width: 3000, height: 2000 },
      },
    },
  },
};

describe('ninjs items in', () => {
  it('when a ninjs 2.x item comes in, then every field we keep is read and the rest is let through', () => {
    const article = incomingFromNinjs(itemV2, wire);
    expect(article).toEqual({
      origin: 'wire',
      source: 'Агентство «Север»',
      externalId: 'urn:sever:2026:text:4711',
      externalVersion: '3',
      versionCreatedAt: new Date('2026-11-20T07:15:00Z'),
      status: 'usable',
      embargoUntil: null,
      title: 'Северный порт открыл навигацию раньше срока',
      lead: 'Первые суда вошли в гавань в понедельник.',
      // The HTML body is preferred to the plain one.
      body: [
        { type: 'paragraph', text: 'Лёд сошёл на две недели раньше обычного.' },
        { type: 'heading', level: 2, text: 'Что дальше' },
        { type: 'list', style: 'bulleted', items: ['Рейсы на острова', 'Грузовые линии'] },
        { type: 'quote', text: 'Такой ранней весны не помнят старожилы.' },
      ],
      rubric: { slug: 'ekonomika', name: 'Экономика' },
      tags: [{ name: 'Транспорт' }, { slug: 'porty', name: 'Порты' }],
      authors: [{ slug: 'olga-lebedeva', displayName: 'Ольга Лебедева' }, { displayName: 'Пётр Зимин' }],
      // The picture named as the feature image, by its largest rendition with an address.
      cover: {
        url: 'https://photos.sever.example/1.jpg',
        caption: 'Ледокол у причала',
        credit: 'Север/Иван Морозов',
        altText: 'Красный ледокол у бетонного причала',
      },
      publishedAt: new Date('2026-11-20T06:00:00Z'),
    });
  });

  it('when a ninjs 1.x item comes in, then its headline, body_html, description_text, byline and associations object are read', () => {
    const article = incomingFromNinjs(itemV1, { source: 'wire-example', origin: 'import' });
    expect(article).toMatchObject({
      origin: 'import',
      // It names no copyright holder: the source given is its namespace.
      source: 'wire-example',
      externalId: 'http://wire.example/newsitems/2026-11-20-0815',
      externalVersion: '2',
      versionCreatedAt: new Date('2026-11-20T05:15:00Z'),
      status: 'usable',
      title: 'Городской совет одобрил новый парк',
      lead: 'Парк появится на месте старого рынка.',
      body: [
        { type: 'paragraph', text: 'Решение приняли единогласно.' },
        { type: 'paragraph', text: 'Работы начнутся летом.' },
      ],
      rubric: { slug: 'local', name: 'Local' },
      tags: [{ name: 'Городская среда' }],
      authors: [{ displayName: 'Anna Petrova' }, { displayName: 'John Smith' }],
      cover: {
        url: 'http://wire.example/pictures/park.jpg',
        caption: 'Старый рынок перед сносом',
        credit: 'Wire Photo/Kate Lee',
        altText: null,
      },
      publishedAt: new Date('2026-11-20T05:15:00Z'),
    });
  });

  it('when the body is plain text only, then its paragraphs become paragraph blocks', () => {
    const text = { uri: 'urn:a:1', headline: 'Заголовок', body_text: 'Первый абзац,\nв две строки.\n\nВторой абзац & <не тег>.' };
    expect(incomingFromNinjs(text, wire).body).toEqual([
      { type: 'paragraph', text: 'Первый абзац,\nв две строки.' },
      { type: 'paragraph', text: 'Второй абзац & <не тег>.' },
    ]);
    const lines = { uri: 'urn:a:2', headlines: [{ value: 'Заголовок' }], bodies: [{ value: 'Строка один.\nСтрока два.' }] };
    expect(incomingFromNinjs(lines, wire).body).toEqual([
      { type: 'paragraph', text: 'Строка один.' },
      { type: 'paragraph', text: 'Строка два.' },
    ]);
  });

  it('when a kill notice comes in, then it is canceled, even with nothing but its uri', () => {
    expect(incomingFromNinjs({ ...itemV2, pubstatus: 'canceled', version: '4' }, wire)).toMatchObject({
      status: 'canceled',
      externalVersion: '4',
      title: 'Северный порт открыл навигацию раньше срока',
    });
    const bare = incomingFromNinjs({ uri: 'urn:sever:2026:text:4711', pubstatus: 'Cancelled' }, wire);
    expect(bare).toMatchObject({ status: 'canceled', source: 'sever', externalId: 'urn:sever:2026:text:4711', body: [], cover: null });
    expect(incomingFromNinjs({ uri: 'urn:a:3', pubstatus: 'withheld', headline: 'Снято' }, wire).status).toBe('withheld');
  });

  it('when an item is embargoed, then it is held until the embargo ends; with no end named, it is withheld', () => {
    const embargoed = incomingFromNinjs({ ...itemV2, embargoed: '2026-11-21T09:00:00Z' }, wire);
    expect(embargoed).toMatchObject({ status: 'embargoed', embargoUntil: new Date('2026-11-21T09:00:00Z') });
    const v1 = incomingFromNinjs({ ...itemV1, pubstatus: 'embargoed', embargoed: '2026-11-21T12:00:00+03:00' }, wire);
    expect(v1).toMatchObject({ status: 'embargoed', embargoUntil: new Date('2026-11-21T09:00:00Z') });
    expect(incomingFromNinjs({ ...itemV2, pubstatus: 'embargoed' }, wire)).toMatchObject({ status: 'withheld', embargoUntil: null });
  });

  it('when an item is not one we can read, then a 422 names the field', () => {
    const refused = (input: unknown) => {
      try {
        incomingFromNinjs(input, wire);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).errors.map((e) => e.field);
      }
      throw new Error('accepted');
    };
    expect(refused({ headline: 'Без идентификатора' })).toEqual(['item.uri']);
    expect(refused('not an object')).toEqual(['item']);
    expect(refused({ uri: 'urn:a:4', headlines: 'Строка вместо списка' })).toEqual(['item.headlines']);
    expect(refused({ uri: 'urn:a:5', headline: 'Дата', versioncreated: 'вчера' })).toEqual(['item.versioncreated']);
    expect(refused({ uri: 'urn:a:6', headline: 'Статус', pubstatus: 'draft' })).toEqual(['item.pubstatus']);
    expect(refused({ uri: 'urn:a:7', body_text: 'Текст без заголовка.' })).toEqual(['item.headlines']);
  });

  it('when HTML the blocks cannot hold comes in, then the conversion says what was dropped', () => {
    const { article, warnings } = convertNinjs(
      { uri: 'urn:a:8', headline: 'Скрипт', body_html: '<p>Текст.</p><script>alert(1)</script>' },
      wire,
    );
    expect(article.body).toEqual([{ type: 'paragraph', text: 'Текст.' }]);
    expect(Array.isArray(warnings)).toBe(true);
  });

  it('when our own ninjs comes back in, then it reads as the article it was made from', () => {
    const urls = createPublicUrls('https://news.example');
    const media = (id: string, url: string, fields: Partial<MediaResponse>): MediaResponse => ({
      id,
      kind: 'image',
      url,
      mimeType: 'image/jpeg',
      sizeBytes: null,
      width: 1600,
      height: 900,
      durationSeconds: null,
      caption: null,
      altText: null,
      credit: null,
      source: null,
      focalX: null,
      focalY: null,
      dominantColor: null,
      renditions: [],
      createdAt: '2026-11-20T08:00:00.000Z',
      updatedAt: '2026-11-20T08:00:00.000Z',
      ...fields,
    });
    const cover = media('m1', 'https://media.example/duma.jpg', {
      caption: 'Зал заседаний',
      altText: 'Депутаты в зале',
      credit: 'ГН/Ольга Ким',
    });
    const article: PublicArticleResponse = {
      id: 'a1',
      slug: 'duma-utverdila-rashody',
      title: 'Дума утвердила расходы',
      lead: 'Расходы вырастут на 7%.',
      rubric: { id: 'r1', name: 'Город', slug: 'gorod' },
      tags: [{ id: 't1', name: 'Бюджет', slug: 'byudzhet' }],
      authors: [{ id: 'u1', displayName: 'Анна Смирнова', slug: 'anna-smirnova' }],
      cover,
      publishedAt: '2026-11-20T09:00:00.000Z',
      updatedAt: '2026-11-20T10:00:00.000Z',
      adMarking: null,
      body: [
        { type: 'paragraph', text: 'Депутаты проголосовали единогласно.' },
        { type: 'quote', text: 'Это бюджет развития.', attribution: 'Мэр города' },
        { type: 'image', mediaId: 'm2', caption: 'Проспект Мира', media: media('m2', 'https://media.example/road.jpg', {}) },
      ],
    };
    const ninjsOf = createArticleNinjs(
      {
        urls,
        name: 'Городские новости',
        language: 'ru',
        copyrightNotice: '© Городские новости',
        bodyHtml: (b) => bodyToHtml(b, urls.absolute),
      },
      () => new Date('2026-11-20T12:00:00Z'),
    );
    const item = ninjsOf(article, { version: 5, createdAt: '2026-11-19T15:00:00.000Z' });
    const back = incomingFromNinjs(JSON.parse(JSON.stringify(item)), { source: 'other', origin: 'import' });
    expect(back).toMatchObject({
      source: 'Городские новости',
      externalId: 'https://news.example/articles/duma-utverdila-rashody',
      externalVersion: '5',
      versionCreatedAt: new Date('2026-11-20T10:00:00.000Z'),
      publishedAt: new Date('2026-11-20T09:00:00.000Z'),
      status: 'usable',
      title: 'Дума утвердила расходы',
      lead: 'Расходы вырастут на 7%.',
      rubric: { slug: 'gorod', name: 'Город' },
      tags: [{ slug: 'byudzhet', name: 'Бюджет' }],
      authors: [{ slug: 'anna-smirnova', displayName: 'Анна Смирнова' }],
      cover: { url: 'https://media.example/duma.jpg', caption: 'Зал заседаний', credit: 'ГН/Ольга Ким', altText: 'Депутаты в зале' },
    });
    expect(back.body[0]).toEqual({ type: 'paragraph', text: 'Депутаты проголосовали единогласно.' });
    // Feeds write a quote's attribution as its <footer>; the HTML converter reads a <cite> as one, so the name stays in the text.
    expect(back.body[1]).toMatchObject({ type: 'quote', text: expect.stringContaining('Это бюджет развития.') });
    expect(back.body[2]).toMatchObject({ type: 'image', photo: { url: 'https://media.example/road.jpg' } });
  });
});
