import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, type Instance, type SignedIn, type TestApp } from '../support/test-app.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

// Probed once for the run by the global setup: null when Redis is away (the run ends saying so; with CI=true it fails).
const redisUrl = inject('redisUrl');

const lostLine = /rate limits: Redis does not answer/;
const backLine = /rate limits: Redis answers again/;

/** The app's log lines, with a wait for lines to come (no polling: each written line is checked). */
function logLines() {
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  const count = (pattern: RegExp) => lines.filter((line) => pattern.test(line)).length;
  return {
    stream: {
      write: (line: string) => {
        lines.push(line);
        for (const wake of waiters.splice(0)) wake();
      },
    },
    count,
    /** Resolves once `n` lines match, failing after `ms` of real time. */
    async waitFor(pattern: RegExp, n: number, ms: number): Promise<void> {
      const deadline = Date.now() + ms;
      while (count(pattern) < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${n} log lines matching ${pattern}: not within ${ms} ms (${count(pattern)} so far)`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}

describe.skipIf(!redisUrl)('when Redis stops answering', () => {
  const log = logLines();
  let proxy: TcpProxy;
  let t: TestApp;
  let b: Instance;
  let editor: SignedIn;
  const failedLogin = (instance: { http: TestApp['http'] }, email: string) =>
    instance.http().post('/v1/auth/login').send({ email, password: 'not-the-password-at-all' });

  beforeAll(async () => {
    const target = new URL(redisUrl!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const proxied = new URL(redisUrl!);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    t = await createTestApp(
      'sqlite',
      {
        REDIS_URL: proxied.toString(),
        REDIS_CHANNEL: `test:${randomUUID()}`,
        RATE_LIMIT_REDIS_PREFIX: `test:${randomUUID()}`,
        // Two failures per e-mail: each failure is a password hash, slow on a busy machine.
        RATE_LIMIT_LOGIN: '2/1m',
      },
      { logStream: log.stream },
    );
    b = t.startInstance();
    editor = await t.signIn('editor');
  });

  afterAll(async () => {
    proxy?.resume();
    await t?.close();
    await proxy?.close();
  });

  it('then requests still answer, limited per instance (said once), and once it is back the limits are shared again', {
    timeout: 90_000,
  }, async () => {
    // Both instances count in Redis: a failure on A and one on B make two, so the next one is refused anywhere.
    await failedLogin(t, 'first@test.example').expect(401);
    await failedLogin(b, 'first@test.example').expect(401);
    await failedLogin(t, 'first@test.example').expect(429);

    proxy.pause();

    // A counts alone: two failures, then refused; B has counted none of them.
    for (let i = 0; i < 2; i++) await failedLogin(t, 'second@test.example').expect(401);
    await failedLogin(t, 'second@test.example').expect(429);
    await failedLogin(b, 'second@test.example').expect(401);
    // Every other request answers as usual.
    await t.http().get('/v1/admin/rubrics').set(editor.headers).expect(200);
    await b.http().get('/v1/admin/rubrics').set(editor.headers).expect(200);
    expect(t.container.rateLimits.isShared()).toBe(false);
    expect(b.container.rateLimits.isShared()).toBe(false);
    // Once per instance, however many requests met the outage.
    expect(log.count(lostLine)).toBe(2);

    proxy.resume();
    await log.waitFor(backLine, 2, 10_000);
    expect(t.container.rateLimits.isShared()).toBe(true);
    expect(b.container.rateLimits.isShared()).toBe(true);
    expect(log.count(lostLine)).toBe(2);

    await failedLogin(t, 'third@test.example').expect(401);
    await failedLogin(b, 'third@test.example').expect(401);
    await failedLogin(t, 'third@test.example').expect(429);
  });
});
