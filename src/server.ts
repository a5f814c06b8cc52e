import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import type { HttpServerTimeouts } from './config.ts';

/**
 * The HTTP server around the app, with the limits that cut off a slow or stalled client: one that
 * trickles its headers (slowloris) or its body, or keeps an idle connection, holds it only so long.
 */
export function createServer(app: RequestListener, timeouts: HttpServerTimeouts): Server {
  const server = createHttpServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: expiryCheckIntervalMs(timeouts),
    },
    app,
  );
  server.keepAliveTimeout = timeouts.keepAliveMs;
  return server;
}

// Node looks for expired headers and requests only this often (every 30 s by default), which would stretch a short timeout.
function expiryCheckIntervalMs({ headersMs, requestMs }: HttpServerTimeouts): number {
  const shortest = requestMs ? Math.min(headersMs, requestMs) : headersMs;
  return Math.min(5000, Math.max(100, Math.floor(shortest / 4)));
}
