import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.ts';

// Public reads limited to 2 a minute per address, so that who the client is shows in the third answer.
const limited = { RATE_LIMIT_PUBLIC_PER_ADDRESS: '2/1m' };

describe('the client address rate limits count under', () => {
  describe('by default (TRUST_PROXY unset)', () => {
    const { t } = useTestApp('sqlite', { env: limited });

    it('when each request names another client in X-Forwarded-For, then they are all counted as the socket address', async () => {
      await t.http().get('/health').set('X-Forwarded-For', '198.51.100.1').expect(200);
      await t.http().get('/health').set('X-Forwarded-For', '198.51.100.2').expect(200);
      const refused = await t.http().get('/health').set('X-Forwarded-For', '198.51.100.3').expect(429);
      expect(refused.body.code).toBe('rate_limited');
    });
  });

  describe('with TRUST_PROXY=loopback (a proxy on this host)', () => {
    const { t } = useTestApp('sqlite', { env: { ...limited, TRUST_PROXY: 'loopback' } });

    it('when X-Forwarded-For names clients, then each client has its own count', async () => {
      await t.http().get('/health').set('X-Forwarded-For', '198.51.100.1').expect(200);
      await t.http().get('/health').set('X-Forwarded-For', '198.51.100.1').expect(200);
      await t.http().get('/health').set('X-Forwarded-For', '198.51.100.1').expect(429);
      await t.http().get('/health').set('X-Forwarded-For', '198.51.100.2').expect(200);
    });

    it('when clients share an IPv6 /64, then they share a count; another /64 has its own', async () => {
      await t.http().get('/health').set('X-Forwarded-For', '2001:db8:0:1::1').expect(200);
      await t.http().get('/health').set('X-Forwarded-For', '2001:db8:0:1:ffff::2').expect(200);
      await t.http().get('/health').set('X-Forwarded-For', '2001:db8:0:1::3').expect(429);
      await t.http().get('/health').set('X-Forwarded-For', '2001:db8:0:2::1').expect(200);
    });
  });

  describe('with TRUST_PROXY=1 (one proxy hop)', () => {
    const { t } = useTestApp('sqlite', { env: { ...limited, TRUST_PROXY: '1' } });

    it('when a client puts addresses of its own before the one the proxy added, then they are ignored', async () => {
      await t.http().get('/health').set('X-Forwarded-For', '203.0.113.1, 198.51.100.7').expect(200);
      await t.http().get('/health').set('X-Forwarded-For', '203.0.113.2, 198.51.100.7').expect(200);
      await t.http().get('/health').set('X-Forwarded-For', '203.0.113.3, 198.51.100.7').expect(429);
      await t.http().get('/health').set('X-Forwarded-For', '198.51.100.8').expect(200);
    });
  });
});
