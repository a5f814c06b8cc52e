import { expect, it } from 'vitest';
import { describeEachDialect, testPassword, useTestApp, type SignedIn } from '../support/test-app.ts';

interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

// An access token belongs to a session (one sign-in). Ending the session ends its access tokens at once,
// on every instance, rather than when they expire.
describeEachDialect('sessions end their access tokens at once', (dialect) => {
  const { t, admin } = useTestApp(dialect, { roles: ['admin'] });

  const login = async (user: SignedIn, http = t.http()): Promise<TokenPair> =>
    (await http.post('/v1/auth/login').send({ email: user.user.email, password: testPassword }).expect(200)).body;
  const me = (accessToken: string, http = t.http()) => http.get('/v1/auth/me').set('Authorization', `Bearer ${accessToken}`);
  const expectEnded = async (accessToken: string, http = t.http()) => {
    const res = await me(accessToken, http);
    expect(res.status).toBe(401);
    expect(res.type).toBe('application/problem+json');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.body.detail).toMatch(/sign-in of this token has ended/);
  };
  const changeUser = async (user: SignedIn, change: Record<string, unknown>) =>
    t
      .http()
      .patch(`/v1/admin/users/${user.user.id}`)
      .set('Authorization', `Bearer ${t.container.tokens.sign(admin.user.id, admin.sessionId)}`)
      .set('If-Match', '*')
      .send(change)
      .expect(200);

  it("when the user signs out, then that sign-in's access token answers 401 at once; their other sign-in still works", async () => {
    const editor = await t.signIn('editor');
    const pair = await login(editor);
    await me(pair.accessToken).expect(200);
    await t.http().post('/v1/auth/logout').send({ refreshToken: pair.refreshToken }).expect(204);
    await expectEnded(pair.accessToken);
    await me(editor.token).expect(200);
  });

  it('when the user signs out on one instance, then the access token answers 401 on another instance at once', async () => {
    const other = t.startInstance();
    const editor = await t.signIn('editor');
    const pair = await login(editor);
    await me(pair.accessToken, other.http()).expect(200);
    await t.http().post('/v1/auth/logout').send({ refreshToken: pair.refreshToken }).expect(204);
    await expectEnded(pair.accessToken, other.http());
  });

  it('when a used refresh token is presented again, then every access token of that sign-in answers 401 at once', async () => {
    const editor = await t.signIn('editor');
    const first = await login(editor);
    const second: TokenPair = (await t.http().post('/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    await me(second.accessToken).expect(200);
    await t.http().post('/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    await expectEnded(first.accessToken);
    await expectEnded(second.accessToken);
    await me(editor.token).expect(200);
  });

  it("when an admin changes the password, then every access token of the user answers 401 at once, and others' stay", async () => {
    const editor = await t.signIn('editor');
    const pair = await login(editor);
    await changeUser(editor, { password: 'a-brand-new-password-42' });
    await expectEnded(pair.accessToken);
    await expectEnded(editor.token);
    await me(t.container.tokens.sign(admin.user.id, admin.sessionId)).expect(200);
  });

  it('when an admin changes the role, then every access token of the user answers 401 at once', async () => {
    const editor = await t.signIn('editor');
    const pair = await login(editor);
    await changeUser(editor, { role: 'author' });
    await expectEnded(pair.accessToken);
    await expectEnded(editor.token);
    // The new role comes with a new sign-in.
    const again = await login(editor);
    expect((await me(again.accessToken).expect(200)).body.user.role).toBe('author');
  });

  it('when an admin saves the same role again, then the sign-ins stay', async () => {
    const editor = await t.signIn('editor');
    await changeUser(editor, { role: 'editor', displayName: 'Редактор Н.' });
    await me(editor.token).expect(200);
  });

  it('when an admin disables the user, then their access tokens answer 401 at once, and enabling them does not revive them', async () => {
    const author = await t.signIn('author');
    const pair = await login(author);
    await changeUser(author, { isActive: false });
    await expectEnded(pair.accessToken);
    await changeUser(author, { isActive: true });
    await expectEnded(pair.accessToken);
    await expectEnded(author.token);
    await login(author);
  });

  it('when a request is authenticated, then the user and the session are checked in one query', async () => {
    const editor = await t.signIn('editor');
    // An editor on an admins' route: refused right after authentication, so only authentication queries.
    t.queries.reset();
    await t.http().get('/v1/admin/users').set(editor.headers).expect(403);
    expect(t.queries.count()).toBe(1);
  });
});
