import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.ts';

describe('public reads', () => {
  describe('by default', () => {
    const { t } = useTestApp('sqlite');

    it('when one address reads a lot, then it is not limited and no RateLimit header is sent', async () => {
      for (let i = 0; i < 30; i++) {
        const res = await t.http().get('/v1/rubrics').expect(200);
        expect(res.headers.ratelimit).toBeUndefined();
        expect(res.headers['ratelimit-policy']).toBeUndefined();
      }
    });
  });

  describe('with RATE_LIMIT_PUBLIC_PER_ADDRESS=3/1m', () => {
    const { t } = useTestApp('sqlite', { env: { RATE_LIMIT_PUBLIC_PER_ADDRESS: '3/1m', PUBLIC_CACHE: 'on' } });

    it('when an address reads more than the limit in a minute, then 429, stored answers included', async () => {
      for (let i = 1; i <= 3; i++) {
        const res = await t.http().get('/v1/rubrics').expect(200);
        expect(res.headers['ratelimit-policy']).toBe('"public";q=3;w=60');
        expect(res.headers.ratelimit).toMatch(new RegExp(`^"public";r=${3 - i};t=\\d+$`));
        // The first answer is made and stored; the next ones come from the store (Age) and count all the same.
        expect(res.headers.age !== undefined).toBe(i > 1);
      }
      const refused = await t.http().get('/v1/rubrics').expect(429);
      expect(refused.type).toBe('application/problem+json');
      expect(refused.body).toMatchObject({ status: 429, code: 'rate_limited' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Nothing about a refusal is kept by a cache on the way.
      expect(refused.headers['cache-control']).toBe('no-store');
    });
  });
});
