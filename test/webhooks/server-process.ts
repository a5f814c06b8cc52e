import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../../', import.meta.url).pathname;
// The server runs in this one process (tsx as a loader, not its CLI, which would start another): a signal, SIGKILL too, reaches the server itself.
const tsxLoader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;

/** The first admin every started server creates (or finds) from its environment. */
export const admin = { email: 'chief@newsroom.example', password: 'a-long-admin-password' };

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  port: number;
  exited: Promise<unknown>;
}

/** `npm start` as a newsroom runs it, in a process of its own, with webhooks allowed to reach 127.0.0.1. */
export function startServer(databaseUrl: string, cwd: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', tsxLoader, join(root, 'src/main.ts')], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      LOG_LEVEL: 'info',
      CMS_DEMO: 'false',
      DATABASE_URL: databaseUrl,
      CMS_ADMIN_EMAIL: admin.email,
      CMS_ADMIN_PASSWORD: admin.password,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_TIMEOUT_MS: '500',
      ...env,
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

/** One JSON request to a started server. */
export async function call(port: number, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
