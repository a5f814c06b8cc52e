import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SeededContent } from './seed.ts';

export interface CmsServerOptions {
  /** Published articles seeded before the server listens. */
  articles: number;
  logLevel: 'info' | 'warn' | 'silent';
  /** Configuration on top of the production defaults (e.g. the public cache switched off). */
  env?: Record<string, string>;
}

export type ServerMessage =
  | { type: 'ready'; url: string; seeded?: SeededContent; seedSeconds?: number; isSeedReused?: boolean; mediaDir?: string }
  | { type: 'error'; message: string };

export interface RunningServer {
  url: string;
  seeded?: SeededContent;
  seedSeconds?: number;
  /** The database was copied from an earlier run's seed rather than seeded now. */
  isSeedReused?: boolean;
  /** The CMS's local media folder, where a scenario may place a stored file directly. */
  mediaDir?: string;
  /** The server's process id (its memory is read from it). */
  pid?: number;
  stop: () => Promise<void>;
}

const entry = fileURLToPath(new URL('./server-process.ts', import.meta.url));

/** Forks bench/server-process.ts and waits until it listens on 127.0.0.1. */
function startServer(args: string[], timeoutMs: number): Promise<RunningServer> {
  const child: ChildProcess = fork(entry, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the ${args[0]} server did not start within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('message', (message: ServerMessage) => {
      clearTimeout(timer);
      if (message.type === 'error') return reject(new Error(`the ${args[0]} server failed to start:\n${message.message}`));
      resolve({
        url: message.url,
        ...(message.seeded ? { seeded: message.seeded } : {}),
        ...(message.seedSeconds !== undefined ? { seedSeconds: message.seedSeconds } : {}),
        isSeedReused: message.isSeedReused ?? false,
        ...(message.mediaDir ? { mediaDir: message.mediaDir } : {}),
        ...(child.pid ? { pid: child.pid } : {}),
        stop,
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${args[0]} server exited with code ${code} before it was ready`));
    });
  });
}

export const startBaselineServer = () => startServer(['baseline'], 30_000);

// Seeding 10,000 articles takes minutes the first time; later runs copy the saved database (bench/.cache/).
export const startCmsServer = (options: CmsServerOptions) => startServer(['cms', JSON.stringify(options)], 1_800_000);
