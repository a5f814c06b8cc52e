// A server for the benchmark, in its own process so that it has a core to itself and autocannon the other.
// Started by bench/servers.ts: argv[2] is `baseline`, `limit`, `seed` or `cms`, argv[3] its options as JSON.
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import { migrateDatabase } from '../src/db/migrate.ts';
import { startUp } from '../src/start-up.ts';
import { cmsContainer } from './cms-container.ts';
import { createLimitApp } from './limit-server.ts';
import { seedContent } from './seed.ts';
import type { CmsServerOptions, LimitServerOptions, SeedOptions, ServerMessage, ServerRequest } from './servers.ts';

const send = (message: ServerMessage) => process.send!(message);

async function listen(app: express.Express): Promise<Server> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function closeServer(server: Server) {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

async function startBaseline(): Promise<() => Promise<void>> {
  const app = express();
  app.get('/hello', (_req, res) => {
    res.json({ hello: 'world' });
  });
  const server = await listen(app);
  send({ type: 'ready', url: urlOf(server) });
  return () => closeServer(server);
}

async function startLimit(options: LimitServerOptions): Promise<() => Promise<void>> {
  const { app, close } = createLimitApp(options.dialect, options.database);
  const server = await listen(app);
  send({ type: 'ready', url: urlOf(server) });
  return async () => {
    await closeServer(server);
    await close();
  };
}

/** Seeds a fresh SQLite database through the services and saves a consistent copy at options.file; then exits. */
async function seed(options: SeedOptions): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'cms-bench-seed-'));
  const file = join(dir, 'seed.db');
  await migrateDatabase(`file:${file}`);
  let fixedTime: Date | null = null;
  const { container } = cmsContainer(`file:${file}`, dir, {
    logLevel: 'warn',
    env: { WEBHOOK_WORKER: 'off' },
    now: () => fixedTime ?? new Date(),
  });
  const started = performance.now();
  const seeded = await seedContent(container, { articles: options.articles, setClock: (at) => (fixedTime = at) });
  const seedSeconds = (performance.now() - started) / 1000;
  await container.close();
  // VACUUM INTO writes a consistent copy (WAL included), renamed into place only when whole.
  mkdirSync(join(options.file, '..'), { recursive: true });
  const partial = `${options.file}.partial`;
  rmSync(partial, { force: true });
  const copier = new Database(file);
  try {
    copier.exec(`VACUUM INTO '${partial.replaceAll("'", "''")}'`);
  } finally {
    copier.close();
  }
  writeFileSync(`${options.file}.json`, JSON.stringify(seeded));
  renameSync(partial, options.file);
  rmSync(dir, { recursive: true, force: true });
  send({ type: 'seeded', seedSeconds });
  return async () => undefined;
}

async function startCms(options: CmsServerOptions): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'cms-bench-'));
  let databaseUrl: string;
  if (options.database.dialect === 'sqlite') {
    const file = join(dir, 'bench.db');
    copyFileSync(options.database.seedFile, file);
    databaseUrl = `file:${file}`;
  } else {
    databaseUrl = options.database.url;
  }
  await migrateDatabase(databaseUrl);
  const { config, container } = cmsContainer(databaseUrl, dir, options);
  // The first admin, when the options name one (an empty database's server).
  await startUp(container);
  const server = await listen(container.app);
  send({ type: 'ready', url: urlOf(server), mediaDir: config.mediaDir });
  return async () => {
    await closeServer(server);
    await container.close();
    rmSync(dir, { recursive: true, force: true });
  };
}

/** The V8 sampling profiler on request, so that a profile holds the measured load and not the start-up. */
function answerProfileRequests() {
  const session = new Session();
  session.connect();
  process.on('message', (request: ServerRequest) => {
    const answer = async () => {
      if (request.type === 'profile-start') {
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        send({ type: 'profiled', file: '' });
      } else if (request.type === 'profile-stop') {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(request.file, JSON.stringify(profile));
        send({ type: 'profiled', file: request.file });
      }
    };
    answer().catch((error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
  });
}

const starters: Record<string, (options: never) => Promise<() => Promise<void>>> = {
  baseline: startBaseline,
  limit: startLimit,
  seed,
  cms: startCms,
};

async function main() {
  const kind = process.argv[2] ?? '';
  const start = starters[kind];
  if (!start) throw new Error(`unknown server kind "${kind}"`);
  const stop = await start(JSON.parse(process.argv[3] ?? '{}') as never);
  if (kind === 'seed') process.exit(0);
  answerProfileRequests();
  // The parent going away (or asking) stops the server and removes its temporary database.
  const shutdown = () => void stop().finally(() => process.exit(0));
  process.on('disconnect', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
