/** A field that failed validation, as it appears in a problem+json `errors` list. */
export interface FieldError {
  /** JSON Pointer-like path in the request part, e.g. `body.blocks.2.text`. */
  field: string;
  message: string;
}

/** An error the API answers with a problem+json of its own status, title and stable code. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export class BadRequestError extends AppError {
  constructor(
    detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(400, 'bad_request', 'Bad request', detail, errors.length ? { errors } : {});
  }
}

export class ValidationError extends AppError {
  constructor(
    detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(422, 'validation_failed', 'Validation failed', detail, errors.length ? { errors } : {});
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = 'Authentication is required.') {
    super(401, 'unauthorized', 'Unauthorized', detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'You may not do this.') {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'resource') {
    super(404, 'not_found', 'Not found', `The ${what} was not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, code = 'conflict', extra: Record<string, unknown> = {}) {
    super(409, code, 'Conflict', detail, extra);
  }
}

/** 503: the database rolled the write back for a concurrent one (a deadlock); nothing changed, and a retry may succeed. */
export class WriteConflictError extends AppError {
  static readonly retryAfterSeconds = 1;
  constructor() {
    super(503, 'write_conflict', 'Write conflict', 'The write met a concurrent one and was rolled back; nothing was changed. Retry it.');
  }
}

/**
 * 503: the database does not answer (down, unreachable, or slower than its timeouts); a retry after a
 * while may succeed. A write may or may not have been applied: retry it with the same Idempotency-Key.
 */
export class DatabaseUnavailableError extends AppError {
  static readonly retryAfterSeconds = 5;
  constructor() {
    super(
      503,
      'database_unavailable',
      'Database unavailable',
      'The database did not answer in time. Retry after Retry-After (a write with the same Idempotency-Key).',
    );
  }
}

/** 503: this instance is doing as much of some work as it takes at once (say, password hashes); nothing was done. */
export class ServerBusyError extends AppError {
  static readonly retryAfterSeconds = 1;
  constructor(detail: string) {
    super(503, 'server_busy', 'Server busy', detail);
  }
}

/** 429: the caller is over a rate limit (or has failed to sign in too often); Retry-After says when to try again. */
export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    detail = 'Too many requests.',
  ) {
    super(429, 'rate_limited', 'Too many requests', detail);
  }
}

/** 412: the If-Match version is not the current one; the body carries the current resource. */
export class PreconditionFailedError extends AppError {
  constructor(current: unknown) {
    super(
      412,
      'precondition_failed',
      'Precondition failed',
      'The resource changed since you read it: your If-Match is not its current ETag. ' +
        'Merge with the current version in `current` and retry with its ETag.',
      { current },
    );
  }
}

/** 428: a write that must say which version it changes (If-Match) did not. */
export class PreconditionRequiredError extends AppError {
  constructor() {
    super(
      428,
      'precondition_required',
      'Precondition required',
      'Send If-Match with the ETag of the version you are changing (from a GET of the resource).',
    );
  }
}
