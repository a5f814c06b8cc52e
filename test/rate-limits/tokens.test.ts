import { expect, it } from 'vitest';
import { describeEachDialect, testPassword, useTestApp } from '../support/test-app.ts';

describeEachDialect('failed token uses', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'], env: { RATE_LIMIT_TOKENS_PER_ADDRESS: '3/1m' } });

  const signIn = async (): Promise<{ refreshToken: string }> =>
    (await t.http().post('/v1/auth/login').send({ email: editor.user.email, password: testPassword }).expect(200)).body;
  const refresh = (refreshToken: string) => t.http().post('/v1/auth/refresh').send({ refreshToken });

  it('when refresh tokens succeed, then they do not count; when tokens and preview links fail, then the address is refused', async () => {
    let pair = await signIn();
    for (let i = 0; i < 5; i++) pair = (await refresh(pair.refreshToken).expect(200)).body;

    const failed = await refresh('nr_not-a-token-of-ours').expect(401);
    expect(failed.headers['ratelimit-policy']).toBe('"token-address";q=3;w=60');
    await refresh('nr_nor-is-this-one').expect(401);
    await t.http().get('/v1/preview/not-a-preview-link').expect(404);

    const refused = await refresh(pair.refreshToken).expect(429);
    expect(refused.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await t.http().get('/v1/preview/another-guess').expect(429);
  });
});
