import { expect, it } from 'vitest';
import { describeEachDialect, testPassword, useTestApp } from '../support/test-app.ts';

const allowedOrigin = 'https://reader.example';

describeEachDialect('security headers, CORS and caching', (dialect) => {
  const { t, editor } = useTestApp(dialect, { env: { CORS_ORIGINS: allowedOrigin }, roles: ['editor'] });

  it("when any response goes out, then helmet's headers are on it and x-powered-by is not", async () => {
    for (const res of [await t.http().get('/v1/rubrics'), await t.http().get('/v1/admin/rubrics'), await t.http().get('/no-such-route')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toBeTruthy();
      expect(res.headers['strict-transport-security']).toBeTruthy();
      expect(res.headers).not.toHaveProperty('x-powered-by');
    }
  });

  it('when an allowed origin sends a preflight, then it is allowed with our methods and headers', async () => {
    const res = await t
      .http()
      .options('/v1/admin/rubrics')
      .set('Origin', allowedOrigin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'Authorization, Content-Type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(allowedOrigin);
    expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
  });

  it('when another origin sends a preflight, then it gets no allow-origin', async () => {
    const res = await t
      .http()
      .options('/v1/admin/rubrics')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('when an allowed origin reads, then it may see the response, the request id, the version, a retry delay and a range', async () => {
    const res = await t.http().get('/v1/rubrics').set('Origin', allowedOrigin).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(allowedOrigin);
    expect(res.headers['access-control-expose-headers']?.split(',')).toEqual(
      expect.arrayContaining(['X-Request-Id', 'ETag', 'Retry-After', 'Content-Range']),
    );
    const other = await t.http().get('/v1/rubrics').set('Origin', 'https://evil.example').expect(200);
    expect(other.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('when a management route answers, then Cache-Control is no-store, for success and error alike', async () => {
    const answers = {
      'a list': await t.http().get('/v1/admin/rubrics').set(editor.headers).expect(200),
      'a 401': await t.http().get('/v1/admin/rubrics').expect(401),
      'a 403': await t.http().get('/v1/admin/users').set(editor.headers).expect(403),
      'a 404': await t.http().get('/v1/admin/rubrics/no-such-id').set(editor.headers).expect(404),
      'a creation': await t.http().post('/v1/admin/rubrics').set(editor.headers).send({ name: 'Спорт' }).expect(201),
    };
    for (const [what, res] of Object.entries(answers)) expect(res.headers['cache-control'], what).toBe('no-store');
  });

  it('when an auth route answers, then Cache-Control is no-store', async () => {
    const login = await t.http().post('/v1/auth/login').send({ email: editor.user.email, password: testPassword }).expect(200);
    const me = await t.http().get('/v1/auth/me').set(editor.headers).expect(200);
    for (const res of [login, me]) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('when a public route is read, then it may be cached', async () => {
    const res = await t.http().get('/v1/rubrics').expect(200);
    expect(res.headers['cache-control']).toMatch(/^public/);
  });
});
