import { expect, it, vi } from 'vitest';
import { describeEachDialect, testPassword, useTestApp } from '../support/test-app.ts';

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  status?: number;
  durationMs?: number;
  path?: string;
  actor?: string;
}

describeEachDialect('request logging and request ids', (dialect) => {
  const written: string[] = [];

  const { t, editor } = useTestApp(dialect, { logStream: { write: (line: string) => void written.push(line) }, roles: ['editor'] });

  // The access line is written when the response finishes, which may be just after the client has it.
  const accessLineOf = (requestId: string) =>
    vi.waitFor(() => {
      const line = written.map((l) => JSON.parse(l) as LogLine).find((l) => l.requestId === requestId && l.msg === 'request');
      if (!line) throw new Error(`no access log line for ${requestId} yet`);
      return line;
    });

  it('when a preview link is opened, then the log names the route but never the token', async () => {
    const draft = await t.container.services.articles.create(
      { title: 'Черновик для ссылки', body: [{ type: 'paragraph', text: 'Текст.' }] },
      { type: 'apiKey', apiKeyId: 'test', scopes: ['admin'] },
    );
    const link = (await t.http().post(`/v1/admin/articles/${draft.id}/preview`).set(editor.headers).expect(201)).body as {
      token: string;
      url: string;
    };
    const res = await t.http().get(link.url).expect(200);
    const line = await accessLineOf(res.headers['x-request-id'] as string);
    expect(line.path).toBe('/v1/preview/…');
    expect(written.join('\n')).not.toContain(link.token);
  });

  it('when a user signs in, then one JSON access line has the request id, status and duration, and no secret', async () => {
    const res = await t.http().post('/v1/auth/login').send({ email: editor.user.email, password: testPassword }).expect(200);
    const requestId = res.headers['x-request-id'] as string;
    const line = await accessLineOf(requestId);
    expect(line).toMatchObject({ requestId, status: 200, path: '/v1/auth/login', durationMs: expect.any(Number) });
    expect(line.durationMs).toBeGreaterThanOrEqual(0);

    const everything = written.join('\n');
    expect(everything).not.toContain(testPassword);
    expect(everything).not.toContain(res.body.accessToken);
    expect(everything).not.toContain(res.body.refreshToken);
  });

  it('when tokens are refreshed and used, then the log holds none of them', async () => {
    const login = await t.http().post('/v1/auth/login').send({ email: editor.user.email, password: testPassword }).expect(200);
    const refreshed = await t.http().post('/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
    const me = await t.http().get('/v1/auth/me').set('Authorization', `Bearer ${refreshed.body.accessToken}`).expect(200);
    await t.http().post('/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
    const line = await accessLineOf(me.headers['x-request-id'] as string);
    expect(line.actor).toBe(`user:${editor.user.id}`);

    const everything = written.join('\n');
    for (const secret of [login.body.accessToken, login.body.refreshToken, refreshed.body.accessToken, refreshed.body.refreshToken]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('when an API key is used, then the log names the key by id and never holds its secret', async () => {
    const key = await t.apiKey(['read']);
    const res = await t.http().get('/v1/admin/rubrics').set('X-API-Key', key.key).expect(200);
    const line = await accessLineOf(res.headers['x-request-id'] as string);
    expect(line.actor).toBe(`apiKey:${key.id}`);
    expect(written.join('\n')).not.toContain(key.key);
  });

  it('when every line is read, then each is JSON with a level, a time and a message', () => {
    expect(written.length).toBeGreaterThan(0);
    for (const raw of written) {
      const line = JSON.parse(raw) as LogLine & { time: string };
      expect(line).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });
      expect(new Date(line.time).toISOString()).toBe(line.time);
    }
  });

  it("when a request fails, then the problem's requestId is the X-Request-Id header and the log line's", async () => {
    const res = await t.http().get('/v1/admin/rubrics').expect(401);
    const requestId = res.headers['x-request-id'] as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.requestId).toBe(requestId);
    expect(await accessLineOf(requestId)).toMatchObject({ status: 401 });
  });

  it('when the caller sends a sane X-Request-Id, then it is echoed, used in the problem and logged', async () => {
    const res = await t.http().get('/v1/rubrics/no-such-rubric').set('X-Request-Id', 'frontend-42.retry:1').expect(404);
    expect(res.headers['x-request-id']).toBe('frontend-42.retry:1');
    expect(res.body.requestId).toBe('frontend-42.retry:1');
    expect(await accessLineOf('frontend-42.retry:1')).toMatchObject({ status: 404 });
  });

  it('when the caller sends an X-Request-Id that could forge log lines, then a fresh one replaces it', async () => {
    for (const insane of ['abc"} {"level":60', 'x'.repeat(200), 'two words']) {
      const res = await t.http().get('/v1/rubrics').set('X-Request-Id', insane).expect(200);
      expect(res.headers['x-request-id']).not.toBe(insane);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
