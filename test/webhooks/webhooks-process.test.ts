import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startReceiver } from './receiver.ts';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cms-webhooks-'));
const database = `file:${join(dir, 'webhooks.db')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const admin = { email: 'chief@newsroom.example', password: 'a-long-admin-password' };

function startServer(env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; port: number; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'src/main.ts')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', CMS_DEMO: 'false', DATABASE_URL: database,
      CMS_ADMIN_EMAIL: admin.email, CMS_ADMIN_PASSWORD: admin.password,
      WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_INTERVAL_MS: '50', WEBHOOK_TIMEOUT_MS: '500', ...env,
    },
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      for (const line of data.toString().split('\n').filter(Boolean)) {
        output.push(line);
        const match = /"url":"http:\/\/[^:]+:(\d+)"/.exec(line);
        if (match) resolve({ child, port: Number(match[1]), exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output.join('\n')}`)));
  });
}

async function call(port: number, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('webhook delivery across crashes', () => {
  it('when the server is killed after the commit and again in the middle of the delivery, then the event is delivered after the next start', async () => {
    const receiver = await startReceiver();
    let hang = true;
    receiver.answerWith(() => (hang ? new Promise(() => {}) : { status: 200 }));
    try {
      // The first server commits the change and dies before any worker runs.
      const first = await startServer({ WEBHOOK_WORKER: 'off' });
      const token = (await call(first.port, 'POST', '/v1/auth/login', admin)).body.accessToken as string;
      expect((await call(first.port, 'POST', '/v1/admin/webhooks', { url: receiver.url(), events: ['rubric.created'] }, token)).status).toBe(201);
      const rubric = await call(first.port, 'POST', '/v1/admin/rubrics', { name: 'Рубрика до сбоя' }, token);
      expect(rubric.status).toBe(201);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(receiver.requests).toHaveLength(0);

      // The second one starts delivering and dies with the request in flight.
      const second = await startServer({});
      await vi.waitFor(() => expect(receiver.requests).toHaveLength(1), { timeout: 15_000, interval: 50 });
      second.child.kill('SIGKILL');
      await second.exited;

      // The third takes the queue over when the dead worker's lease runs out.
      hang = false;
      const third = await startServer({});
      try {
        await vi.waitFor(() => expect(receiver.requests).toHaveLength(2), { timeout: 20_000, interval: 50 });
        expect(receiver.requests.map((r) => r.json.data.id)).toEqual([rubric.body.id, rubric.body.id]);
        expect(receiver.requests[1]!.headers['webhook-id']).toBe(receiver.requests[0]!.headers['webhook-id']);
      } finally {
        third.child.kill('SIGTERM');
        await third.exited;
      }
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
