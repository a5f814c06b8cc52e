import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
// The server runs in this one process (tsx as a loader, not its CLI, which would start another): a signal, SIGKILL too, reaches the server itself.
const tsxLoader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'cms-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  child: ChildProcessWithoutNullStreams;
  port: number;
  lines: () => string[];
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['--import', tsxLoader, join(root, 'src/main.ts')], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', CMS_DEMO: 'false', ...env },
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      for (const line of data.toString().split('\n').filter(Boolean)) {
        output.push(line);
        const match = /"url":"http:\/\/[^:]+:(\d+)"/.exec(line);
        if (match) resolve({ child, port: Number(match[1]), lines: () => output, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output.join('\n')}`)));
  });
}

describe('the server process', () => {
  it('when it gets SIGTERM, then it finishes the in-flight request, closes the database and exits 0', async () => {
    const server = await startServer({ DATABASE_URL: `file:${join(dir, 'graceful.db')}` });
    const body = JSON.stringify({ email: 'nobody@test.example', password: 'wrong-password-123' });
    // A request whose body is only half sent is in flight when the signal arrives.
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          port: server.port,
          method: 'POST',
          path: '/v1/auth/login',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 200);
    });
    const answered = await response;
    expect(answered.status).toBe(401);
    expect(JSON.parse(answered.body).requestId).toBeTruthy();
    expect(await server.exited).toBe(0);
    const logs = server.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['listening', 'shutting down: finishing in-flight requests', 'request', 'shutdown complete']),
    );
    expect(logs.every((l) => typeof l.time === 'string' && (l.time as string).endsWith('Z'))).toBe(true);
    expect(server.lines().join('\n')).not.toContain('wrong-password-123');
  });

  it('when it gets SIGTERM with real-time streams open, then it ends them cleanly and exits 0 without waiting for them', async () => {
    const server = await startServer({ DATABASE_URL: `file:${join(dir, 'streams.db')}`, SHUTDOWN_TIMEOUT_MS: '20000' });
    const ended = new Promise<{ text: string; at: number }>((resolve, reject) => {
      const req = request({ port: server.port, path: '/v1/stream?topics=feed' }, (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
          if (text.includes('retry:')) server.child.kill('SIGTERM');
        });
        res.on('end', () => resolve({ text, at: Date.now() }));
      });
      req.on('error', reject);
      req.end();
    });
    const signalledAt = Date.now();
    const { text, at } = await ended;
    expect(text).toContain('retry:');
    expect(await server.exited).toBe(0);
    // Well before the shutdown timeout, which is what an open stream would otherwise have waited for.
    expect(at - signalledAt).toBeLessThan(10_000);
  });

  it('when NODE_ENV=production and JWT_SECRET is missing or weak, then it refuses to start with a clear message', async () => {
    for (const secret of [undefined, 'short', 'a'.repeat(40)]) {
      const child = spawn(process.execPath, ['--import', tsxLoader, join(root, 'src/main.ts')], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'production',
          DATABASE_URL: `file:${join(dir, 'prod.db')}`,
          ...(secret ? { JWT_SECRET: secret } : {}),
        },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toMatch(/JWT_SECRET must be set to a random string of at least 32 characters/);
      expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('when started on a fresh checkout with CMS_ADMIN_EMAIL and CMS_ADMIN_PASSWORD, then the database is created and that admin can sign in', async () => {
    // A relative path in folders that do not exist yet, as on a fresh checkout's ./data/cms.db.
    const server = await startServer({
      DATABASE_URL: 'file:./fresh-checkout/data/cms.db',
      CMS_ADMIN_EMAIL: 'chief@newsroom.example',
      CMS_ADMIN_PASSWORD: 'a-long-admin-password',
    });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'chief@newsroom.example', password: 'a-long-admin-password' }),
      });
      expect(res.status).toBe(200);
      const me = await fetch(`http://127.0.0.1:${server.port}/v1/auth/me`, {
        headers: { authorization: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}` },
      });
      expect(((await me.json()) as { user: { role: string } }).user.role).toBe('admin');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
