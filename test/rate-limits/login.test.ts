import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { describeEachDialect, testPassword, useTestApp, type TestApp } from '../support/test-app.ts';

// Probed once for the run by the global setup: null when Redis is away (the run ends saying so; with CI=true it fails).
const redisUrl = inject('redisUrl');

const wrongPassword = 'not-the-password-at-all';
const login = (http: TestApp['http'], email: string, password = wrongPassword) => http().post('/v1/auth/login').send({ email, password });

describeEachDialect('failed sign-ins', (dialect) => {
  const { t, admin } = useTestApp(dialect, {
    roles: ['admin'],
    users: { maria: { role: 'editor', email: 'maria@test.example' }, ivan: { role: 'author', email: 'ivan@test.example' } },
    env: { RATE_LIMIT_LOGIN: '5/1m', RATE_LIMIT_LOGIN_PER_ADDRESS: '20/15m' },
  });
  const failedSignInsOf = async (email: string) => {
    const log = await t.http().get('/v1/admin/audit').query({ action: 'auth.login_failed', limit: 100 }).set(admin.headers).expect(200);
    return (log.body.items as Array<{ details: { email: string } }>).filter((event) => event.details.email === email).length;
  };

  it('when an e-mail fails five times in a minute from one address, then the sixth try is refused (429) before any check', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await login(t.http, 'maria@test.example').expect(401);
      expect(res.headers['ratelimit-policy']).toBe('"login";q=5;w=60, "login-address";q=20;w=900');
      expect(res.headers.ratelimit).toMatch(new RegExp(`^"login";r=${5 - i};t=\\d+, "login-address";r=${20 - i};t=\\d+$`));
    }

    const refused = await login(t.http, 'maria@test.example').expect(429);
    expect(refused.type).toBe('application/problem+json');
    expect(refused.body).toMatchObject({ status: 429, code: 'rate_limited', title: 'Too many requests' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['ratelimit-policy']).toBe('"login";q=5;w=60, "login-address";q=20;w=900');
    expect(refused.headers.ratelimit).toMatch(/^"login";r=0;t=\d+, "login-address";r=\d+;t=\d+$/);
    // Even the right password: nothing is checked until the window ends.
    await login(t.http, 'maria@test.example', testPassword).expect(429);
    // The refused tries never reached the sign-in (it records each failure it checks).
    expect(await failedSignInsOf('maria@test.example')).toBe(5);
    // Another e-mail from the same address is its own count.
    await login(t.http, 'ivan@test.example', testPassword).expect(200);
  });

  it('when a sign-in succeeds, then the failures of its e-mail are forgotten', async () => {
    for (let i = 0; i < 4; i++) await login(t.http, 'ivan@test.example').expect(401);
    await login(t.http, 'ivan@test.example', testPassword).expect(200);
    for (let i = 0; i < 5; i++) await login(t.http, 'ivan@test.example').expect(401);
    await login(t.http, 'ivan@test.example').expect(429);
  });

  it('when an address fails with many e-mails, then it is refused for any e-mail once it passes the limit per address', async () => {
    // Earlier tests used 14 of the 20 failures this address may have (neither a success nor a refused try counts).
    const left = Number(/"login-address";r=(\d+)/.exec((await login(t.http, 'nobody-1@test.example').expect(401)).headers.ratelimit!)![1]);
    for (let i = 0; i < left; i++) await login(t.http, `nobody-${i + 2}@test.example`).expect(401);
    const refused = await login(t.http, 'somebody-else@test.example').expect(429);
    expect(refused.body.detail).toMatch(/from this address/);
  });
});

describe.skipIf(!redisUrl)('failed sign-ins with Redis', () => {
  describeEachDialect('counted across instances', (dialect) => {
    const { t } = useTestApp(dialect, {
      users: { maria: { role: 'editor', email: 'maria@test.example' } },
      // A prefix of its own, so that files running at the same time count apart.
      env: { REDIS_URL: redisUrl ?? '', REDIS_CHANNEL: `test:${randomUUID()}`, RATE_LIMIT_REDIS_PREFIX: `test:${randomUUID()}` },
    });

    it('when an e-mail fails five times on instance A, then the sixth try is refused on instance B too', async () => {
      const b = t.startInstance();
      for (let i = 0; i < 5; i++) await login(t.http, 'maria@test.example').expect(401);
      const refused = await login(b.http, 'maria@test.example', testPassword).expect(429);
      expect(refused.body.code).toBe('rate_limited');
      expect(refused.headers['retry-after']).toBeDefined();
      expect(t.container.rateLimits.isShared()).toBe(true);
    });
  });
});
