import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createIncomingImporter } from '../../src/modules/interchange/interchange.incoming.ts';
import { createPhotoFetcher } from '../../src/modules/interchange/interchange.photos.ts';
import type { Actor } from '../../src/shared/actor.ts';
import { collectNotedPurges } from '../../src/shared/cache-keys.ts';
import type { IncomingArticle } from '../../src/shared/incoming-article.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

/** A wire item as a feed parser makes it; each test names its own id. */
function wireItem(externalId: string, fields: Partial<IncomingArticle> = {}): IncomingArticle {
  return {
    origin: 'wire',
    source: 'tass',
    externalId,
    externalVersion: '1',
    versionCreatedAt: null,
    status: 'usable',
    embargoUntil: null,
    title: 'Речной трамвай вышел на новый маршрут',
    lead: 'С понедельника трамвай ходит от вокзала до парка.',
    body: [{ type: 'paragraph', text: 'Первый рейс ушёл в семь утра, на борту было сорок пассажиров.' }],
    rubric: { slug: 'transport', name: 'Транспорт', parent: { slug: 'city', name: 'Город' } },
    tags: [{ name: 'Речной транспорт' }],
    authors: [{ displayName: 'Марина Ветрова', email: 'm.vetrova@agency.example' }],
    cover: null,
    publishedAt: null,
    ...fields,
  };
}

