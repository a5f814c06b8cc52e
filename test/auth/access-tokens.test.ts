import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const issuer = 'newsroom-cms';
const audience = 'newsroom-cms-management';
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describeEachDialect('access tokens', (dialect) => {
  const { t, editor, admin } = useTestApp(dialect, { roles: ['editor', 'admin'] });

  const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => ({
    sub: editor.user.id,
    iss: issuer,
    aud: audience,
    typ: 'access',
    sid: editor.sessionId,
    iat: nowSeconds(),
    exp: nowSeconds() + t.container.config.accessTokenTtlSeconds,
    ...overrides,
  });
  const withoutClaim = (name: string) => Object.fromEntries(Object.entries(claims()).filter(([claim]) => claim !== name));
  const signHs = (payload: object, secret = t.container.config.jwtSecret, algorithm: jwt.Algorithm = 'HS256') =>
    jwt.sign(payload, secret, { algorithm });
  const me = (authorization: string) => t.http().get('/v1/auth/me').set('Authorization', authorization);

  const expectUnauthorized = async (authorization: string) => {
    const res = await me(authorization);
    expect(res.status).toBe(401);
    expect(res.type).toBe('application/problem+json');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    return res;
  };

  it('when the token is a real one, then /v1/auth/me names its user', async () => {
    const res = await me(`Bearer ${editor.token}`).expect(200);
    expect(res.body).toEqual({
      type: 'user',
      user: expect.objectContaining({ id: editor.user.id, email: editor.user.email, role: 'editor' }),
    });
  });

  it('when a token built by hand with our own claims is signed with our key, then it works (so the cases below fail for their one flaw)', async () => {
    await me(`Bearer ${signHs(claims())}`).expect(200);
  });

  it('when the token has no exp, then 401 saying it must expire (it would otherwise work forever)', async () => {
    const res = await expectUnauthorized(`Bearer ${signHs(withoutClaim('exp'))}`);
    expect(res.body.detail).toMatch(/must expire/);
  });

  it('when the lifetime from iat to exp is longer than ACCESS_TOKEN_TTL_SECONDS, then 401, even though it has not expired', async () => {
    const ttl = t.container.config.accessTokenTtlSeconds;
    const res = await expectUnauthorized(`Bearer ${signHs(claims({ exp: nowSeconds() + ttl + 1 }))}`);
    expect(res.body.detail).toMatch(/must expire/);
    await expectUnauthorized(`Bearer ${signHs(claims({ iat: nowSeconds() - 60, exp: nowSeconds() + 365 * 24 * 3600 }))}`);
  });

  it('when the token has no iat (so no known lifetime), then 401', async () => {
    const payload = withoutClaim('iat');
    await expectUnauthorized(`Bearer ${jwt.sign(payload, t.container.config.jwtSecret, { algorithm: 'HS256', noTimestamp: true })}`);
  });

  it('when iat is in the future (which would stretch its life from now), then 401', async () => {
    const later = nowSeconds() + 3600;
    await expectUnauthorized(`Bearer ${signHs(claims({ iat: later, exp: later + t.container.config.accessTokenTtlSeconds }))}`);
  });

  it('when the token names no session (sid), then 401', async () => {
    await expectUnauthorized(`Bearer ${signHs(withoutClaim('sid'))}`);
  });

  it("when the session is not one of its user (unknown, or another user's), then 401", async () => {
    await expectUnauthorized(`Bearer ${signHs(claims({ sid: 'no-such-session' }))}`);
    await expectUnauthorized(`Bearer ${signHs(claims({ sid: admin.sessionId }))}`);
  });

  it('when the token says alg "none" and has no signature, then 401', async () => {
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`;
    await expectUnauthorized(`Bearer ${token}`);
  });

  it('when the token is signed with another key, then 401', async () => {
    await expectUnauthorized(`Bearer ${signHs(claims(), 'another-secret-0123456789-abcdefghijklmnop')}`);
  });

  it('when the payload is changed to another user and the old signature kept, then 401', async () => {
    const [header, body, signature] = t.container.tokens.sign(editor.user.id, editor.sessionId).split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
    await expectUnauthorized(`Bearer ${header}.${base64url({ ...payload, sub: admin.user.id })}.${signature}`);
  });

  it('when a role claim is slipped into the payload and the old signature kept, then 401', async () => {
    const [header, body, signature] = t.container.tokens.sign(editor.user.id, editor.sessionId).split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
    await expectUnauthorized(`Bearer ${header}.${base64url({ ...payload, role: 'admin' })}.${signature}`);
  });

  it('when the token has expired, then 401 saying so', async () => {
    const token = t.container.tokens.sign(editor.user.id, editor.sessionId);
    t.clock.advance((t.container.config.accessTokenTtlSeconds + 1) * 1000);
    const res = await expectUnauthorized(`Bearer ${token}`);
    expect(res.body.detail).toMatch(/expired/);
  });

  it("when the token is not yet expired by the app's clock, then it still works", async () => {
    const token = t.container.tokens.sign(editor.user.id, editor.sessionId);
    t.clock.advance((t.container.config.accessTokenTtlSeconds - 5) * 1000);
    await me(`Bearer ${token}`).expect(200);
  });

  it('when the issuer is another one, then 401', async () => {
    await expectUnauthorized(`Bearer ${signHs(claims({ iss: 'someone-else' }))}`);
  });

  it('when the audience is another one, then 401', async () => {
    await expectUnauthorized(`Bearer ${signHs(claims({ aud: 'newsroom-cms-public' }))}`);
  });

  it('when the token is not an access token (typ), then 401', async () => {
    await expectUnauthorized(`Bearer ${signHs(claims({ typ: 'refresh' }))}`);
  });

  it('when the token is HS512 with our key, then 401', async () => {
    await expectUnauthorized(`Bearer ${signHs(claims(), t.container.config.jwtSecret, 'HS512')}`);
  });

  it('when the token is RS256 signed with an RSA key, then 401', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expectUnauthorized(`Bearer ${jwt.sign(claims(), privateKey, { algorithm: 'RS256' })}`);
  });

  it('when the token says RS256 but is HMAC-signed with our key (algorithm confusion), then 401', async () => {
    const signingInput = `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(claims())}`;
    const signature = createHmac('sha256', t.container.config.jwtSecret).update(signingInput).digest('base64url');
    await expectUnauthorized(`Bearer ${signingInput}.${signature}`);
  });

  it('when the token belongs to a deleted user, then 401', async () => {
    const gone = await t.signIn('author');
    await t
      .http()
      .delete(`/v1/admin/users/${gone.user.id}`)
      .set('Authorization', `Bearer ${t.container.tokens.sign(admin.user.id, admin.sessionId)}`)
      .set('If-Match', `"${gone.user.version}"`)
      .expect(204);
    await expectUnauthorized(`Bearer ${t.container.tokens.sign(gone.user.id, gone.sessionId)}`);
  });

  it('when the token belongs to a disabled user, then 401', async () => {
    const disabled = await t.signIn('author');
    await t
      .http()
      .patch(`/v1/admin/users/${disabled.user.id}`)
      .set('Authorization', `Bearer ${t.container.tokens.sign(admin.user.id, admin.sessionId)}`)
      .set('If-Match', `"${disabled.user.version}"`)
      .send({ isActive: false })
      .expect(200);
    await expectUnauthorized(`Bearer ${t.container.tokens.sign(disabled.user.id, disabled.sessionId)}`);
  });

  it('when the token is garbage, then 401', async () => {
    await expectUnauthorized('Bearer not-a-jwt');
    await expectUnauthorized('Bearer a.b.c');
    await expectUnauthorized(`Bearer ${'x'.repeat(5000)}`);
  });

  it('when the scheme is not Bearer, then 401', async () => {
    await expectUnauthorized(`Basic ${Buffer.from('editor@test.example:password').toString('base64')}`);
    await expectUnauthorized(`Token ${t.container.tokens.sign(editor.user.id, editor.sessionId)}`);
    await expectUnauthorized(t.container.tokens.sign(editor.user.id, editor.sessionId));
  });

  it('when there are no credentials, then 401 with WWW-Authenticate', async () => {
    const res = await t.http().get('/v1/auth/me').expect(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('when an API key calls /v1/auth/me, then it names the key and its scopes', async () => {
    const key = await t.apiKey(['read', 'publish']);
    const res = await t.http().get('/v1/auth/me').set(key.headers).expect(200);
    expect(res.body).toEqual({ type: 'apiKey', apiKey: { id: key.id, name: expect.any(String), scopes: ['read', 'publish'] } });
  });

  it('when both Authorization and X-API-Key are sent, then 401', async () => {
    const key = await t.apiKey(['read']);
    await t
      .http()
      .get('/v1/auth/me')
      .set('Authorization', `Bearer ${t.container.tokens.sign(editor.user.id, editor.sessionId)}`)
      .set('X-API-Key', key.key)
      .expect(401);
  });
});
