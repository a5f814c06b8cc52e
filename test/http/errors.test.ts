import { Writable } from 'node:stream';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { UnauthorizedError } from '../../src/errors.ts';
import { createLogger } from '../../src/http/logger.ts';
import { defineRoute } from '../../src/http/route.ts';
import { z } from '../../src/shared/zod.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

describe('an unexpected error', () => {
  const logLines: string[] = [];
  const app = createApp({
    config: { corsOrigins: [], bodyLimit: '1kb' },
    logger: createLogger(
      'error',
      new Writable({
        write: (chunk, _enc, done) => {
          logLines.push(String(chunk));
          done();
        },
      }),
    ),
    authenticate: async () => {
      throw new UnauthorizedError();
    },
    modules: [
      {
        adminRoutes: [],
        publicRoutes: [
          defineRoute({
            method: 'get',
            path: '/boom',
            operationId: 'boom',
            summary: 'Fails',
            tag: 'Test',
            access: { public: true },
            handler: async () => {
              throw new Error('SELECT "passwordHash" FROM "User" failed');
            },
          }),
          defineRoute({
            method: 'post',
            path: '/echo',
            operationId: 'echo',
            summary: 'Echoes',
            tag: 'Test',
            access: { public: true },
            body: z.strictObject({ text: z.string() }),
            response: z.object({ text: z.string() }),
            handler: async ({ body }) => body,
          }),
        ],
      },
    ],
  });

  it('when a handler throws, then 500 problem+json with the request id and no message, stack or SQL; the log has them', async () => {
    const res = await supertest(app).get('/boom').expect(500);
    expect(res.type).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 500, code: 'internal_error', requestId: res.headers['x-request-id'] });
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|passwordHash|at .*\.ts/);
    const logged = logLines.map((l) => JSON.parse(l) as { requestId?: string; err?: { message: string } }).find((l) => l.err);
    expect(logged).toMatchObject({ requestId: res.headers['x-request-id'], err: { message: expect.stringContaining('SELECT') } });
  });

  it('when the body is over the limit, then 413', async () => {
    const res = await supertest(app)
      .post('/echo')
      .send({ text: 'ж'.repeat(2000) })
      .expect(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('when the body is malformed JSON, then 400', async () => {
    const res = await supertest(app).post('/echo').set('content-type', 'application/json').send('{"text": ').expect(400);
    expect(res.body.detail).toMatch(/not valid JSON/);
  });

  it('when the body is not JSON, then 415', async () => {
    await supertest(app).post('/echo').set('content-type', 'text/plain').send('text=1').expect(415);
    await supertest(app).post('/echo').type('form').send({ text: '1' }).expect(415);
  });

  it('when the body has an unknown field, then 422 naming it', async () => {
    const res = await supertest(app).post('/echo').send({ text: 'a', extra: 1 }).expect(422);
    expect(res.body.errors).toEqual([{ field: 'body.extra', message: 'Unknown field: extra' }]);
  });

  it('when the route does not exist, then 404 problem+json', async () => {
    const res = await supertest(app).get('/nowhere').expect(404);
    expect(res.type).toBe('application/problem+json');
  });

  it('when a route declares no access rule, then the app does not build', () => {
    const route = { method: 'get', path: '/x', operationId: 'x', summary: 'x', tag: 'x', handler: async () => ({}) };
    expect(() =>
      createApp({
        config: { corsOrigins: [], bodyLimit: '1kb' },
        logger: createLogger('silent'),
        authenticate: async () => {
          throw new Error();
        },
        modules: [{ adminRoutes: [route as never], publicRoutes: [] }],
      }),
    ).toThrow(/declares no access rule/);
  });
});

describeEachDialect('health', (dialect) => {
  const { t } = useTestApp(dialect);

  it('when the database answers, then /health and /ready are ok', async () => {
    await t.http().get('/health').expect(200, { status: 'ok' });
    await t.http().get('/ready').expect(200, { status: 'ok' });
  });

  it('when a query parameter is bad, then 400 naming it', async () => {
    const res = await t.http().get('/v1/rubrics?limit=1000').expect(400);
    expect(res.body.errors[0].field).toBe('query.limit');
    await t.http().get('/v1/rubrics?cursor=not-a-cursor').expect(400);
    await t.http().get('/v1/rubrics?limit=5&surprise=1').expect(400);
  });
});

describeEachDialect('caching headers', (dialect) => {
  const { t } = useTestApp(dialect);

  it('when a front end reads, then the answer is publicly cacheable; management answers are never stored', async () => {
    const editor = await t.signIn('editor');
    expect((await t.http().get('/v1/rubrics').expect(200)).headers['cache-control']).toMatch(
      /^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+$/,
    );
    expect((await t.http().get('/v1/admin/rubrics').set(editor.headers).expect(200)).headers['cache-control']).toBe('no-store');
    expect((await t.http().get('/v1/auth/me').set(editor.headers).expect(200)).headers['cache-control']).toBe('no-store');
  });

  it('when the database is unreachable, then /ready answers 503 and /health still 200', async () => {
    const { createContainer } = await import('../../src/container.ts');
    const { loadConfig } = await import('../../src/config.ts');
    const down = createContainer(
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgresql://root@127.0.0.1:1/none', LOG_LEVEL: 'silent' }),
      { logger: createLogger('silent') },
    );
    await supertest(down.app).get('/ready').expect(503, { status: 'unavailable' });
    await supertest(down.app).get('/health').expect(200);
    await down.close();
  });
});
