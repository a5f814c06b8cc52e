import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { AppError, BadRequestError, DatabaseUnavailableError, RateLimitedError, ServerBusyError, WriteConflictError } from '../errors.ts';
import { translatePrismaError } from '../db/prisma-errors.ts';

const problemBase = 'https://newsroom-cms.dev/problems/';

/** The RFC 9457 body of an error, as sent (and as stored for an idempotent replay). */
export function problemBody(req: Request, res: Response, error: AppError): Record<string, unknown> {
  return {
    type: `${problemBase}${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    code: error.code,
    requestId: res.locals.requestId as string,
    instance: req.originalUrl.split('?')[0],
    ...error.extra,
  };
}

export function sendProblem(req: Request, res: Response, error: AppError): void {
  if (error.status === 401) res.set('WWW-Authenticate', 'Bearer realm="newsroom-cms"');
  if (error instanceof WriteConflictError) res.set('Retry-After', String(WriteConflictError.retryAfterSeconds));
  if (error instanceof DatabaseUnavailableError) res.set('Retry-After', String(DatabaseUnavailableError.retryAfterSeconds));
  if (error instanceof ServerBusyError) res.set('Retry-After', String(ServerBusyError.retryAfterSeconds));
  if (error instanceof RateLimitedError) res.set('Retry-After', String(error.retryAfterSeconds));
  res
    .status(error.status)
    .type('application/problem+json')
    .json(problemBody(req, res, error));
}

/**
 * Errors from express's body parser and router, mapped to what the client did wrong. They follow http-errors:
 * a client error carries its 4xx `status` (a corrupt gzip body, a path parameter that is not valid percent-encoding),
 * and it keeps it, whichever library raised it; anything else is ours, a 500.
 */
function translateHttpError(error: unknown): AppError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { type, status, expose, message } = error as { type?: unknown; status?: unknown; expose?: unknown; message?: unknown };
  switch (type) {
    case 'entity.parse.failed':
      return new BadRequestError('The body is not valid JSON.');
    case 'entity.too.large':
      return new AppError(413, 'payload_too_large', 'Payload too large', 'The body is larger than the server accepts.');
    case 'encoding.unsupported':
      return new AppError(
        415,
        'unsupported_media_type',
        'Unsupported media type',
        'The Content-Encoding of the body is not supported: send it as it is, or gzip, deflate or br.',
      );
    case 'charset.unsupported':
      return new AppError(415, 'unsupported_media_type', 'Unsupported media type', 'The body must be UTF-8 JSON.');
    case 'request.aborted':
      return new AppError(400, 'request_aborted', 'Request aborted', 'The request was aborted by the client.');
  }
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 499) return undefined;
  // http-errors marks a message safe to show with `expose`; otherwise the status says enough.
  const detail =
    expose === true && typeof message === 'string' && message
      ? `The request could not be read: ${message}.`
      : 'The request could not be read.';
  if (status === 400) return new BadRequestError(detail);
  const title = STATUS_CODES[status] ?? 'Client error';
  return new AppError(status, title.toLowerCase().replace(/[^a-z]+/g, '_'), title, detail);
}

/** The typed error an error stands for, or undefined for an unexpected one (a 500). */
export function toKnownError(error: unknown): AppError | undefined {
  return error instanceof AppError ? error : (translatePrismaError(error) ?? translateHttpError(error));
}

/** The one place an error becomes a response: typed errors keep their status, others are a logged 500. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const known = toKnownError(error);
  if (res.headersSent) {
    res.locals.logger?.error({ err: error }, 'error after the response started');
    return;
  }
  if (known) {
    // A 5xx the client is told to retry (a deadlock, say) is still ours to look into.
    if (known.status >= 500) res.locals.logger?.warn({ err: error, code: known.code }, 'request failed; the client may retry');
    sendProblem(req, res, known);
    return;
  }
  res.locals.logger?.error({ err: error }, 'unexpected error');
  sendProblem(
    req,
    res,
    new AppError(
      500,
      'internal_error',
      'Internal server error',
      'Something went wrong on our side. Quote the request id when reporting it.',
    ),
  );
};

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(req, res, new AppError(404, 'not_found', 'Not found', `There is no route ${req.method} ${req.path}.`));
};
