import { beforeAll, expect, it } from 'vitest';
import type { ArticleResponse } from '../../src/modules/articles/articles.schemas.ts';
import { adminActor, createDraft, createPublished } from '../articles/article-fixtures.ts';
import { parseXml, getDocument, allOf, rfc822Pattern } from '../syndication/syndication-helpers.ts';
import { cachingEnv, isFromStore } from '../caching/caching-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const base = 'https://news.example';
// Steps of minutes: the suite's access tokens were signed at 09:00 and last 15 minutes.

/** The page's JSON-LD as a page would embed it: serialised into a script element, then read back by a parser. */
function jsonLdOfPage(body: { jsonLd: unknown }): Record<string, unknown> {
  const html = `<script type="application/ld+json">${JSON.stringify(body.jsonLd).replaceAll('<', '\\u003c')}</script>`;
  const script = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  return JSON.parse(script) as Record<string, unknown>;
}

describeEachDialect('corrections and honest update times', (dialect) => {
  const { t, editor, anna, publisher, writer } = useTestApp(dialect, {
    roles: ['editor'],
    users: { anna: { role: 'author', displayName: 'Анна Смирнова' } },
    keys: { publisher: ['publish'], writer: ['write'] },
    env: {
      PUBLIC_BASE_URL: base,
      SITE_NAME: 'Городские вести',
      SITE_PUBLISHING_PRINCIPLES_URL: `${base}/principles`,
      SITE_CORRECTIONS_POLICY_URL: `${base}/corrections-policy`,
      SITE_MASTHEAD_URL: `${base}/masthead`,
      SITE_OWNERSHIP_FUNDING_URL: `${base}/ownership`,
    },
  });
  let article: ArticleResponse;

  beforeAll(async () => {
    t.clock.set('2026-11-20T09:00:00.000Z');
    article = await createPublished(t, { title: 'Расходы на дороги вырастут на 12%', lead: 'Дума приняла бюджет.' });
  });

  const page = () => t.http().get(`/v1/articles/${article.slug}`).expect(200);
  const correct = (body: object, headers = editor.headers, status = 201) =>
    t.http().post(`/v1/admin/articles/${article.id}/corrections`).set(headers).send(body).expect(status);

  it('when a published article is first read, then displayUpdatedAt is its publication time and it has no corrections', async () => {
    const res = await page();
    expect(res.body).toMatchObject({
      publishedAt: '2026-11-20T09:00:00.000Z',
      displayUpdatedAt: '2026-11-20T09:00:00.000Z',
      corrections: [],
    });
    expect(jsonLdOfPage(res.body)).toMatchObject({ dateModified: '2026-11-20T09:00:00.000Z' });
    expect(jsonLdOfPage(res.body).correction).toBeUndefined();
  });

  it('when the publisher has Trust Project pages configured, then the JSON-LD publisher names them', async () => {
    expect(jsonLdOfPage((await page()).body).publisher).toEqual({
      '@type': 'NewsMediaOrganization',
      name: 'Городские вести',
      url: `${base}/`,
      publishingPrinciples: `${base}/principles`,
      correctionsPolicy: `${base}/corrections-policy`,
      masthead: `${base}/masthead`,
      ownershipFundingInfo: `${base}/ownership`,
    });
  });

  it('when an editor fixes a typo, changes tags or a photo credit, then displayUpdatedAt and dateModified stay', async () => {
    t.clock.set('2026-11-20T09:02:00.000Z');
    const tag = await t.container.services.tags.create({ name: 'Дороги' });
    await t.container.services.articles.update(article.id, { lead: 'Дума приняла бюджет города.', tagIds: [tag.id] }, adminActor);
    const res = await page();
    expect(res.body.lead).toBe('Дума приняла бюджет города.');
    expect(res.body.updatedAt).toBe('2026-11-20T09:02:00.000Z');
    expect(res.body.displayUpdatedAt).toBe('2026-11-20T09:00:00.000Z');
    expect(jsonLdOfPage(res.body).dateModified).toBe('2026-11-20T09:00:00.000Z');
  });

  it('when an editor saves with substantiveUpdate, then displayUpdatedAt and dateModified move to that save', async () => {
    t.clock.set('2026-11-20T09:04:00.000Z');
    const etag = (await t.http().get(`/v1/admin/articles/${article.id}`).set(editor.headers).expect(200)).headers.etag!;
    const saved = await t
      .http()
      .patch(`/v1/admin/articles/${article.id}`)
      .set(editor.headers)
      .set('If-Match', etag)
      .send({ lead: 'Дума приняла бюджет: дороги получат больше.', substantiveUpdate: true })
      .expect(200);
    expect(saved.body.displayUpdatedAt).toBe('2026-11-20T09:04:00.000Z');
    const res = await page();
    expect(res.body.displayUpdatedAt).toBe('2026-11-20T09:04:00.000Z');
    expect(jsonLdOfPage(res.body)).toMatchObject({ datePublished: '2026-11-20T09:00:00.000Z', dateModified: '2026-11-20T09:04:00.000Z' });
  });

  it('when an editor publishes a correction, then the article shows it, moves displayUpdatedAt, and the JSON-LD has a CorrectionComment', async () => {
    t.clock.set('2026-11-20T09:06:00.000Z');
    const before = (await t.http().get(`/v1/admin/articles/${article.id}`).set(editor.headers).expect(200)).body as ArticleResponse;
    const res = await correct({ kind: 'correction', text: 'В первой версии рост расходов был указан неверно: 21% вместо 12%.' });
    expect(res.body).toMatchObject({
      id: article.id,
      version: before.version + 1,
      displayUpdatedAt: '2026-11-20T09:06:00.000Z',
      correction: { kind: 'correction', publishedAt: '2026-11-20T09:06:00.000Z' },
    });
    expect(res.headers.etag).toBe(`"${before.version + 1}"`);
    const read = await page();
    expect(read.body.displayUpdatedAt).toBe('2026-11-20T09:06:00.000Z');
    expect(read.body.corrections).toEqual([
      {
        id: res.body.correction.id,
        kind: 'correction',
        text: 'В первой версии рост расходов был указан неверно: 21% вместо 12%.',
        publishedAt: '2026-11-20T09:06:00.000Z',
      },
    ]);
    expect(jsonLdOfPage(read.body)).toMatchObject({
      dateModified: '2026-11-20T09:06:00.000Z',
      correction: [
        {
          '@type': 'CorrectionComment',
          text: 'В первой версии рост расходов был указан неверно: 21% вместо 12%.',
          datePublished: '2026-11-20T09:06:00.000Z',
        },
      ],
    });
  });

  it('when a correction is added, then the audit log and the webhook outbox record article.corrected', async () => {
    const audit = await t
      .http()
      .get('/v1/admin/audit')
      .query({ action: 'article.correct' })
      .set((await t.signIn('admin')).headers)
      .expect(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'article.correct', targetType: 'article', targetId: article.id });
    const event = await t.container.db.prisma.webhookEvent.findFirst({ where: { type: 'article.corrected', entityId: article.id } });
    expect(event?.data).toMatchObject({ id: article.id, kind: 'correction', correctionId: expect.any(String) });
  });

  it('when corrections pile up, then the page lists them oldest first; a wrong one is corrected by another', async () => {
    t.clock.set('2026-11-20T09:08:00.000Z');
    await correct({ kind: 'clarification', text: 'Уточнение: речь идёт о ремонте, а не о строительстве новых дорог.' });
    t.clock.set('2026-11-20T09:10:00.000Z');
    await correct({ kind: 'update', text: 'Обновлено: мэрия опубликовала список улиц, которые отремонтируют первыми.' }, publisher.headers);
    const res = await page();
    expect(res.body.corrections.map((c: { kind: string }) => c.kind)).toEqual(['correction', 'clarification', 'update']);
    expect(res.body.displayUpdatedAt).toBe('2026-11-20T09:10:00.000Z');
  });

  it('when a correction is changed or deleted, then 405 with Allow, and nothing changes', async () => {
    const [first] = (await page()).body.corrections;
    const item = `/v1/admin/articles/${article.id}/corrections/${first.id}`;
    for (const method of ['patch', 'put', 'delete'] as const) {
      const res = await t.http()[method](item).set(editor.headers).send({ text: 'Другое' });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET');
      expect(res.type).toBe('application/problem+json');
      expect(res.body.code).toBe('method_not_allowed');
    }
    const list = await t.http().delete(`/v1/admin/articles/${article.id}/corrections`).set(editor.headers).expect(405);
    expect(list.headers.allow).toBe('GET, POST');
    expect((await t.http().get(item).set(editor.headers).expect(200)).body).toEqual(first);
    expect((await page()).body.corrections).toHaveLength(3);
  });

  it('when an author or a write key adds a correction, then 403; a draft takes none (409); bad input is 422', async () => {
    await correct({ kind: 'correction', text: 'Текст' }, anna.headers, 403);
    await correct({ kind: 'correction', text: 'Текст' }, writer.headers, 403);
    await correct({ kind: 'retraction', text: 'Текст' }, editor.headers, 422);
    await correct({ kind: 'correction', text: '' }, editor.headers, 422);
    const draft = await createDraft(t, { title: 'Черновик о мостах' });
    const res = await t
      .http()
      .post(`/v1/admin/articles/${draft.id}/corrections`)
      .set(editor.headers)
      .send({ kind: 'correction', text: 'Текст' })
      .expect(409);
    expect(res.body.code).toBe('article_not_published');
    expect((await page()).body.corrections).toHaveLength(3);
  });

  it('when the corrections log is read, then it is newest first, cursor-paged, with each article slug and title', async () => {
    const first = await t.http().get('/v1/corrections').query({ limit: 2 }).expect(200);
    expect(first.body.items.map((c: { kind: string }) => c.kind)).toEqual(['update', 'clarification']);
    expect(first.body.items[0].article).toEqual({ id: article.id, slug: article.slug, title: article.title });
    const second = await t.http().get('/v1/corrections').query({ limit: 2, cursor: first.body.nextCursor }).expect(200);
    expect(second.body.items.map((c: { kind: string }) => c.kind)).toEqual(['correction']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('when the corrections feed is read, then it is RSS 2.0 with one item per correction linking its article', async () => {
    const res = await getDocument(t, '/v1/feeds/corrections.xml');
    expect(res.headers['content-type']).toMatch(/^application\/rss\+xml/);
    const channel = parseXml(res.body).rss.channel;
    expect(parseXml(res.body).rss['@_version']).toBe('2.0');
    const items = allOf(channel.item);
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({
      title: `Обновление: ${article.title}`,
      link: `${base}/articles/${article.slug}`,
      description: 'Обновлено: мэрия опубликовала список улиц, которые отремонтируют первыми.',
    });
    expect(items[0].pubDate).toMatch(rfc822Pattern);
    expect(allOf(items[2].category)).toEqual(['correction']);
  });

  it('when the article is taken down, then its corrections leave the public log and feed', async () => {
    const other = await createPublished(t, { title: 'Трамвай пустят по новому мосту' });
    await t.container.services.articles.addCorrection(other.id, { kind: 'clarification', text: 'Уточнили дату запуска.' }, adminActor);
    await t.container.services.articles.unpublish(article.id, adminActor);
    const log = await t.http().get('/v1/corrections').expect(200);
    expect(log.body.items.map((c: { article: { id: string } }) => c.article.id)).toEqual([other.id]);
    expect(allOf(parseXml((await getDocument(t, '/v1/feeds/corrections.xml')).body).rss.channel.item)).toHaveLength(1);
  });
});

describeEachDialect('corrections and the public cache', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'], env: cachingEnv });

  it('when a correction is published, then the stored article page, the log and its feed show it at once', async () => {
    const article = await createPublished(t, { title: 'Мост через реку откроют в декабре' });
    const urls = [`/v1/articles/${article.slug}`, '/v1/corrections', '/v1/feeds/corrections.xml'];
    for (const url of urls) {
      await t.http().get(url).expect(200);
      expect(isFromStore(await t.http().get(url).expect(200)), url).toBe(true);
    }
    await t
      .http()
      .post(`/v1/admin/articles/${article.id}/corrections`)
      .set(editor.headers)
      .send({ kind: 'update', text: 'Мэрия перенесла открытие моста на январь.' })
      .expect(201);
    const page = await t.http().get(urls[0]!).expect(200);
    expect([isFromStore(page), page.body.corrections.length]).toEqual([false, 1]);
    const log = await t.http().get(urls[1]!).expect(200);
    expect([isFromStore(log), log.body.items[0].text]).toEqual([false, 'Мэрия перенесла открытие моста на январь.']);
    expect(isFromStore(await t.http().get(urls[2]!).expect(200))).toBe(false);
  });
});