describeEachDialect('importing foreign articles', (dialect) => {
  const { t, admin, editor, writer, publisher } = useTestApp(dialect, {
    roles: ['admin', 'editor'],
    keys: { writer: ['write'], publisher: ['write', 'publish'] },
    env: { WIRE_ALLOW_PRIVATE: 'true' },
    mediaDir: true,
  });
  const asAdmin = (): Actor => ({ type: 'user', userId: admin.user.id, role: 'admin' });
  const importer = () => t.container.services.interchange;
  const articles = () => t.container.services.articles;

  // A photo agency the test runs: counts the requests for each path.
  let photoServer: Server;
  let photoBase = '';
  const hits = new Map<string, number>();
  beforeAll(async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 20, g: 90, b: 160 } } })
      .png()
      .toBuffer();
    photoServer = createServer((req, res) => {
      hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
      if (req.url === '/moved.png') {
        res.writeHead(302, { location: '/photo.png' }).end();
      } else if (req.url === '/photo.png') {
        res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => photoServer.listen(0, '127.0.0.1', resolve));
    photoBase = `http://127.0.0.1:${(photoServer.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => photoServer.close(() => resolve())));

  it('makes a new item a draft in the incoming desk, with its rubric, tags and a disabled author account', async () => {
    const result = await importer().importIncoming(wireItem('tass:1001'), asAdmin());
    expect(result).toMatchObject({ status: 'created', type: 'article', warnings: [] });
    const article = await articles().get(result.id!, asAdmin());
    expect(article).toMatchObject({
      status: 'draft',
      origin: 'wire',
      source: 'tass',
      externalId: 'tass:1001',
      externalVersion: '1',
      title: 'Речной трамвай вышел на новый маршрут',
    });
    const rubric = await t.container.services.rubrics.get(article.rubricId!);
    expect(rubric.slug).toBe('transport');
    const parent = await t.container.services.rubrics.get(rubric.parentId!);
    expect(parent.slug).toBe('city');
    const tag = await t.container.services.tags.get(article.tagIds[0]!);
    expect(tag).toMatchObject({ name: 'Речной транспорт', slug: 'rechnoy-transport' });
    const author = await t.container.services.users.get(article.authorIds[0]!);
    expect(author).toMatchObject({ role: 'author', isActive: false, displayName: 'Марина Ветрова', email: 'm.vetrova@agency.example' });
    // The account cannot sign in: it has no password at all.
    const login = await t.http().post('/v1/auth/login').send({ email: 'm.vetrova@agency.example', password: 'any-password-at-all' });
    expect(login.status).toBe(401);

    // The same author, tag and rubric in the next item are the same records.
    const next = await importer().importIncoming(wireItem('tass:1002', { title: 'Второй рейс' }), asAdmin());
    const second = await articles().get(next.id!, asAdmin());
    expect([second.rubricId, second.tagIds, second.authorIds]).toEqual([article.rubricId, article.tagIds, article.authorIds]);
  });

  it('writes nothing for the same version again, updates the draft for a newer one and skips an older one', async () => {
    const first = await importer().importIncoming(wireItem('tass:2001'), asAdmin());
    const before = await articles().get(first.id!, asAdmin());
    t.clock.advance(60_000);

    const { result: again, noted } = await collectNotedPurges(() => importer().importIncoming(wireItem('tass:2001'), asAdmin()));
    expect(again).toMatchObject({ status: 'unchanged', id: first.id });
    expect(noted ?? []).toEqual([]);
    const unchanged = await articles().get(first.id!, asAdmin());
    expect([unchanged.version, unchanged.updatedAt]).toEqual([before.version, before.updatedAt]);

    const newer = await importer().importIncoming(
      wireItem('tass:2001', { externalVersion: '2', title: 'Речной трамвай: второй маршрут' }),
      asAdmin(),
    );
    expect(newer).toMatchObject({ status: 'updated', id: first.id, warnings: [] });
    const updated = await articles().get(first.id!, asAdmin());
    expect(updated).toMatchObject({ status: 'draft', title: 'Речной трамвай: второй маршрут', externalVersion: '2' });
    expect(updated.version).toBe(before.version + 1);

    const older = await importer().importIncoming(wireItem('tass:2001', { externalVersion: '1', title: 'Старое' }), asAdmin());
    expect(older.status).toBe('skipped');
    expect((await articles().get(first.id!, asAdmin())).title).toBe('Речной трамвай: второй маршрут');
  });

  it('compares versions that are not numbers by the time they were made, and items with neither by their content', async () => {
    const at = (iso: string) => ({ externalVersion: 'rev-a', versionCreatedAt: new Date(iso) });
    const first = await importer().importIncoming(wireItem('tass:2101', at('2026-11-20T08:00:00Z')), asAdmin());
    expect(first.status).toBe('created');
    expect((await importer().importIncoming(wireItem('tass:2101', at('2026-11-20T07:00:00Z')), asAdmin())).status).toBe('skipped');
    expect((await importer().importIncoming(wireItem('tass:2101', at('2026-11-20T09:00:00Z')), asAdmin())).status).toBe('updated');

    const unversioned = { externalVersion: null, versionCreatedAt: null };
    expect((await importer().importIncoming(wireItem('tass:2102', unversioned), asAdmin())).status).toBe('created');
    expect((await importer().importIncoming(wireItem('tass:2102', unversioned), asAdmin())).status).toBe('unchanged');
    const changed = wireItem('tass:2102', { ...unversioned, title: 'Исправленный заголовок' });
    expect((await importer().importIncoming(changed, asAdmin())).status).toBe('updated');
  });

  it('keeps the editor’s text when the agency sends a new version after an edit: the new version is a revision to diff and restore', async () => {
    const { id } = await importer().importIncoming(wireItem('tass:3001'), asAdmin());
    const current = await articles().get(id!, asAdmin());
    const edit = await t
      .http()
      .patch(`/v1/admin/articles/${id}`)
      .set(editor.headers)
      .set('If-Match', `"${current.version}"`)
      .send({ title: 'Трамвай по реке: как работает новый маршрут' });
    expect(edit.status).toBe(200);

    const result = await importer().importIncoming(
      wireItem('tass:3001', {
        externalVersion: '2',
        title: 'Речной трамвай продлил маршрут',
        body: [{ type: 'paragraph', text: 'Маршрут продлили до пристани у моста.' }],
      }),
      asAdmin(),
    );
    expect(result.status).toBe('updated');
    expect(result.warnings).toEqual([expect.stringMatching(/^kept as revision \d+: edited since the last import$/)]);
    const kept = await articles().get(id!, asAdmin());
    expect(kept).toMatchObject({ title: 'Трамвай по реке: как работает новый маршрут', externalVersion: '2' });

    const revisions = await t.http().get(`/v1/admin/articles/${id}/revisions`).set(editor.headers);
    expect(revisions.status).toBe(200);
    const [agency, editors] = revisions.body.items as { id: string; number: number; actor: string }[];
    expect(agency).toMatchObject({ actor: 'source:tass', number: kept.version });
    expect(editors!.actor).toBe(`user:${editor.user.id}`);

    const diff = await t.http().get(`/v1/admin/articles/${id}/revisions/${editors!.id}/diff`).set(editor.headers);
    expect(diff.status).toBe(200);
    expect(diff.body.fields).toContainEqual({
      field: 'title',
      from: 'Трамвай по реке: как работает новый маршрут',
      to: 'Речной трамвай продлил маршрут',
    });
    expect(diff.body.blocks).toHaveLength(1);

    // A newer version still goes to a revision: the editor has not taken the last one.
    const third = await importer().importIncoming(wireItem('tass:3001', { externalVersion: '3', title: 'Третья версия' }), asAdmin());
    expect(third.warnings?.[0]).toMatch(/^kept as revision/);

    const restore = await t
      .http()
      .post(`/v1/admin/articles/${id}/revisions/${agency!.id}/restore`)
      .set(editor.headers)
      .set('If-Match', `"${(await articles().get(id!, asAdmin())).version}"`);
    expect(restore.status).toBe(200);
    expect(restore.body).toMatchObject({
      title: 'Речной трамвай продлил маршрут',
      body: [{ text: 'Маршрут продлили до пристани у моста.' }],
    });
  });

  it('takes publishing the draft as it came for no edit: the next version updates the public text; one in the trash is left alone', async () => {
    const { id } = await importer().importIncoming(wireItem('tass:3101'), asAdmin());
    const publish = await t.http().post(`/v1/admin/articles/${id}/publish`).set(editor.headers).set('If-Match', '"1"').send({});
    expect(publish.status).toBe(200);
    const result = await importer().importIncoming(
      wireItem('tass:3101', { externalVersion: '2', title: 'Уточнённый заголовок' }),
      asAdmin(),
    );
    expect(result).toMatchObject({ status: 'updated', warnings: [] });
    const article = await articles().get(id!, asAdmin());
    expect(article).toMatchObject({ status: 'published', title: 'Уточнённый заголовок' });
    expect((await t.http().get(`/v1/articles/${article.slug}`)).body.title).toBe('Уточнённый заголовок');

    await articles().delete(id!, asAdmin());
    const trashed = await importer().importIncoming(wireItem('tass:3101', { externalVersion: '3', title: 'Из корзины' }), asAdmin());
    expect(trashed).toMatchObject({ status: 'skipped', warnings: ['the article is in the trash'] });
    expect((await articles().get(id!, asAdmin())).title).toBe('Уточнённый заголовок');
  });

  it('publishes with the publish option and the right to publish, keeping the item’s time, and a kill notice takes it down', async () => {
    const publisherActor = async (): Promise<Actor> => ({ type: 'apiKey', apiKeyId: publisher.id, scopes: ['write', 'publish'] });
    const writerActor: Actor = { type: 'apiKey', apiKeyId: writer.id, scopes: ['write'] };

    const refused = await importer().importIncoming(wireItem('tass:4001'), writerActor, { publish: true });
    expect(refused).toMatchObject({ status: 'error', error: { code: 'forbidden' } });
    expect(await articles().findOriginVersion('tass', 'tass:4001')).toBeNull();

    const publishedAt = new Date('2026-11-20T08:30:00.000Z');
    const result = await importer().importIncoming(wireItem('tass:4001', { publishedAt }), await publisherActor(), { publish: true });
    expect(result.status).toBe('created');
    const article = await articles().get(result.id!, asAdmin());
    expect(article).toMatchObject({ status: 'published', publishedAt: publishedAt.toISOString() });
    expect((await t.http().get(`/v1/articles/${article.slug}`)).status).toBe(200);

    // A correction of a published item that nobody edited goes straight to the public text, and purges its answers.
    const { result: corrected, noted } = await collectNotedPurges(() =>
      importer().importIncoming(wireItem('tass:4001', { externalVersion: '2', title: 'Исправлено: трамвай' }), asAdmin()),
    );
    expect(corrected).toMatchObject({ status: 'updated', warnings: [] });
    expect(noted).toContain(`article:${article.id}`);
    expect((await articles().get(article.id, asAdmin())).status).toBe('published');
    expect((await t.http().get(`/v1/articles/${article.slug}`)).body.title).toBe('Исправлено: трамвай');

    const killed = await importer().importIncoming(wireItem('tass:4001', { externalVersion: '3', status: 'canceled' }), asAdmin());
    expect(killed).toMatchObject({ status: 'updated', id: article.id });
    expect(await articles().get(article.id, asAdmin())).toMatchObject({ status: 'draft', externalVersion: '3' });
    expect((await t.http().get(`/v1/articles/${article.slug}`)).status).toBe(404);

    // A kill notice for an item never seen has nothing to take down.
    expect(await importer().importIncoming(wireItem('tass:4002', { status: 'canceled' }), asAdmin())).toMatchObject({
      status: 'skipped',
      id: null,
    });
    expect(await articles().findOriginVersion('tass', 'tass:4002')).toBeNull();
  });

  it('keeps a withheld item out of public, and holds an embargoed one until its time', async () => {
    const withheld = await importer().importIncoming(wireItem('tass:5001', { status: 'withheld' }), asAdmin(), { publish: true });
    expect((await articles().get(withheld.id!, asAdmin())).status).toBe('draft');

    const published = await importer().importIncoming(wireItem('tass:5002'), asAdmin(), { publish: true });
    expect((await articles().get(published.id!, asAdmin())).status).toBe('published');
    const held = await importer().importIncoming(wireItem('tass:5002', { externalVersion: '2', status: 'withheld' }), asAdmin());
    expect(held.status).toBe('updated');
    expect((await articles().get(published.id!, asAdmin())).status).toBe('draft');

    const embargoUntil = new Date(t.clock.now().getTime() + 3_600_000);
    const draft = await importer().importIncoming(wireItem('tass:5003', { status: 'embargoed', embargoUntil }), asAdmin());
    expect(await articles().get(draft.id!, asAdmin())).toMatchObject({ status: 'draft', embargoUntil: embargoUntil.toISOString() });

    const embargoed = await importer().importIncoming(wireItem('tass:5004', { status: 'embargoed', embargoUntil }), asAdmin(), {
      publish: true,
    });
    const article = await articles().get(embargoed.id!, asAdmin());
    expect(article).toMatchObject({ status: 'published', embargoUntil: embargoUntil.toISOString() });
    expect((await t.http().get(`/v1/articles/${article.slug}`)).status).toBe(404);

    const noTime = await importer().importIncoming(wireItem('tass:5005', { status: 'embargoed' }), asAdmin());
    expect(noTime).toMatchObject({ status: 'error', error: { code: 'validation_failed' } });
  });

  it('answers a bad item with an error and writes nothing for it', async () => {
    const result = await importer().importIncoming(
      wireItem('tass:6001', { title: '   ', rubric: { slug: 'never-made', name: 'Нет' } }),
      asAdmin(),
    );
    expect(result).toMatchObject({ status: 'error', id: null, error: { code: 'validation_failed' } });
    expect(await articles().findOriginVersion('tass', 'tass:6001')).toBeNull();
    expect(await t.container.services.rubrics.findActiveIdBySlug('never-made')).toBeNull();

    const badBlock = wireItem('tass:6002', { body: [{ type: 'heading', text: 'Заголовок', level: 5 as 2 }] });
    expect((await importer().importIncoming(badBlock, asAdmin())).status).toBe('error');
    expect(await articles().findOriginVersion('tass', 'tass:6002')).toBeNull();
  });

  it('stores one article when two instances import the same new item at once', async () => {
    // PostgreSQL: a second instance. Two SQLite connections in one process would wait on each other's write lock
    // synchronously (better-sqlite3), so there the same instance's concurrent calls race instead.
    const other = dialect === 'postgresql' ? t.startInstance().container.services.interchange : importer();
    const item = wireItem('tass:7001', { tags: [{ name: 'Параллельный тег' }], authors: [{ displayName: 'Пётр Параллельный' }] });
    const results = await Promise.all([
      importer().importIncoming(item, asAdmin()),
      other.importIncoming(item, asAdmin()),
      importer().importIncoming(item, asAdmin()),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['created', 'unchanged', 'unchanged']);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);

    // The articles service alone: both look the item up before either stores it, and the unique (source, externalId)
    // turns the second create into a look again.
    const resolved = {
      origin: 'wire' as const,
      source: 'tass',
      externalId: 'tass:7002',
      externalVersion: '1',
      status: 'usable' as const,
      embargoUntil: null,
      title: 'Одна заметка на двоих',
      lead: null,
      body: [{ type: 'paragraph' as const, text: 'Текст.' }],
      rubricId: null,
      tagIds: [],
      authorIds: [],
      coverMediaId: null,
      publishedAt: null,
    };
    const direct = await Promise.all([articles().upsertFromOrigin(resolved, asAdmin()), articles().upsertFromOrigin(resolved, asAdmin())]);
    expect(direct.map((r) => r.status).sort()).toEqual(['created', 'unchanged']);
    expect(direct[0]!.id).toBe(direct[1]!.id);
    const page = await articles().list({ limit: 100, inTrash: false, origin: 'wire' }, asAdmin());
    expect(page.items.filter((a) => a.externalId === 'tass:7001')).toHaveLength(1);
  });

  it('fetches photos once by address through redirects, with their credit, and leaves out one it may not fetch', async () => {
    const photo = { url: `${photoBase}/moved.png`, caption: 'Трамвай у пристани', credit: 'ТАСС/Фотограф' };
    const result = await importer().importIncoming(
      wireItem('tass:8001', {
        cover: photo,
        body: [
          { type: 'paragraph', text: 'Текст заметки.' },
          { type: 'image', photo },
          { type: 'image', photo: { url: `${photoBase}/missing.png` } },
        ],
      }),
      asAdmin(),
    );
    expect(result.status).toBe('created');
    expect(result.warnings).toEqual([expect.stringMatching(/missing\.png left out: answered 404/)]);
    const article = await articles().get(result.id!, asAdmin());
    expect(article.body).toEqual([
      { type: 'paragraph', text: 'Текст заметки.' },
      { type: 'image', mediaId: article.coverMediaId, caption: 'Трамвай у пристани' },
    ]);
    const media = await t.container.services.media.get(article.coverMediaId!);
    expect(media).toMatchObject({ kind: 'image', credit: 'ТАСС/Фотограф', source: 'tass' });
    expect(hits.get('/moved.png')).toBe(1);

    // Another item with the same photo: found by its address, not fetched again.
    const again = await importer().importIncoming(wireItem('tass:8002', { cover: photo }), asAdmin());
    expect((await articles().get(again.id!, asAdmin())).coverMediaId).toBe(article.coverMediaId);
    expect(hits.get('/moved.png')).toBe(1);

    // Without WIRE_ALLOW_PRIVATE, a photo on this machine is refused; the article comes in without it.
    const guarded = createIncomingImporter({
      articles: articles(),
      rubrics: t.container.services.rubrics,
      tags: t.container.services.tags,
      users: t.container.services.users,
      photos: createPhotoFetcher({
        media: t.container.services.media,
        settings: { allowPrivate: false, timeoutMs: 5000, maxBytes: t.container.config.mediaMaxBytes },
      }),
    });
    const refused = await guarded.importIncoming(wireItem('tass:8003', { cover: { url: `${photoBase}/photo.png?x=1` } }), asAdmin());
    expect(refused.status).toBe('created');
    expect(refused.warnings).toEqual([expect.stringMatching(/left out: 127\.0\.0\.1 is a private, loopback or link-local address/)]);
    expect((await articles().get(refused.id!, asAdmin())).coverMediaId).toBeNull();
    expect(hits.get('/photo.png?x=1')).toBeUndefined();
  });

  it('lists the incoming desk: wire drafts only, newest first, with where they came from', async () => {
    await importer().importIncoming(wireItem('tass:9001', { title: 'Первая заметка ленты' }), asAdmin());
    t.clock.advance(1000);
    await importer().importIncoming(wireItem('tass:9002', { title: 'Вторая заметка ленты' }), asAdmin());
    t.clock.advance(1000);
    const own = await t
      .http()
      .post('/v1/admin/articles')
      .set(editor.headers)
      .send({
        title: 'Своя заметка',
        body: [{ type: 'paragraph', text: 'Написано в редакции.' }],
      });
    expect(own.status).toBe(201);

    const desk = await t.http().get('/v1/admin/articles?origin=wire&status=draft&limit=100').set(editor.headers);
    expect(desk.status).toBe(200);
    const items = desk.body.items as { title: string; origin: string; status: string; source: string }[];
    expect(items.every((a) => a.origin === 'wire' && a.status === 'draft' && a.source === 'tass')).toBe(true);
    expect(items.map((a) => a.title).slice(0, 2)).toEqual(['Вторая заметка ленты', 'Первая заметка ленты']);
    expect(items.some((a) => a.title === 'Своя заметка')).toBe(false);
    expect(own.body).toMatchObject({ origin: null, source: null, externalId: null, externalVersion: null });

    const invalid = await t.http().get('/v1/admin/articles?origin=fax').set(editor.headers);
    expect(invalid.status).toBe(400);
  });
});
