import { beforeAll, describe, expect, it } from 'vitest';
import { isValidInn } from '../../src/shared/ad-marking.ts';
import { adminActor, createDraft } from '../articles/article-fixtures.ts';
import { allOf, getDocument, parseXml } from '../syndication/syndication-helpers.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const base = 'https://news.example';
/** An organisation's INN (10 digits) and a person's (12 digits, both check digits computed by the algorithm). */
const orgInn = '7707083893';
const personInn = '500312345614';
const romashka = { erid: '2VtzqwRkN7h', advertiserName: 'ООО «Ромашка»', advertiserInn: orgInn };

describe('INN check digits', () => {
  it('when an INN is checked, then known-good 10- and 12-digit ones pass and any other fails', () => {
    for (const inn of [orgInn, personInn, '500100732259']) expect(isValidInn(inn), inn).toBe(true);
    for (const inn of ['7707083894', '500312345615', '500312345604', '770708389', '77070838931', 'ABCDEFGHIJ', '']) {
      expect(isValidInn(inn), inn).toBe(false);
    }
  });
});

describeEachDialect('advertising marking', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'], env: { PUBLIC_BASE_URL: base, SITE_NAME: 'Городские вести' } });

  const promo = (adMarking: unknown, status = 201, extra: object = {}) =>
    t
      .http()
      .post('/v1/admin/feed-items')
      .set(editor.headers)
      .send({ kind: 'promo', headline: 'Скидки на зимние шины', url: 'https://shop.example/tires?utm_source=news', adMarking, ...extra })
      .expect(status);

  const feedItemCount = () => t.container.db.prisma.feedItem.count();

  describe('promo slots', () => {
    it('when a promo item lacks its marking, then 422 ad_marking_required names every missing part, and nothing is created', async () => {
      const before = await feedItemCount();
      const none = await promo(undefined, 422);
      expect(none.body.code).toBe('ad_marking_required');
      expect(none.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'body.adMarking.erid',
        'body.adMarking.advertiserName',
        'body.adMarking.advertiserInn',
      ]);
      const noErid = await promo({ advertiserName: 'ООО «Ромашка»', advertiserInn: orgInn }, 422);
      expect([noErid.body.code, noErid.body.errors]).toEqual([
        'ad_marking_required',
        [{ field: 'body.adMarking.erid', message: expect.any(String) }],
      ]);
      const noName = await promo({ erid: '2VtzqwRkN7h', advertiserInn: orgInn }, 422);
      expect(noName.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.adMarking.advertiserName']);
      const noInnOrSite = await promo({ erid: '2VtzqwRkN7h', advertiserName: 'ООО «Ромашка»' }, 422);
      expect([noInnOrSite.body.code, noInnOrSite.body.errors[0].field]).toEqual(['ad_marking_required', 'body.adMarking.advertiserInn']);
      expect(await feedItemCount()).toBe(before);
    });

    it('when the INN fails its check digits or has the wrong length, then 422 invalid_inn', async () => {
      for (const inn of ['7707083894', '500312345615', '12345']) {
        const res = await promo({ ...romashka, advertiserInn: inn }, 422);
        expect([res.body.code, res.body.errors]).toEqual([
          'invalid_inn',
          [{ field: 'body.adMarking.advertiserInn', message: 'Not a valid INN' }],
        ]);
      }
    });

    it('when an erid has characters operators do not issue, then 422', async () => {
      expect((await promo({ ...romashka, erid: 'erid с пробелом' }, 422)).body.code).toBe('validation_failed');
      expect((await promo({ ...romashka, erid: '' }, 422)).body.code).toBe('validation_failed');
    });

    it('when a promo is marked with a good INN (10 or 12 digits) or a site, then it is accepted', async () => {
      expect((await promo(romashka)).body.adMarking).toEqual({ ...romashka, advertiserUrl: null });
      await promo({ erid: 'Kra23f4Qq', advertiserName: 'ИП Петров Пётр Петрович', advertiserInn: personInn });
      await promo({ erid: 'LjN8KAWJe', advertiserName: 'Ромашка', advertiserUrl: 'https://romashka.example' });
    });

    it('when the public feed shows a promo, then it has the «Реклама» marking and its link carries the erid', async () => {
      const res = await t.http().get('/v1/feed').expect(200);
      const item = res.body.items.find((i: { adMarking: { erid: string } | null }) => i.adMarking?.erid === '2VtzqwRkN7h');
      expect(item.adMarking).toEqual({
        label: 'Реклама',
        ...romashka,
        advertiserUrl: null,
        text: 'Реклама. ООО «Ромашка», ИНН 7707083893. erid: 2VtzqwRkN7h',
      });
      const link = new URL(item.url);
      expect([link.origin + link.pathname, link.searchParams.get('utm_source'), link.searchParams.get('erid')]).toEqual([
        'https://shop.example/tires',
        'news',
        '2VtzqwRkN7h',
      ]);
      const bySite = res.body.items.find((i: { adMarking: { erid: string } | null }) => i.adMarking?.erid === 'LjN8KAWJe');
      expect(bySite.adMarking.text).toBe('Реклама. Ромашка, https://romashka.example. erid: LjN8KAWJe');
      expect(new URL(bySite.url).searchParams.get('erid')).toBe('LjN8KAWJe');
      // The management side keeps the URL as the editor gave it.
      const admin = await t.http().get(`/v1/admin/feed-items/${item.id}`).set(editor.headers).expect(200);
      expect(admin.body.url).toBe('https://shop.example/tires?utm_source=news');
    });

    it('when a promo would lose its marking or a link item is given one, then 422 and nothing changes', async () => {
      const created = (await promo({ erid: 'Abc123', advertiserName: 'ООО «Лютик»', advertiserInn: orgInn })).body;
      const res = await t
        .http()
        .patch(`/v1/admin/feed-items/${created.id}`)
        .set(editor.headers)
        .set('If-Match', `"${created.version}"`)
        .send({ adMarking: null })
        .expect(422);
      expect(res.body.code).toBe('ad_marking_required');
      const bad = await t
        .http()
        .patch(`/v1/admin/feed-items/${created.id}`)
        .set(editor.headers)
        .set('If-Match', `"${created.version}"`)
        .send({ adMarking: { advertiserInn: '7707083894' } })
        .expect(422);
      expect(bad.body.code).toBe('invalid_inn');
      const link = await t
        .http()
        .post('/v1/admin/feed-items')
        .set(editor.headers)
        .send({ kind: 'link', headline: 'Партнёрская ссылка', url: 'https://partner.example', adMarking: romashka })
        .expect(422);
      expect(link.body.errors).toEqual([{ field: 'body.adMarking', message: 'Only a promo item carries an ad marking' }]);
      expect((await t.http().get(`/v1/admin/feed-items/${created.id}`).set(editor.headers).expect(200)).body.adMarking.erid).toBe('Abc123');
    });
  });

  describe('sponsored articles', () => {
    let sponsored: { id: string; slug: string };

    beforeAll(async () => {
      sponsored = await createDraft(t, {
        title: 'Как выбрать зимние шины: советы экспертов',
        isSponsored: true,
        lead: 'Партнёрский материал.',
      });
    });

    const publish = (status: number) =>
      t.http().post(`/v1/admin/articles/${sponsored.id}/publish`).set(editor.headers).set('If-Match', '*').expect(status);

    it('when a sponsored article without its marking is published, then 422 ad_marking_required and it stays a draft', async () => {
      const res = await publish(422);
      expect(res.body.code).toBe('ad_marking_required');
      expect((await t.http().get(`/v1/admin/articles/${sponsored.id}`).set(editor.headers).expect(200)).body.status).toBe('draft');
    });

    it('when its marking has a bad INN, then 422 invalid_inn even on a draft', async () => {
      const res = await t
        .http()
        .patch(`/v1/admin/articles/${sponsored.id}`)
        .set(editor.headers)
        .set('If-Match', '*')
        .send({ adMarking: { ...romashka, advertiserInn: '7707083890' } })
        .expect(422);
      expect(res.body.code).toBe('invalid_inn');
    });

    it('when it is marked and published, then the public article, its JSON-LD and the feed carry the marking', async () => {
      await t
        .http()
        .patch(`/v1/admin/articles/${sponsored.id}`)
        .set(editor.headers)
        .set('If-Match', '*')
        .send({ adMarking: romashka })
        .expect(200);
      await publish(200);
      const page = await t.http().get(`/v1/articles/${sponsored.slug}`).expect(200);
      expect(page.body.adMarking).toMatchObject({ label: 'Реклама', text: 'Реклама. ООО «Ромашка», ИНН 7707083893. erid: 2VtzqwRkN7h' });
      expect(JSON.parse(JSON.stringify(page.body.jsonLd)).sponsor).toEqual({ '@type': 'Organization', name: 'ООО «Ромашка»' });
      const list = await t.http().get('/v1/articles').expect(200);
      expect(list.body.items.find((a: { id: string }) => a.id === sponsored.id).adMarking.erid).toBe('2VtzqwRkN7h');
      const feed = await t.http().get('/v1/feed').expect(200);
      expect(feed.body.items.find((i: { article: { id: string } | null }) => i.article?.id === sponsored.id).adMarking.label).toBe(
        'Реклама',
      );
    });

    it('when a published sponsored article would lose its marking, then 422 ad_marking_required', async () => {
      const res = await t
        .http()
        .patch(`/v1/admin/articles/${sponsored.id}`)
        .set(editor.headers)
        .set('If-Match', '*')
        .send({ adMarking: null })
        .expect(422);
      expect(res.body.code).toBe('ad_marking_required');
    });

    it('when the feeds list a sponsored article, then RSS, Atom and JSON Feed mark it', async () => {
      const plain = await t.container.services.articles.publish((await createDraft(t, { title: 'Обычная новость' })).id, adminActor);
      const rss = allOf(parseXml((await getDocument(t, '/v1/feeds/rss.xml')).body).rss.channel.item);
      const rssItem = rss.find((i) => i.guid['#text'] === `urn:uuid:${sponsored.id}`);
      expect(allOf(rssItem.category)).toContain('Реклама');
      expect(rssItem['content:encoded']).toMatch(/^<p class="ad-marking">Реклама\. ООО «Ромашка», ИНН 7707083893\. erid: 2VtzqwRkN7h<\/p>/);
      expect(allOf(rss.find((i) => i.guid['#text'] === `urn:uuid:${plain.id}`).category)).not.toContain('Реклама');
      const atom = allOf(parseXml((await getDocument(t, '/v1/feeds/atom.xml')).body).feed.entry);
      const atomEntry = atom.find((e) => e.id === `urn:uuid:${sponsored.id}`);
      expect(allOf(atomEntry.category).map((c) => c['@_label'])).toContain('Реклама');
      const json = JSON.parse((await getDocument(t, '/v1/feeds/feed.json')).body);
      const jsonItem = json.items.find((i: { id: string }) => i.id === sponsored.id);
      expect(jsonItem.tags).toContain('Реклама');
      expect(jsonItem._ad_marking.text).toBe('Реклама. ООО «Ромашка», ИНН 7707083893. erid: 2VtzqwRkN7h');
    });
  });
});
