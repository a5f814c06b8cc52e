// The only file that reads the environment, listens on the network and handles signals.
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config.ts';
import { createContainer } from './container.ts';
import { migrateDatabase } from './db/migrate.ts';
import { createLogger } from './http/logger.ts';
import { createServer } from './server.ts';
import { startUp } from './start-up.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const applied = await migrateDatabase(config.databaseUrl);
  if (applied.length) logger.info({ migrations: applied }, 'applied migrations');

  const container = createContainer(config, { logger });
  await startUp(container);

  const server = createServer(container.app, config.httpServer).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { address, port } = server.address() as AddressInfo;
  logger.info({ url: `http://${address}:${port}`, database: container.db.dialect }, 'listening');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const forceTimer = setTimeout(() => {
      logger.warn('in-flight requests did not finish in time; closing their connections');
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    forceTimer.unref();
    // Streams never finish by themselves: they are ended cleanly first, and their clients reconnect elsewhere.
    void container.stream.close();
    // close() stops accepting and waits for in-flight requests; idle keep-alive sockets are closed now.
    server.close(async () => {
      clearTimeout(forceTimer);
      await container.close();
      logger.info('shutdown complete');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // Start-up errors (configuration, migrations) are the operator's to fix: a clear line, no stack.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`newsroom-cms could not start. ${message}\n`);
  process.exit(1);
});
