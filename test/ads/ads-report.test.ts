import { beforeAll, expect, it } from 'vitest';
import { adminActor, createDraft } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { csvRecords } from './csv.ts';

const base = 'https://news.example';
const marking = (erid: string, advertiserName = 'ООО «Ромашка»') => ({ erid, advertiserName, advertiserInn: '7707083893' });

describeEachDialect('the ads report', (dialect) => {
  const { t, adminKey } = useTestApp(dialect, {
    keys: { adminKey: ['admin'] },
    env: { PUBLIC_BASE_URL: base },
  });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const feed = t.container.services.feed;
    const articles = t.container.services.articles;
    t.clock.set('2026-11-20T09:00:00.000Z');
    const tires = await feed.create({
      kind: 'promo',
      headline: 'Скидки на зимние шины',
      url: 'https://shop.example/tires',
      visibleUntil: '2026-11-20T09:30:00.000Z',
      adMarking: marking('TiresA1'),
    });
    ids.tires = tires.id;
    t.clock.set('2026-11-20T09:05:00.000Z');
    await feed.update(tires.id, { adMarking: { erid: 'TiresA2' } });
    t.clock.set('2026-11-20T09:10:00.000Z');
    const sponsored = await createDraft(t, {
      title: 'Как выбрать зимние шины',
      isSponsored: true,
      adMarking: marking('Guide1', 'ИП Петров'),
    });
    ids.sponsored = sponsored.id;
    ids.sponsoredSlug = sponsored.slug;
    await articles.publish(sponsored.id, adminActor);
    t.clock.set('2026-11-20T09:20:00.000Z');
    await articles.unpublish(sponsored.id, adminActor);
    t.clock.set('2026-11-20T09:25:00.000Z');
    // Deleted before its window opened: it was never public, so it is not reported.
    const never = await feed.create({
      kind: 'promo',
      headline: 'Распродажа к Новому году',
      url: 'https://shop.example/sale',
      visibleFrom: '2026-11-20T11:00:00.000Z',
      adMarking: marking('NeverShown'),
    });
    await feed.delete(never.id);
    t.clock.set('2026-11-20T09:40:00.000Z');
    const coffee = await feed.create({
      kind: 'promo',
      headline: 'Кофе со скидкой',
      url: 'https://coffee.example/?city=msk',
      adMarking: { erid: 'Coffee1', advertiserName: 'Кофейня', advertiserUrl: 'https://coffee.example' },
    });
    ids.coffee = coffee.id;
    t.clock.set('2026-11-20T09:45:00.000Z');
  });

  const report = (from: string, to: string, accept?: string) => {
    const req = t.http().get('/v1/admin/ads').query({ from, to }).set(adminKey.headers);
    return accept ? req.set('Accept', accept) : req;
  };

  it('when an admin asks for a period, then every marked ad public in it comes, one line per erid, with its first and last public time', async () => {
    const res = await report('2026-11-20T09:00:00.000Z', '2026-11-20T10:00:00.000Z').expect(200);
    expect(res.body.items).toEqual([
      {
        erid: 'TiresA1',
        advertiserName: 'ООО «Ромашка»',
        advertiserInn: '7707083893',
        advertiserUrl: null,
        subjectType: 'feed_item',
        subjectId: ids.tires,
        title: 'Скидки на зимние шины',
        url: 'https://shop.example/tires?erid=TiresA1',
        adminUrl: `/v1/admin/feed-items/${ids.tires}`,
        firstPublicAt: '2026-11-20T09:00:00.000Z',
        lastPublicAt: '2026-11-20T09:05:00.000Z',
        isPublicNow: false,
      },
      expect.objectContaining({
        erid: 'TiresA2',
        url: 'https://shop.example/tires?erid=TiresA2',
        firstPublicAt: '2026-11-20T09:05:00.000Z',
        lastPublicAt: '2026-11-20T09:30:00.000Z',
        isPublicNow: false,
      }),
      {
        erid: 'Guide1',
        advertiserName: 'ИП Петров',
        advertiserInn: '7707083893',
        advertiserUrl: null,
        subjectType: 'article',
        subjectId: ids.sponsored,
        title: 'Как выбрать зимние шины',
        url: `${base}/articles/${ids.sponsoredSlug}`,
        adminUrl: `/v1/admin/articles/${ids.sponsored}`,
        firstPublicAt: '2026-11-20T09:10:00.000Z',
        lastPublicAt: '2026-11-20T09:20:00.000Z',
        isPublicNow: false,
      },
      expect.objectContaining({
        erid: 'Coffee1',
        advertiserUrl: 'https://coffee.example',
        url: 'https://coffee.example/?city=msk&erid=Coffee1',
        firstPublicAt: '2026-11-20T09:40:00.000Z',
        lastPublicAt: '2026-11-20T09:45:00.000Z',
        isPublicNow: true,
      }),
    ]);
  });

  it('when the period is narrower, then only the ads public in it come', async () => {
    const res = await report('2026-11-20T09:21:00.000Z', '2026-11-20T09:29:00.000Z').expect(200);
    expect(res.body.items.map((i: { erid: string }) => i.erid)).toEqual(['TiresA2']);
    expect((await report('2026-11-19T00:00:00.000Z', '2026-11-19T23:59:59.000Z').expect(200)).body.items).toEqual([]);
  });

  it('when the report is asked for as CSV, then it parses to the same lines', async () => {
    const json = await report('2026-11-20T09:00:00.000Z', '2026-11-20T10:00:00.000Z').expect(200);
    const csv = await report('2026-11-20T09:00:00.000Z', '2026-11-20T10:00:00.000Z', 'text/csv').buffer(true).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const records = csvRecords(csv.text);
    expect(records).toHaveLength(json.body.items.length);
    expect(records.map((r) => [r.erid, r.advertiserName, r.advertiserInn, r.subjectType, r.url, r.firstPublicAt, r.lastPublicAt])).toEqual(
      json.body.items.map((i: Record<string, string | null>) => [
        i.erid,
        i.advertiserName,
        i.advertiserInn ?? '',
        i.subjectType,
        i.url,
        i.firstPublicAt,
        i.lastPublicAt,
      ]),
    );
    // «ООО «Ромашка»» has no comma, but the header names every column.
    expect(Object.keys(records[0]!)).toEqual([
      'erid',
      'advertiserName',
      'advertiserInn',
      'advertiserUrl',
      'subjectType',
      'subjectId',
      'title',
      'url',
      'firstPublicAt',
      'lastPublicAt',
      'isPublicNow',
    ]);
  });

  it("when a promo's window is closed after the fact, then its time in public ends where the window did", async () => {
    t.clock.set('2026-11-20T09:50:00.000Z');
    await t.container.services.feed.update(ids.coffee!, { visibleUntil: '2026-11-20T09:47:00.000Z' });
    const res = await report('2026-11-20T09:00:00.000Z', '2026-11-20T10:00:00.000Z').expect(200);
    expect(res.body.items.find((i: { erid: string }) => i.erid === 'Coffee1')).toMatchObject({
      firstPublicAt: '2026-11-20T09:40:00.000Z',
      lastPublicAt: '2026-11-20T09:47:00.000Z',
      isPublicNow: false,
    });
  });

  it('when an editor asks, then 403; a period ending before it starts is 422', async () => {
    const editor = await t.signIn('editor');
    const period = { from: '2026-11-20T09:00:00.000Z', to: '2026-11-20T10:00:00.000Z' };
    await t.http().get('/v1/admin/ads').query(period).set(editor.headers).expect(403);
    expect((await report('2026-11-20T10:00:00.000Z', '2026-11-20T09:00:00.000Z').expect(422)).body.code).toBe('validation_failed');
  });
});
