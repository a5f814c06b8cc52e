import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Tells the other instances that new stream events are in the database. */
export interface StreamBus {
  notify(): void;
  close(): Promise<void>;
}

/**
 * A Redis channel every instance subscribes to: a message only says "read the log", so a lost one costs
 * at most a poll interval, and events reach clients in the log's order whichever instance wrote them.
 */
export function createRedisStreamBus(options: { url: string; channel: string; logger: Logger; onNotified: () => void }): StreamBus {
  const { channel, logger } = options;
  const connection = {
    autoResubscribe: false,
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
    connectTimeout: 2000,
  };
  const publisher = new Redis(options.url, { ...connection, connectionName: `newsroom-cms:${channel}:publish` });
  const subscriber = new Redis(options.url, { ...connection, connectionName: `newsroom-cms:${channel}:subscribe` });
  let lastError = '';
  let isClosed = false;
  const logError = (error: Error) => {
    if (error.message === lastError) return;
    lastError = error.message;
    logger.warn({ err: error, channel }, 'stream channel: Redis error');
  };
  publisher.on('error', logError);
  subscriber.on('error', logError);
  subscriber.on('message', (from: string) => {
    if (from === channel) options.onNotified();
  });
  // Subscribed again after a reconnection: whatever was said meanwhile is read from the log.
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(options.onNotified, logError);
  });
  return {
    notify() {
      if (!isClosed) publisher.publish(channel, '1').catch(logError);
    },
    async close() {
      isClosed = true;
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
