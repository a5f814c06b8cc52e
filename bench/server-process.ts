// A server for the benchmark, in its own process so that it has a core to itself and autocannon the other.
// Started by bench/servers.ts: argv[2] is `baseline` or `cms`, argv[3] the CMS options as JSON.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import { loadConfig } from '../src/config.ts';
import { createContainer } from '../src/container.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { createLogger } from '../src/http/logger.ts';
import { seedContent, type SeededContent } from './seed.ts';
import type { CmsServerOptions, ServerMessage } from './servers.ts';

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

async function startBaseline(): Promise<() => Promise<void>> {
  const app = express();
  app.get('/hello', (_req, res) => {
    res.json({ hello: 'world' });
  });
  const server = await listen(app);
  send({ type: 'ready', url: urlOf(server) });
  return async () => void server.close();
}

const benchDir = new URL('.', import.meta.url).pathname;
const cacheDir = join(benchDir, '.cache');

/** A seed is reused while the migrations and the seeder are unchanged. */
function seedCacheFile(articles: number): string {
  const hash = createHash('sha256');
  const migrations = join(benchDir, '../prisma/migrations/sqlite');
  for (const name of readdirSync(migrations, { recursive: true }).map(String).sort()) hash.update(name);
  hash.update(readFileSync(join(benchDir, 'seed.ts')));
  return join(cacheDir, `seed-${articles}-${hash.digest('hex').slice(0, 12)}.db`);
}

async function startCms(options: CmsServerOptions): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'cms-bench-'));
  const file = join(dir, 'bench.db');
  const databaseUrl = `file:${file}`;
  const cached = seedCacheFile(options.articles);
  const isSeedReused = existsSync(cached) && existsSync(`${cached}.json`);
  if (isSeedReused) copyFileSync(cached, file);
  // Production settings, demo content off; logs at the configured level go to this process's stdout (/dev/null).
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MEDIA_DIR: join(dir, 'media'),
    LOG_LEVEL: options.logLevel,
    CMS_DEMO: 'false',
    ...options.env,
  });
  await migrateDatabase(databaseUrl);
  let fixedTime: Date | null = null;
  const container = createContainer(config, { logger: createLogger(config.logLevel), now: () => fixedTime ?? new Date() });
  const seedingStarted = performance.now();
  let seeded: SeededContent;
  if (isSeedReused) {
    seeded = JSON.parse(readFileSync(`${cached}.json`, 'utf8')) as SeededContent;
  } else {
    seeded = await seedContent(container, { articles: options.articles, setClock: (at) => (fixedTime = at) });
    // A consistent copy of the open database (WAL included), renamed into place only when whole.
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${cached}.partial`;
    rmSync(partial, { force: true });
    // On a connection of its own: the app's connection may be inside a transaction (a webhook worker poll).
    const copier = new Database(file);
    try {
      copier.exec(`VACUUM INTO '${partial.replaceAll("'", "''")}'`);
    } finally {
      copier.close();
    }
    writeFileSync(`${cached}.json`, JSON.stringify(seeded));
    renameSync(partial, cached);
  }
  const seedSeconds = (performance.now() - seedingStarted) / 1000;
  const server = await listen(container.app);
  send({ type: 'ready', url: urlOf(server), seeded, seedSeconds, isSeedReused, mediaDir: config.mediaDir });
  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await container.close();
    rmSync(dir, { recursive: true, force: true });
  };
}

async function main() {
  const kind = process.argv[2];
  const stop = kind === 'baseline' ? await startBaseline() : await startCms(JSON.parse(process.argv[3] ?? '{}') as CmsServerOptions);
  // The parent going away (or asking) stops the server and removes its temporary database.
  const shutdown = () => void stop().finally(() => process.exit(0));
  process.on('disconnect', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
