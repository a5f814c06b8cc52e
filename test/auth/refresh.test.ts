import { expect, it } from 'vitest';
import { describeEachDialect, testPassword, useTestApp } from '../support/test-app.ts';

interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

describeEachDialect('refresh tokens', (dialect) => {
  const { t, admin, editor } = useTestApp(dialect, { roles: ['admin', 'editor'] });

  const login = async (): Promise<TokenPair> =>
    (await t.http().post('/v1/auth/login').send({ email: editor.user.email, password: testPassword }).expect(200)).body;
  // Signed now: some tests move the clock past the lifetime of earlier tokens.
  const adminHeaders = () => ({ Authorization: `Bearer ${t.container.tokens.sign(admin.user.id, admin.sessionId)}` });
  const refresh = (refreshToken: string) => t.http().post('/v1/auth/refresh').send({ refreshToken });

  it('when a refresh token is traded, then a new pair comes back and the old refresh token no longer works', async () => {
    const first = await login();
    const res = await refresh(first.refreshToken).expect(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900, tokenType: 'Bearer' });
    expect(res.body.refreshToken).not.toBe(first.refreshToken);
    expect(res.headers['cache-control']).toBe('no-store');
    await t.http().get('/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    const reused = await refresh(first.refreshToken).expect(401);
    expect(reused.type).toBe('application/problem+json');
    expect(reused.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('when the rotated token keeps rotating, then each new refresh token works once', async () => {
    let pair = await login();
    for (let i = 0; i < 3; i++) pair = (await refresh(pair.refreshToken).expect(200)).body;
  });

  it('when a used refresh token is presented again, then 401 and the token issued by the rotation stops working too', async () => {
    const first = await login();
    const second: TokenPair = (await refresh(first.refreshToken).expect(200)).body;
    await refresh(first.refreshToken).expect(401);
    await refresh(second.refreshToken).expect(401);
  });

  it('when a used refresh token is presented again, then other sign-ins of the same user are untouched', async () => {
    const other = await login();
    const first = await login();
    await refresh(first.refreshToken).expect(200);
    await refresh(first.refreshToken).expect(401);
    await refresh(other.refreshToken).expect(200);
  });

  // A race has several interleavings; a few rounds make each of them likely to be met.
  const raceRounds = 4;

  it('when two refreshes with the same token race, then exactly one succeeds', async () => {
    for (let round = 0; round < raceRounds; round++) {
      const pair = await login();
      const results = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    }
  });

  it('when two refreshes with the same token race, then the sign-in is revoked whichever finished first', async () => {
    for (let round = 0; round < raceRounds; round++) {
      const pair = await login();
      const results = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken)]);
      const winner = results.find((r) => r.status === 200)!.body as TokenPair;
      // The loser presented a token already used, which is how a stolen token looks: its family is revoked.
      await refresh(winner.refreshToken).expect(401);
    }
  });

  it('when the refresh token has expired, then 401', async () => {
    const pair = await login();
    t.clock.advance(t.container.config.refreshTokenTtlSeconds * 1000 + 1000);
    const res = await refresh(pair.refreshToken).expect(401);
    expect(res.body.detail).toMatch(/expired/);
  });

  it('when the refresh token is unknown, then 401', async () => {
    await refresh('nr_not-a-token-we-ever-issued').expect(401);
  });

  it('when signing out, then 204 and the refresh token and its rotations stop working', async () => {
    const first = await login();
    const second: TokenPair = (await refresh(first.refreshToken).expect(200)).body;
    await t.http().post('/v1/auth/logout').send({ refreshToken: second.refreshToken }).expect(204);
    await refresh(second.refreshToken).expect(401);
  });

  it('when signing out with an unknown refresh token, then 204 all the same', async () => {
    await t.http().post('/v1/auth/logout').send({ refreshToken: 'nr_unknown' }).expect(204);
  });

  it("when an admin changes the password, then the user's refresh tokens stop working and the new password signs in", async () => {
    const pair = await login();
    await t
      .http()
      .patch(`/v1/admin/users/${editor.user.id}`)
      .set(adminHeaders())
      .set('If-Match', '*')
      .send({ password: 'a-brand-new-password-42' })
      .expect(200);
    await refresh(pair.refreshToken).expect(401);
    await t.http().post('/v1/auth/login').send({ email: editor.user.email, password: testPassword }).expect(401);
    const again = await t.http().post('/v1/auth/login').send({ email: editor.user.email, password: 'a-brand-new-password-42' }).expect(200);
    await refresh(again.body.refreshToken).expect(200);
  });

  it("when an admin disables the user, then the user's refresh tokens stop working", async () => {
    const author = await t.signIn('author');
    const pair: TokenPair = (await t.http().post('/v1/auth/login').send({ email: author.user.email, password: testPassword }).expect(200))
      .body;
    await t
      .http()
      .patch(`/v1/admin/users/${author.user.id}`)
      .set(adminHeaders())
      .set('If-Match', `"${author.user.version}"`)
      .send({ isActive: false })
      .expect(200);
    await refresh(pair.refreshToken).expect(401);
  });
});
