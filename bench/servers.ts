import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchDialect } from './databases.ts';
import type { SeededContent } from './seed.ts';

/** Where a CMS keeps its data: a copy of the seed file (SQLite) or a database of its own (PostgreSQL). */
export type CmsDatabase = { dialect: 'sqlite'; seedFile: string } | { dialect: 'postgresql'; url: string };

export interface CmsServerOptions {
  database: CmsDatabase;
  logLevel: 'info' | 'warn' | 'silent';
  /** Configuration on top of the production defaults (e.g. the public cache switched off). */
  env?: Record<string, string>;
}

export interface LimitServerOptions {
  dialect: BenchDialect;
  /** The SQLite file (opened read-only) or the PostgreSQL URL. */
  database: string;
}

export interface SeedOptions {
  articles: number;
  /** Where the seeded database is saved (and its SeededContent, as `<file>.json`). */
  file: string;
}

export type ServerMessage =
  | { type: 'ready'; url: string; mediaDir?: string }
  | { type: 'seeded'; seedSeconds: number }
  | { type: 'profiled'; file: string }
  | { type: 'error'; message: string };

/** Asks a running server to start its CPU profiler, or to stop it and write the profile. */
export type ServerRequest = { type: 'profile-start' } | { type: 'profile-stop'; file: string };

export interface RunningServer {
  url: string;
  database?: BenchDialect;
  seeded?: SeededContent;
  /** The CMS's local media folder, where a scenario may place a stored file directly. */
  mediaDir?: string;
  /** The server's process id (its memory is read from it). */
  pid?: number;
  /** Samples the server process's CPU (the V8 profiler, as `node --cpu-prof` does) between start and stop. */
  profiler: { start: () => Promise<void>; stop: (file: string) => Promise<void> };
  stop: () => Promise<void>;
}

const entry = fileURLToPath(new URL('./server-process.ts', import.meta.url));

/** Forks bench/server-process.ts and waits for its first message (listening on 127.0.0.1, or seeded). */
function startProcess(kind: string, options: object, timeoutMs: number) {
  const child: ChildProcess = fork(entry, [kind, JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const message = new Promise<Exclude<ServerMessage, { type: 'error' }>>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the ${kind} process did not answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('message', (message: ServerMessage) => {
      clearTimeout(timer);
      if (message.type === 'error') return reject(new Error(`the ${kind} process failed:\n${message.message}`));
      resolve(message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${kind} process exited with code ${code} before it answered`));
    });
  });
  /** Sends a request and waits for the answer of that type. */
  const ask = (request: ServerRequest, answer: ServerMessage['type']) =>
    new Promise<void>((resolve, reject) => {
      const onMessage = (message: ServerMessage) => {
        if (message.type !== answer && message.type !== 'error') return;
        child.off('message', onMessage);
        if (message.type === 'error') reject(new Error(`the ${kind} process failed:\n${message.message}`));
        else resolve();
      };
      child.on('message', onMessage);
      child.send(request);
    });
  return { message, stop, ask, pid: child.pid };
}

async function startServer(kind: string, options: object, timeoutMs: number): Promise<RunningServer> {
  const { message, stop, ask, pid } = startProcess(kind, options, timeoutMs);
  const ready = await message;
  if (ready.type !== 'ready') throw new Error(`the ${kind} process answered ${ready.type}`);
  return {
    url: ready.url,
    ...(ready.mediaDir ? { mediaDir: ready.mediaDir } : {}),
    ...(pid ? { pid } : {}),
    profiler: {
      start: () => ask({ type: 'profile-start' }, 'profiled'),
      stop: (file) => ask({ type: 'profile-stop', file }, 'profiled'),
    },
    stop,
  };
}

export const startBaselineServer = () => startServer('baseline', {}, 30_000);

export const startLimitServer = (options: LimitServerOptions) => startServer('limit', options, 30_000);

export const startCmsServer = (options: CmsServerOptions) => startServer('cms', options, 120_000);

/** Seeds through the services in a process of its own (minutes for 10,000 articles) and saves the database. */
export async function seedDatabase(options: SeedOptions): Promise<number> {
  const { message } = startProcess('seed', options, 1_800_000);
  const seeded = await message;
  if (seeded.type !== 'seeded') throw new Error(`the seed process answered ${seeded.type}`);
  return seeded.seedSeconds;
}
