import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

const acceptableRequestId = /^[\w.:-]{1,128}$/;

/**
 * Gives each request an id (the caller's X-Request-Id when it is sane, else a new one), a child
 * logger that carries it, and one access-log line when the response is done. Headers and bodies
 * are never logged: they hold passwords and tokens.
 */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    const started = process.hrtime.bigint();
    res.locals.requestId = requestId;
    res.locals.logger = logger.child({ requestId });
    res.set('X-Request-Id', requestId);
    res.on('finish', () => {
      const actor = res.locals.actor as { type: string; userId?: string; apiKeyId?: string } | undefined;
      res.locals.logger.info(
        {
          method: req.method,
          // A preview link is a bearer secret: the log keeps that it was used, not the token.
          path: req.originalUrl.split('?')[0]!.replace(/^\/v1\/preview\/[^/]+/, '/v1/preview/…'),
          status: res.statusCode,
          durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
          ...(actor ? { actor: actor.userId ? `user:${actor.userId}` : `apiKey:${actor.apiKeyId}` } : {}),
        },
        'request',
      );
    });
    next();
  };
}
