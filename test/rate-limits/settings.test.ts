import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const configWith = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });

describe('rate-limit settings', () => {
  it('when nothing is set, then sign-ins, tokens and management calls are limited and public reads are not', () => {
    expect(configWith({}).rateLimits).toEqual({
      loginPerAccount: { points: 5, windowSeconds: 60 },
      loginPerAddress: { points: 100, windowSeconds: 900 },
      tokenPerAddress: { points: 50, windowSeconds: 900 },
      managementPerCaller: { points: 600, windowSeconds: 60 },
      publicPerAddress: null,
    });
    expect(configWith({}).trustProxy).toBe(false);
  });

  it('when limits are written as count/window in seconds, minutes or hours, or off, then they are read so', () => {
    const { rateLimits } = configWith({
      RATE_LIMIT_LOGIN: '10/90',
      RATE_LIMIT_LOGIN_PER_ADDRESS: '1000/1h',
      RATE_LIMIT_TOKENS_PER_ADDRESS: 'off',
      RATE_LIMIT_MANAGEMENT: '6000/10m',
      RATE_LIMIT_PUBLIC_PER_ADDRESS: '300/60s',
    });
    expect(rateLimits).toEqual({
      loginPerAccount: { points: 10, windowSeconds: 90 },
      loginPerAddress: { points: 1000, windowSeconds: 3600 },
      tokenPerAddress: null,
      managementPerCaller: { points: 6000, windowSeconds: 600 },
      publicPerAddress: { points: 300, windowSeconds: 60 },
    });
  });

  it('when a limit is not count/window, then the server does not start', () => {
    for (const value of ['5', '5 per minute', '0/60', '5/0', '-1/60', '5/1d']) {
      expect(() => configWith({ RATE_LIMIT_LOGIN: value }), value).toThrow(ConfigError);
    }
  });

  it('when TRUST_PROXY is a hop count, addresses or ranges, then express gets them; anything else does not start', () => {
    expect(configWith({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(configWith({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(configWith({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,fd00::/8, loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      'loopback',
    ]);
    // `true` would trust any X-Forwarded-For: a client could pick its own address.
    for (const value of ['true', '*', '10.0.0.0/33', 'proxy.example', '300.1.1.1']) {
      expect(() => configWith({ TRUST_PROXY: value }), value).toThrow(ConfigError);
    }
  });

  it('when PASSWORD_HASH_CONCURRENCY is unset, then half the libuv pool at most, below the CPU count, at least one', () => {
    expect(configWith({ PASSWORD_HASH_CONCURRENCY: '3' }).passwordHashConcurrency).toBe(3);
    const byDefault = configWith({ UV_THREADPOOL_SIZE: '16' }).passwordHashConcurrency;
    expect(byDefault).toBeGreaterThanOrEqual(1);
    expect(byDefault).toBeLessThanOrEqual(8);
    expect(configWith({ UV_THREADPOOL_SIZE: '2' }).passwordHashConcurrency).toBe(1);
  });
});
