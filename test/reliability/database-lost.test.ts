import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createContainer, type Container } from '../../src/container.ts';
import { translatePrismaError } from '../../src/db/prisma-errors.ts';
import { createLogger } from '../../src/http/logger.ts';
import { createTestDatabase, testedDialects } from '../support/test-app.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

// A partition cannot be made on SQLite (a file in process): this is PostgreSQL's, and CI runs it there.
describe.skipIf(!testedDialects().includes('postgresql'))('when PostgreSQL stops answering [postgresql]', () => {
  let database: { url: string; drop: () => Promise<void> };
  let proxy: TcpProxy;
  let container: Container;
  let editorHeaders: Record<string, string>;
  let proxiedUrl: string;
  // A client that gives up: without the server's timeouts a request would hang, and fail here instead of the suite hanging.
  const http = () => supertest(container.app);
  const timed = async <T>(request: () => PromiseLike<T>) => {
    const started = Date.now();
    const response = await request();
    return { response, ms: Date.now() - started };
  };

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    proxiedUrl = proxied.toString();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: proxiedUrl,
      JWT_SECRET: 'test-secret-0123456789-abcdefghijklmnop',
      LOG_LEVEL: 'silent',
      PUBLIC_CACHE: 'off',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '1000',
    });
    container = createContainer(config, { logger: createLogger('silent') });
    const editor = await container.services.users.create({
      email: 'editor@test.example',
      password: 'correct-horse-battery-staple',
      displayName: 'Редактор',
      role: 'editor',
    });
    const { pair } = await container.services.auth.startSession(editor.id);
    editorHeaders = { Authorization: `Bearer ${pair.accessToken}` };
  });

  afterAll(async () => {
    proxy?.resume();
    await container?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('then /ready and requests answer 503 at once, and once it is back the server serves again by itself', async () => {
    // Connections are open and pooled, as in a server that has been serving.
    await http().get('/ready').timeout(10_000).expect(200, { status: 'ok' });
    await http().get('/v1/rubrics').timeout(10_000).expect(200);
    await http().post('/v1/admin/rubrics').set(editorHeaders).send({ name: 'До сбоя' }).timeout(10_000).expect(201);

    proxy.pause();

    const ready = await timed(() => http().get('/ready').timeout(5000));
    expect(ready.response.status).toBe(503);
    expect(ready.response.body).toEqual({ status: 'unavailable' });
    expect(ready.ms).toBeLessThan(2000);

    for (const request of [
      () => http().get('/v1/rubrics').timeout(8000),
      () => http().post('/v1/admin/rubrics').set(editorHeaders).send({ name: 'Во время сбоя' }).timeout(8000),
    ]) {
      // Within the statement timeout (1 s) and the client's grace (1 s) for a pooled connection, or the connect timeout for a new one.
      const { response, ms } = await timed(request);
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 503, code: 'database_unavailable' });
      expect(response.headers['retry-after']).toBe('5');
      expect(ms).toBeLessThan(4000);
    }

    proxy.resume();

    // No restart: held connections answer or time out, and the pool opens new ones.
    await expect.poll(async () => (await http().get('/ready').timeout(5000)).status, { timeout: 15_000, interval: 250 }).toBe(200);
    await http().get('/v1/rubrics').timeout(5000).expect(200);
    await http().post('/v1/admin/rubrics').set(editorHeaders).send({ name: 'После сбоя' }).timeout(5000).expect(201);
  });

  it('with the default 30 s statement timeout, then the answer watch fails requests within about 2 s, and at once after that', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: proxiedUrl,
      JWT_SECRET: 'test-secret-0123456789-abcdefghijklmnop',
      LOG_LEVEL: 'silent',
      PUBLIC_CACHE: 'off',
    });
    expect(config.databaseTimeouts.statementMs).toBe(30_000);
    const watched = createContainer(config, { logger: createLogger('silent') });
    try {
      await supertest(watched.app).get('/v1/rubrics').timeout(10_000).expect(200);
      // A slow statement on a database that answers is not an outage: the watch's check answers, nothing fails.
      const slow = watched.db.prisma.$queryRawUnsafe('SELECT 1 AS one FROM pg_sleep(2.5)');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await supertest(watched.app).get('/v1/rubrics').timeout(5000).expect(200);
      await slow;
      await supertest(watched.app).get('/v1/rubrics').timeout(5000).expect(200);

      proxy.pause();
      // The first request's statement hangs: after a second the watch's SELECT 1 goes unanswered for a second more.
      const first = await timed(() => supertest(watched.app).get('/v1/rubrics').timeout(8000));
      expect(first.response.status).toBe(503);
      expect(first.response.body).toMatchObject({ code: 'database_unavailable' });
      expect(first.ms).toBeLessThan(4000);
      // Then nothing waits: every request and /ready fail at once while the database is away.
      for (const path of ['/v1/rubrics', '/v1/tags', '/ready']) {
        const next = await timed(() => supertest(watched.app).get(path).timeout(8000));
        expect(next.response.status).toBe(503);
        expect(next.ms).toBeLessThan(1000);
      }
      proxy.resume();
      await expect
        .poll(async () => (await supertest(watched.app).get('/v1/rubrics').timeout(5000)).status, { timeout: 15_000, interval: 250 })
        .toBe(200);
    } finally {
      proxy.resume();
      await watched.close();
    }
  });

  it('when a statement runs past DATABASE_STATEMENT_TIMEOUT_MS, then PostgreSQL cancels it: database_unavailable', async () => {
    const error = await container.db.prisma.$queryRawUnsafe('SELECT pg_sleep(5)').catch((e: unknown) => e);
    expect(String(error)).toMatch(/statement timeout/);
    expect(translatePrismaError(error)?.code).toBe('database_unavailable');
  });

  it('when a transaction idles past DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS, then PostgreSQL ends it: database_unavailable', async () => {
    const error = await container.db.prisma
      .$transaction(async (tx) => {
        await tx.$queryRawUnsafe('SELECT 1');
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await tx.$queryRawUnsafe('SELECT 1');
      })
      .catch((e: unknown) => e);
    expect(translatePrismaError(error)?.code).toBe('database_unavailable');
    expect(await container.db.isReachable()).toBe(true);
  });
});

describe('when the database refuses connections', () => {
  it('then a request answers 503 database_unavailable with Retry-After, and /ready 503', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgresql://root@127.0.0.1:1/none', LOG_LEVEL: 'silent' });
    const down = createContainer(config, { logger: createLogger('silent') });
    try {
      const res = await supertest(down.app).get('/v1/rubrics').timeout(10_000).expect(503);
      expect(res.body).toMatchObject({ code: 'database_unavailable', title: 'Database unavailable' });
      expect(res.headers['retry-after']).toBe('5');
      await supertest(down.app).get('/ready').timeout(10_000).expect(503, { status: 'unavailable' });
    } finally {
      await down.close();
    }
  });
});
