import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Logger } from 'pino';
import type { StreamSettings } from '../../config.ts';
import type { Prisma } from '../../db/database.ts';
import { createRedisStreamBus } from './stream.bus.ts';
import { createStreamHub } from './stream.hub.ts';
import { createStreamRepository } from './stream.repository.ts';
import { streamPublicRoutes } from './stream.routes.ts';
import { streamEventDataSchemas } from './stream.schemas.ts';

/** The real-time stream: GET /v1/stream, and the recorder services write its events through. */
export function createStreamModule(deps: {
  prisma: Prisma;
  now: () => Date;
  logger: Logger;
  settings: StreamSettings;
  /** With Redis, instances tell each other of new events at once; without, each polls the log. */
  redis?: { url: string; channel: string };
  nextScheduledChange?: (at: Date) => Promise<Date | null>;
}) {
  const { redis, logger } = deps;
  const hub = createStreamHub({
    repo: createStreamRepository({ prisma: deps.prisma }),
    now: deps.now,
    logger,
    settings: deps.settings,
    ...(deps.nextScheduledChange ? { nextScheduledChange: deps.nextScheduledChange } : {}),
    ...(redis
      ? {
          connectBus: (onNotified: () => void) =>
            createRedisStreamBus({ url: redis.url, channel: `${redis.channel}:stream`, logger, onNotified }),
        }
      : {}),
  });
  return {
    hub,
    recorder: hub.recorder,
    adminRoutes: [],
    publicRoutes: streamPublicRoutes(hub),
    /** The data of each event type, as components the stream's description names. */
    registerOpenApi(registry: OpenAPIRegistry): void {
      for (const [name, schema] of Object.entries(streamEventDataSchemas)) registry.register(name, schema);
    },
  };
}

export type { StreamHub } from './stream.hub.ts';
