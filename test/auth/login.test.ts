import { expect, it } from 'vitest';
import { describeEachDialect, testPassword, useTestApp } from '../support/test-app.ts';

describeEachDialect('signing in', (dialect) => {
  const { t, editor } = useTestApp(dialect, { users: { editor: { role: 'editor', email: 'maria.k@test.example' } } });

  const expectUnauthorized = (res: { status: number; type: string; headers: Record<string, string>; body: { code: string } }) => {
    expect(res.status).toBe(401);
    expect(res.type).toBe('application/problem+json');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.body.code).toBe('unauthorized');
  };

  it('when the e-mail and password are right, then a token pair whose access token opens the management API', async () => {
    const res = await t.http().post('/v1/auth/login').send({ email: 'maria.k@test.example', password: testPassword }).expect(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900, tokenType: 'Bearer' });
    expect(res.headers['cache-control']).toBe('no-store');
    const me = await t.http().get('/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ type: 'user', user: { id: editor.user.id, role: 'editor' } });
  });

  it('when the e-mail differs only in case, then the user still signs in', async () => {
    await t.http().post('/v1/auth/login').send({ email: 'Maria.K@TEST.example', password: testPassword }).expect(200);
  });

  it('when the account was created with a mixed-case e-mail, then it signs in with any case', async () => {
    await t.container.services.users.create({
      email: 'Ivan.Petrov@Test.Example',
      password: testPassword,
      displayName: 'Иван Петров',
      role: 'author',
    });
    await t.http().post('/v1/auth/login').send({ email: 'ivan.petrov@test.example', password: testPassword }).expect(200);
    await t.http().post('/v1/auth/login').send({ email: 'IVAN.PETROV@TEST.EXAMPLE', password: testPassword }).expect(200);
  });

  it('when the password is wrong, then 401 problem+json with WWW-Authenticate', async () => {
    const res = await t.http().post('/v1/auth/login').send({ email: 'maria.k@test.example', password: 'wrong-password-but-long' });
    expectUnauthorized(res);
  });

  it('when the e-mail is unknown, then the same 401 as for a wrong password', async () => {
    const unknown = await t.http().post('/v1/auth/login').send({ email: 'nobody@test.example', password: testPassword });
    const wrong = await t.http().post('/v1/auth/login').send({ email: 'maria.k@test.example', password: 'wrong-password-but-long' });
    expectUnauthorized(unknown);
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('when the user is disabled, then 401 even with the right password', async () => {
    const disabled = await t.signIn('author', { email: 'disabled@test.example' });
    await t.container.services.users.update(disabled.user.id, { isActive: false }, { type: 'apiKey', apiKeyId: 'test', scopes: ['admin'] });
    const res = await t.http().post('/v1/auth/login').send({ email: 'disabled@test.example', password: testPassword });
    expectUnauthorized(res);
  });

  it('when the body has an unknown field, then 422 naming it', async () => {
    const res = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: 'maria.k@test.example', password: testPassword, rememberMe: true })
      .expect(422);
    expect(res.body.errors).toEqual([{ field: 'body.rememberMe', message: 'Unknown field: rememberMe' }]);
  });

  it('when the password is missing, then 422 naming it', async () => {
    const res = await t.http().post('/v1/auth/login').send({ email: 'maria.k@test.example' }).expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.password' })]);
  });

  it('when the body is malformed JSON, then 400', async () => {
    const res = await t
      .http()
      .post('/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "maria.k@test.example",')
      .expect(400);
    expect(res.type).toBe('application/problem+json');
  });

  it('when the body is text/plain, then 415', async () => {
    const res = await t
      .http()
      .post('/v1/auth/login')
      .set('Content-Type', 'text/plain')
      .send(`email=maria.k@test.example&password=${testPassword}`)
      .expect(415);
    expect(res.type).toBe('application/problem+json');
  });
});
