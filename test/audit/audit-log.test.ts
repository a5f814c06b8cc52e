import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect, testPassword, useTestApp } from '../support/test-app.ts';

interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
}

describeEachDialect('the audit log', (dialect) => {
  const { t, admin, editor } = useTestApp(dialect, { roles: ['admin', 'editor'] });

  const events = async (query: Record<string, string | number> = {}): Promise<AuditEvent[]> =>
    (
      await t
        .http()
        .get('/v1/admin/audit')
        .query({ limit: 100, ...query })
        .set(admin.headers)
        .expect(200)
    ).body.items;
  const eventOf = async (requestId: string): Promise<AuditEvent> => {
    const found = (await events()).filter((e) => e.requestId === requestId);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  it('when an editor creates, changes and deletes a rubric, then each write is recorded with the editor, the request id and the field names', async () => {
    const created = await t.http().post('/v1/admin/rubrics').set(editor.headers).send({ name: 'Аудит', position: 4 }).expect(201);
    expect(await eventOf(created.headers['x-request-id']!)).toMatchObject({
      actor: `user:${editor.user.id}`,
      action: 'rubric.create',
      targetType: 'rubric',
      targetId: created.body.id,
      details: { fields: ['name', 'position'] },
      at: t.clock.now().toISOString(),
    });
    const changed = await t
      .http()
      .patch(`/v1/admin/rubrics/${created.body.id}`)
      .set(editor.headers)
      .set('If-Match', created.headers.etag!)
      .send({ isActive: false })
      .expect(200);
    expect(await eventOf(changed.headers['x-request-id']!)).toMatchObject({
      actor: `user:${editor.user.id}`,
      action: 'rubric.update',
      targetId: created.body.id,
      details: { fields: ['isActive'] },
    });
    const deleted = await t
      .http()
      .delete(`/v1/admin/rubrics/${created.body.id}`)
      .set(editor.headers)
      .set('If-Match', changed.headers.etag!)
      .expect(204);
    expect(await eventOf(deleted.headers['x-request-id']!)).toMatchObject({
      action: 'rubric.delete',
      targetType: 'rubric',
      targetId: created.body.id,
      details: null,
    });
  });

  it('when the caller sends its own X-Request-Id, then the event carries it', async () => {
    const requestId = `trace-${randomUUID()}`;
    const res = await t
      .http()
      .post('/v1/admin/tags')
      .set(editor.headers)
      .set('X-Request-Id', requestId)
      .send({ name: 'Трассировка' })
      .expect(201);
    expect(res.headers['x-request-id']).toBe(requestId);
    expect(await eventOf(requestId)).toMatchObject({ action: 'tag.create', targetId: res.body.id });
  });

  it('when an API key writes, then the actor is the key', async () => {
    const key = await t.apiKey(['write']);
    const res = await t.http().post('/v1/admin/tags').set(key.headers).send({ name: 'Ключ' }).expect(201);
    expect(await eventOf(res.headers['x-request-id']!)).toMatchObject({ actor: `apiKey:${key.id}`, action: 'tag.create' });
  });

  it('when a write fails, then nothing is recorded', async () => {
    const res = await t.http().post('/v1/admin/rubrics').set(editor.headers).send({ name: '' }).expect(422);
    expect((await events()).filter((e) => e.requestId === res.headers['x-request-id'])).toEqual([]);
  });

  it('when tags and feed items change, then tag.* and feed_item.* events are recorded', async () => {
    const tag = await t.http().post('/v1/admin/tags').set(editor.headers).send({ name: 'Тег аудита' }).expect(201);
    const renamed = await t
      .http()
      .patch(`/v1/admin/tags/${tag.body.id}`)
      .set(editor.headers)
      .set('If-Match', '"1"')
      .send({ name: 'Тег аудита 2' })
      .expect(200);
    const tagGone = await t.http().delete(`/v1/admin/tags/${tag.body.id}`).set(editor.headers).set('If-Match', '"2"').expect(204);
    const item = await t
      .http()
      .post('/v1/admin/feed-items')
      .set(editor.headers)
      .send({ kind: 'link', headline: 'Ссылка', url: 'https://example.org' })
      .expect(201);
    const pinned = await t
      .http()
      .patch(`/v1/admin/feed-items/${item.body.id}`)
      .set(editor.headers)
      .set('If-Match', '"1"')
      .send({ isPinned: true })
      .expect(200);
    const itemGone = await t.http().delete(`/v1/admin/feed-items/${item.body.id}`).set(editor.headers).set('If-Match', '"2"').expect(204);
    const expected = [
      [renamed, 'tag.update', tag.body.id],
      [tagGone, 'tag.delete', tag.body.id],
      [item, 'feed_item.create', item.body.id],
      [pinned, 'feed_item.update', item.body.id],
      [itemGone, 'feed_item.delete', item.body.id],
    ] as const;
    for (const [res, action, targetId] of expected) {
      expect(await eventOf(res.headers['x-request-id']!)).toMatchObject({ actor: `user:${editor.user.id}`, action, targetId });
    }
  });

  it('when users are created, changed and deleted, then user.* events name the fields, a role change, and never the password', async () => {
    const password = 'a-secret-nobody-may-read-1';
    const created = await t
      .http()
      .post('/v1/admin/users')
      .set(admin.headers)
      .send({ email: `${randomUUID()}@test.example`, password, displayName: 'Аудит Юзер', role: 'author' })
      .expect(201);
    const createdEvent = await eventOf(created.headers['x-request-id']!);
    expect(createdEvent).toMatchObject({
      actor: `user:${admin.user.id}`,
      action: 'user.create',
      targetType: 'user',
      targetId: created.body.id,
    });
    expect(createdEvent.details?.fields).toEqual(expect.arrayContaining(['email', 'password', 'displayName', 'role']));
    const promoted = await t
      .http()
      .patch(`/v1/admin/users/${created.body.id}`)
      .set(admin.headers)
      .set('If-Match', '"1"')
      .send({ role: 'editor', password: `${password}-2` })
      .expect(200);
    const promotedEvent = await eventOf(promoted.headers['x-request-id']!);
    expect(promotedEvent).toMatchObject({ action: 'user.update', details: { role: { from: 'author', to: 'editor' } } });
    expect((promotedEvent.details!.fields as string[]).sort()).toEqual(['password', 'role']);
    // The same role again is no role change.
    const renamed = await t
      .http()
      .patch(`/v1/admin/users/${created.body.id}`)
      .set(admin.headers)
      .set('If-Match', '"2"')
      .send({ displayName: 'Аудит', role: 'editor' })
      .expect(200);
    expect(Object.keys((await eventOf(renamed.headers['x-request-id']!)).details!)).toEqual(['fields']);
    const deleted = await t.http().delete(`/v1/admin/users/${created.body.id}`).set(admin.headers).set('If-Match', '"3"').expect(204);
    expect(await eventOf(deleted.headers['x-request-id']!)).toMatchObject({ action: 'user.delete', targetId: created.body.id });
    const log = await t.http().get('/v1/admin/audit').query({ targetId: created.body.id }).set(admin.headers).expect(200);
    expect(log.text).not.toContain(password);
  });

  it('when API keys are created, changed and revoked, then api_key.* events are recorded without the secret', async () => {
    const created = await t
      .http()
      .post('/v1/admin/api-keys')
      .set(admin.headers)
      .send({ name: 'Аудит', scopes: ['read'] })
      .expect(201);
    const changed = await t
      .http()
      .patch(`/v1/admin/api-keys/${created.body.id}`)
      .set(admin.headers)
      .set('If-Match', '"1"')
      .send({ scopes: ['read', 'write'] })
      .expect(200);
    const revoked = await t.http().delete(`/v1/admin/api-keys/${created.body.id}`).set(admin.headers).set('If-Match', '"2"').expect(204);
    expect(await eventOf(created.headers['x-request-id']!)).toMatchObject({
      action: 'api_key.create',
      targetType: 'api_key',
      targetId: created.body.id,
      details: { fields: ['name', 'scopes'] },
    });
    expect(await eventOf(changed.headers['x-request-id']!)).toMatchObject({ action: 'api_key.update', targetId: created.body.id });
    expect(await eventOf(revoked.headers['x-request-id']!)).toMatchObject({ action: 'api_key.revoke', targetId: created.body.id });
    const log = await t.http().get('/v1/admin/audit').query({ targetType: 'api_key' }).set(admin.headers).expect(200);
    expect(log.text).not.toContain(created.body.key);
  });

  it('when someone signs in, then auth.login; when a sign-in fails, then auth.login_failed by anonymous with the e-mail only', async () => {
    const ok = await t.http().post('/v1/auth/login').send({ email: editor.user.email, password: testPassword }).expect(200);
    expect(await eventOf(ok.headers['x-request-id']!)).toMatchObject({
      actor: `user:${editor.user.id}`,
      action: 'auth.login',
      targetType: 'user',
      targetId: editor.user.id,
    });
    const wrong = await t.http().post('/v1/auth/login').send({ email: editor.user.email, password: 'not-the-password-at-all' }).expect(401);
    const failed = await eventOf(wrong.headers['x-request-id']!);
    expect(failed).toMatchObject({
      actor: 'anonymous',
      action: 'auth.login_failed',
      targetId: editor.user.id,
      details: { email: editor.user.email },
    });
    const unknown = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: 'nobody@test.example', password: 'not-the-password-at-all' })
      .expect(401);
    expect(await eventOf(unknown.headers['x-request-id']!)).toMatchObject({
      actor: 'anonymous',
      action: 'auth.login_failed',
      targetId: null,
      details: { email: 'nobody@test.example' },
    });
    expect(JSON.stringify(await events({ action: 'auth.login_failed' }))).not.toContain('not-the-password-at-all');
  });

  it('when a used refresh token is presented again, then auth.refresh_reuse_detected is recorded', async () => {
    const pair = (await t.http().post('/v1/auth/login').send({ email: editor.user.email, password: testPassword }).expect(200)).body;
    await t.http().post('/v1/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(200);
    const reuse = await t.http().post('/v1/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
    const event = await eventOf(reuse.headers['x-request-id']!);
    expect(event).toMatchObject({
      actor: 'anonymous',
      action: 'auth.refresh_reuse_detected',
      targetType: 'user',
      targetId: editor.user.id,
    });
    expect(JSON.stringify(event)).not.toContain(pair.refreshToken);
  });

  it('when filtering by actor, action, target and time, then only matching events come, newest first, and the cursor walks them without repeats', async () => {
    const writer = await t.signIn('editor');
    t.clock.advance(60_000);
    const from = t.clock.now().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      ids.push(
        (
          await t
            .http()
            .post('/v1/admin/rubrics')
            .set(writer.headers)
            .send({ name: `Фильтр ${i}` })
            .expect(201)
        ).body.id,
      );
    }
    t.clock.advance(1000);
    const to = t.clock.now().toISOString();
    const mine = await events({ actor: `user:${writer.user.id}` });
    expect(mine.map((e) => e.targetId)).toEqual([...ids].reverse());
    expect(mine.map((e) => e.at)).toEqual([...mine.map((e) => e.at)].sort().reverse());
    expect((await events({ targetType: 'rubric', targetId: ids[2]! })).map((e) => e.action)).toEqual(['rubric.create']);
    expect((await events({ action: 'rubric.create', from, to })).map((e) => e.targetId)).toEqual([...ids].reverse());
    expect((await events({ action: 'rubric.create', from: mine[1]!.at, to: mine[0]!.at })).map((e) => e.targetId)).toEqual([ids[3]]);
    expect(await events({ action: 'rubric.update', actor: `user:${writer.user.id}` })).toEqual([]);

    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: AuditEvent[]; nextCursor: string | null } } = await t
        .http()
        .get('/v1/admin/audit')
        .query({ actor: `user:${writer.user.id}`, limit: 2, ...(cursor ? { cursor } : {}) })
        .set(admin.headers)
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.body.items.map((e) => e.targetId!));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual([...ids].reverse());
  });

  it('when a filter is malformed, then 400', async () => {
    await t.http().get('/v1/admin/audit').query({ from: 'yesterday' }).set(admin.headers).expect(400);
    await t.http().get('/v1/admin/audit').query({ cursor: 'not-a-cursor' }).set(admin.headers).expect(400);
  });

  it('when an editor or a key without the admin scope reads the log, then 403', async () => {
    await t.http().get('/v1/admin/audit').set(editor.headers).expect(403);
    const reader = await t.apiKey(['read', 'write', 'publish', 'media']);
    await t.http().get('/v1/admin/audit').set(reader.headers).expect(403);
    const adminKey = await t.apiKey(['admin']);
    await t.http().get('/v1/admin/audit').set(adminKey.headers).expect(200);
  });

  it('when anyone tries to change or delete an event, then there is no such route', async () => {
    const [event] = await events();
    await t.http().delete(`/v1/admin/audit/${event!.id}`).set(admin.headers).expect(404);
    await t.http().patch(`/v1/admin/audit/${event!.id}`).set(admin.headers).send({ action: 'x' }).expect(404);
  });
});
