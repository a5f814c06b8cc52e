// A server for the benchmark, in its own process so that it has a core to itself and autocannon the other.
// Started by bench/servers.ts: argv[2] is `baseline` or `cms`, argv[3] the CMS options as JSON.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { loadConfig } from '../src/config.ts';
import { createContainer } from '../src/container.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { createLogger } from '../src/http/logger.ts';
import { seedContent } from './seed.ts';
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

async function startCms(options: CmsServerOptions): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'cms-bench-'));
  const databaseUrl = `file:${join(dir, 'bench.db')}`;
  // Production settings, demo content off; logs at the configured level go to this process's stdout (/dev/null).
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MEDIA_DIR: join(dir, 'media'),
    LOG_LEVEL: options.logLevel,
    CMS_DEMO: 'false',
  });
  await migrateDatabase(databaseUrl);
  let fixedTime: Date | null = null;
  const container = createContainer(config, { logger: createLogger(config.logLevel), now: () => fixedTime ?? new Date() });
  const seedingStarted = performance.now();
  const seeded = await seedContent(container, { articles: options.articles, setClock: (at) => (fixedTime = at) });
  const seedSeconds = (performance.now() - seedingStarted) / 1000;
  const server = await listen(container.app);
  send({ type: 'ready', url: urlOf(server), seeded, seedSeconds });
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
