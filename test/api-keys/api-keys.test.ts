import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

interface CreatedKey {
  id: string;
  key: string;
  keyPrefix: string;
  scopes: string[];
}

describeEachDialect('API keys', (dialect) => {
  const { t, admin } = useTestApp(dialect, { roles: ['admin'] });

  const createKey = async (scopes: string[], name = `key ${scopes.join('+')}`): Promise<CreatedKey> =>
    (await t.http().post('/v1/admin/api-keys').set(admin.headers).send({ name, scopes }).expect(201)).body;

  it('when an admin creates a key, then 201 with the secret once, starting with nk_, and the creator recorded', async () => {
    const res = await t
      .http()
      .post('/v1/admin/api-keys')
      .set(admin.headers)
      .send({ name: 'Wire importer', scopes: ['read', 'write'] })
      .expect(201);
    expect(res.body).toMatchObject({
      name: 'Wire importer',
      scopes: ['read', 'write'],
      createdById: admin.user.id,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(res.body.key).toMatch(/^nk_[\w-]{40,}$/);
    expect(res.body.key.startsWith(res.body.keyPrefix)).toBe(true);
    expect(res.body.keyPrefix.length).toBeLessThan(res.body.key.length / 2);
  });

  it('when a key is read back or listed, then its secret is not in the answer', async () => {
    const created = await createKey(['read']);
    const one = await t.http().get(`/v1/admin/api-keys/${created.id}`).set(admin.headers).expect(200);
    const list = await t.http().get('/v1/admin/api-keys').set(admin.headers).expect(200);
    expect(one.body).not.toHaveProperty('key');
    expect(list.body.items.map((k: { id: string }) => k.id)).toContain(created.id);
    for (const res of [one, list]) {
      expect(res.text).not.toContain(created.key);
      expect(res.text).not.toMatch(/keyHash/);
    }
  });

  it('when a key is stored, then the database holds only its hash and a short prefix', async () => {
    const created = await createKey(['read']);
    const row = await t.container.db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(row.keyHash).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(row.keyPrefix).toBe(created.keyPrefix);
  });

  it('when the key is sent as Authorization: Bearer, then it authenticates', async () => {
    const created = await createKey(['read']);
    const res = await t.http().get('/v1/auth/me').set('Authorization', `Bearer ${created.key}`).expect(200);
    expect(res.body).toMatchObject({ type: 'apiKey', apiKey: { id: created.id } });
  });

  it('when the key is sent as X-API-Key, then it authenticates', async () => {
    const created = await createKey(['read']);
    const res = await t.http().get('/v1/auth/me').set('X-API-Key', created.key).expect(200);
    expect(res.body).toMatchObject({ type: 'apiKey', apiKey: { id: created.id } });
  });

  it('when the key is unknown, then 401 by either header', async () => {
    await t.http().get('/v1/auth/me').set('Authorization', 'Bearer nk_not-a-key-we-issued').expect(401);
    await t.http().get('/v1/auth/me').set('X-API-Key', 'nk_not-a-key-we-issued').expect(401);
    await t.http().get('/v1/auth/me').set('X-API-Key', admin.token).expect(401);
  });

  it('when a key is revoked, then it stops working at once and its record stays with revokedAt', async () => {
    const created = await createKey(['read']);
    await t.http().get('/v1/admin/rubrics').set('X-API-Key', created.key).expect(200);
    await t.http().delete(`/v1/admin/api-keys/${created.id}`).set(admin.headers).set('If-Match', '"1"').expect(204);
    await t.http().get('/v1/admin/rubrics').set('X-API-Key', created.key).expect(401);
    await t.http().get('/v1/admin/rubrics').set('Authorization', `Bearer ${created.key}`).expect(401);
    const res = await t.http().get(`/v1/admin/api-keys/${created.id}`).set(admin.headers).expect(200);
    expect(res.body.revokedAt).toBe(t.clock.now().toISOString());
  });

  it('when a key is used, then lastUsedAt is set to the time of use', async () => {
    const created = await createKey(['read']);
    t.clock.advance(5 * 60_000);
    await t.http().get('/v1/admin/rubrics').set('X-API-Key', created.key).expect(200);
    const res = await t.http().get(`/v1/admin/api-keys/${created.id}`).set(admin.headers).expect(200);
    expect(res.body.lastUsedAt).toBe(t.clock.now().toISOString());
  });

  it('when a read key lists rubrics, then 200; when it creates one, then 403', async () => {
    const created = await createKey(['read']);
    await t.http().get('/v1/admin/rubrics').set('X-API-Key', created.key).expect(200);
    const res = await t.http().post('/v1/admin/rubrics').set('X-API-Key', created.key).send({ name: 'Спорт' }).expect(403);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.detail).toMatch(/write/);
  });

  it('when a write key reads, then 403: scopes do not imply one another, only admin does', async () => {
    const created = await createKey(['write']);
    await t.http().post('/v1/admin/rubrics').set('X-API-Key', created.key).send({ name: 'Экономика' }).expect(201);
    await t.http().get('/v1/admin/rubrics').set('X-API-Key', created.key).expect(403);
  });

  it('when an admin-scope key manages content, users and keys, then everything is allowed', async () => {
    const created = await createKey(['admin']);
    const headers = { 'X-API-Key': created.key };
    await t.http().get('/v1/admin/rubrics').set(headers).expect(200);
    const rubric = await t.http().post('/v1/admin/rubrics').set(headers).send({ name: 'Культура' }).expect(201);
    await t.http().delete(`/v1/admin/rubrics/${rubric.body.id}`).set(headers).set('If-Match', rubric.headers.etag!).expect(204);
    await t.http().get('/v1/admin/users').set(headers).expect(200);
    const other = await t
      .http()
      .post('/v1/admin/api-keys')
      .set(headers)
      .send({ name: 'Made by a key', scopes: ['read'] })
      .expect(201);
    expect(other.body.createdById).toBeNull();
    await t.http().delete(`/v1/admin/api-keys/${other.body.id}`).set(headers).set('If-Match', other.headers.etag!).expect(204);
  });

  it("when a key's scopes are changed, then the change applies to its next request", async () => {
    const created = await createKey(['read']);
    await t.http().post('/v1/admin/rubrics').set('X-API-Key', created.key).send({ name: 'Наука' }).expect(403);
    await t
      .http()
      .patch(`/v1/admin/api-keys/${created.id}`)
      .set(admin.headers)
      .set('If-Match', '"1"')
      .send({ scopes: ['read', 'write'] })
      .expect(200);
    await t.http().post('/v1/admin/rubrics').set('X-API-Key', created.key).send({ name: 'Наука' }).expect(201);
  });

  it('when a scope is not one we know, then 422 naming it', async () => {
    const res = await t
      .http()
      .post('/v1/admin/api-keys')
      .set(admin.headers)
      .send({ name: 'Bad', scopes: ['read', 'superuser'] })
      .expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.scopes.1' })]);
  });

  it('when no scope is given, then 422', async () => {
    const res = await t.http().post('/v1/admin/api-keys').set(admin.headers).send({ name: 'Empty', scopes: [] }).expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.scopes' })]);
  });

  it('when an editor tries to create a key, then 403', async () => {
    const editor = await t.signIn('editor');
    await t
      .http()
      .post('/v1/admin/api-keys')
      .set(editor.headers)
      .send({ name: 'Mine', scopes: ['admin'] })
      .expect(403);
  });
});
