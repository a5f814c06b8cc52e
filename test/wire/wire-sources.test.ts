import { afterEach, describe, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const secretPassword = 'agency-password-7f3c91';

describeEachDialect('wire sources', (dialect) => {
  const logLines: string[] = [];
  const { t, admin, editor } = useTestApp(dialect, {
    roles: ['admin', 'editor'],
    env: { WIRE_ALLOW_PRIVATE: 'false' },
    logStream: { write: (line: string) => void logLines.push(line) },
  });
  const auth = () => ({ Authorization: `Bearer ${t.container.tokens.sign(admin.user.id, admin.sessionId)}` });

  afterEach(async () => {
    await t.container.db.prisma.wireSource.deleteMany();
  });

  async function create(body: Record<string, unknown>) {
    const res = await t
      .http()
      .post('/v1/admin/wire-sources')
      .set(auth())
      .send({ name: 'Агентство', url: 'https://93.184.215.14/feed.xml', format: 'rss', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as Record<string, unknown> & { id: string; version: number };
  }

  it('when an admin adds a source with credentials, then no answer, audit entry or log line shows them', async () => {
    const rubric = await t.container.services.rubrics.create({ name: 'Лента', slug: 'lenta' });
    const created = await create({
      pollSeconds: 120,
      rubricId: rubric.id,
      credentials: { type: 'basic', username: 'newsroom', password: secretPassword },
    });
    expect(created).toMatchObject({
      name: 'Агентство',
      format: 'rss',
      pollSeconds: 120,
      rubricId: rubric.id,
      isActive: true,
      hasCredentials: true,
      lastPolledAt: null,
      lastStatus: null,
      lastError: null,
      itemsImported: 0,
      consecutiveFailures: 0,
      nextPollAt: t.clock.now().toISOString(),
      version: 1,
    });
    expect(created).not.toHaveProperty('credentials');
    const read = await t.http().get(`/v1/admin/wire-sources/${created.id}`).set(auth());
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    const list = await t.http().get('/v1/admin/wire-sources').set(auth());
    expect(list.body.items).toHaveLength(1);
    const audit = await t.http().get('/v1/admin/audit?limit=100').set(auth());
    expect(audit.body.items.some((e: { action: string }) => e.action === 'wire_source.create')).toBe(true);
    for (const text of [
      JSON.stringify(created),
      JSON.stringify(read.body),
      JSON.stringify(list.body),
      JSON.stringify(audit.body),
      logLines.join('\n'),
    ])
      expect(text).not.toContain(secretPassword);
  });

  it('when a change names the wrong version, then 412; without If-Match, 428; with the right one, it is made', async () => {
    const created = await create({});
    const stale = await t
      .http()
      .patch(`/v1/admin/wire-sources/${created.id}`)
      .set(auth())
      .set('If-Match', '"7"')
      .send({ pollSeconds: 600 });
    expect(stale.status).toBe(412);
    const missing = await t.http().patch(`/v1/admin/wire-sources/${created.id}`).set(auth()).send({ pollSeconds: 600 });
    expect(missing.status).toBe(428);
    const changed = await t
      .http()
      .patch(`/v1/admin/wire-sources/${created.id}`)
      .set(auth())
      .set('If-Match', '"1"')
      .send({ pollSeconds: 600, credentials: { type: 'bearer', token: 'tok-secret-55' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ pollSeconds: 600, hasCredentials: true, version: 2 });
    expect(JSON.stringify(changed.body)).not.toContain('tok-secret-55');
    const removed = await t
      .http()
      .patch(`/v1/admin/wire-sources/${created.id}`)
      .set(auth())
      .set('If-Match', '"2"')
      .send({ credentials: null, isActive: false });
    expect(removed.body).toMatchObject({ hasCredentials: false, isActive: false, version: 3 });
    expect((await t.http().delete(`/v1/admin/wire-sources/${created.id}`).set(auth()).set('If-Match', '"2"')).status).toBe(412);
    expect((await t.http().delete(`/v1/admin/wire-sources/${created.id}`).set(auth()).set('If-Match', '"3"')).status).toBe(204);
    expect((await t.http().get(`/v1/admin/wire-sources/${created.id}`).set(auth())).status).toBe(404);
  });

  it('when the body is wrong (a private address, a rubric that does not exist, an interval out of bounds, a password in the URL), then 422', async () => {
    const post = (body: Record<string, unknown>) =>
      t
        .http()
        .post('/v1/admin/wire-sources')
        .set(auth())
        .send({ name: 'Агентство', url: 'https://93.184.215.14/feed.xml', format: 'atom', ...body });
    const privateAddress = await post({ url: 'http://127.0.0.1:8080/feed' });
    expect(privateAddress.status).toBe(422);
    expect(privateAddress.body.errors[0].field).toBe('body.url');
    expect((await post({ rubricId: 'no-such-rubric' })).body.errors[0].field).toBe('body.rubricId');
    expect((await post({ pollSeconds: 5 })).status).toBe(422);
    expect((await post({ pollSeconds: 100_000 })).status).toBe(422);
    expect((await post({ format: 'json' })).status).toBe(422);
    expect((await post({ url: 'https://user:pw@93.184.215.14/feed' })).status).toBe(422);
    expect((await post({ credentials: { type: 'header', name: 'Host', value: 'x' } })).status).toBe(422);
    expect((await post({ extra: true })).status).toBe(422);
  });

  it('when an editor asks, then 403', async () => {
    expect((await t.http().get('/v1/admin/wire-sources').set(editor.headers)).status).toBe(403);
    expect(
      (await t.http().post('/v1/admin/wire-sources').set(editor.headers).send({ name: 'x', url: 'https://93.184.215.14/', format: 'rss' }))
        .status,
    ).toBe(403);
  });
});

describe('wire sources: the poller is off in tests unless asked', () => {
  const { t } = useTestApp('sqlite');
  it('has no worker', () => {
    expect(t.container.wire.worker).toBeUndefined();
  });
});
