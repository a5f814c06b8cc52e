import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/** A purge as it travels between instances: the keys to drop, or everything. */
export type PurgeMessage = { keys: string[] } | { everything: true };

export interface PurgeBusHandlers {
  /** A purge made by another instance. */
  onPurge: (message: PurgeMessage) => void;
  /** The link to the other instances was lost or is back: purges may have been missed meanwhile. */
  onMissedPurges: () => void;
}

/** Carries purges between the instances that share a database. */
export interface PurgeBus {
  publish(message: PurgeMessage): void;
  /** False while purges from other instances may be missed (not yet subscribed, or the link is down). */
  isConnected(): boolean;
  close(): Promise<void>;
}

export interface RedisPurgeBusOptions extends PurgeBusHandlers {
  url: string;
  channel: string;
  logger: Logger;
}

/**
 * Purges published on a Redis channel that every instance subscribes to. Redis being away never fails
 * a request: publishing is not awaited, and while the subscription is down the cache is told, so it
 * keeps answers only briefly and drops what it holds when the link comes back.
 */
export function createRedisPurgeBus(options: RedisPurgeBusOptions): PurgeBus {
  const { channel, logger } = options;
  const instanceId = randomUUID();
  const connection: RedisOptions = {
    // A publish waits for a reconnection only briefly; a purge that cannot be sent is logged.
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    autoResubscribe: false,
    connectTimeout: 2000,
  };
  const publisher = new Redis(options.url, { ...connection, connectionName: `newsroom-cms:${channel}:publish` });
  const subscriber = new Redis(options.url, { ...connection, connectionName: `newsroom-cms:${channel}:subscribe` });
  let isSubscribed = false;
  let isClosed = false;
  let lastError = '';

  const logError = (which: string) => (error: Error) => {
    // Each reconnection attempt fails the same way; one line per distinct error is enough.
    if (error.message === lastError) return;
    lastError = error.message;
    logger.warn({ err: error, channel, connection: which }, 'cache purge channel: Redis error');
  };
  publisher.on('error', logError('publish'));
  subscriber.on('error', logError('subscribe'));

  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        if (isClosed) return;
        isSubscribed = true;
        lastError = '';
        logger.info({ channel }, 'cache purge channel: subscribed');
        options.onMissedPurges();
      },
      (error: Error) => logError('subscribe')(error),
    );
  });
  subscriber.on('close', () => {
    if (!isSubscribed || isClosed) return;
    isSubscribed = false;
    logger.warn({ channel }, 'cache purge channel: lost; keeping answers for a second at most until it is back');
    options.onMissedPurges();
  });
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    let message: { origin?: unknown; keys?: unknown; everything?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      logger.warn({ channel }, 'cache purge channel: a message that is not JSON');
      return;
    }
    if (message.origin === instanceId) return;
    if (message.everything === true) options.onPurge({ everything: true });
    else if (Array.isArray(message.keys)) options.onPurge({ keys: message.keys.filter((key): key is string => typeof key === 'string') });
  });

  return {
    publish(message) {
      if (isClosed) return;
      publisher.publish(channel, JSON.stringify({ origin: instanceId, ...message })).catch((error: Error) => {
        logger.error(
          { err: error, channel },
          'cache purge channel: a purge could not be published; other instances drop it when their entries expire',
        );
      });
    },
    isConnected: () => isSubscribed,
    async close() {
      isClosed = true;
      isSubscribed = false;
      await Promise.all([closeConnection(publisher), closeConnection(subscriber)]);
    },
  };
}

// QUIT lets queued publishes go out; a connection that is not up is just dropped.
async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
  await Promise.race([
    redis.quit().then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]);
  redis.disconnect();
}
