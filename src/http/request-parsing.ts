import type { ZodError, ZodObject, ZodType } from 'zod';
import { BadRequestError, PreconditionRequiredError, type ValidationError, type FieldError } from '../errors.ts';
import { z } from '../shared/zod.ts';

export type RequestPart = 'params' | 'query' | 'body';

/** Each zod issue as the field it names (`body.title`), the way every problem's `errors` list them. */
export function fieldErrorsOf(error: ZodError, part: RequestPart): FieldError[] {
  return error.issues.map((issue) => ({
    field: [part, ...issue.path.map(String)].join('.') + (issue.code === 'unrecognized_keys' ? `.${issue.keys.join(',')}` : ''),
    message:
      issue.code === 'unrecognized_keys' ? `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` : issue.message,
  }));
}

const partNames: Record<RequestPart, string> = { params: 'path parameters', query: 'query parameters', body: 'request body' };

/**
 * A part of the request parsed by its schema (undefined without one); invalid, it throws the part's error class.
 * A NUL character anywhere in it is refused first: PostgreSQL cannot store or compare one in text, and
 * SQLite would take it, so both answer alike.
 */
export function parsePart<T extends ZodType | undefined>(
  schema: T,
  value: unknown,
  part: RequestPart,
  ErrorClass: typeof BadRequestError | typeof ValidationError,
): unknown {
  if (!schema) return undefined;
  const nulAt = pathOfNulCharacter(value);
  if (nulAt) {
    throw new ErrorClass(`A NUL character (\\u0000) is not allowed in the ${partNames[part]}.`, [
      { field: [part, ...nulAt].join('.'), message: 'Contains a NUL character (\\u0000)' },
    ]);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrorsOf(result.error, part);
  const count = errors.length === 1 ? 'has an invalid field' : `have ${errors.length} invalid fields`;
  throw new ErrorClass(`The ${partNames[part]} ${count}.`, errors);
}

/**
 * The schema a route's query is parsed with: its own, strict, so a parameter it does not declare is refused;
 * a route that declares none takes none. Unknown parameters are a caller's mistake worth hearing about, and
 * each would otherwise key a public answer of its own in the caches (`rss.xml?x=1`, `?x=2`, …).
 */
export function strictQuerySchema(query: ZodObject | undefined): ZodObject {
  return (query ?? z.object({})).strict();
}

/** Where a string or an object key holding a NUL character is in a parsed value (keys from the top), or undefined. */
export function pathOfNulCharacter(value: unknown): string[] | undefined {
  // A stack rather than recursion: a body's depth is bounded by the body parser, but this need not rely on it.
  const pending: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value === 'string') {
      if (next.value.includes('\u0000')) return next.path;
    } else if (next.value && typeof next.value === 'object') {
      for (const [key, child] of Object.entries(next.value)) {
        const path = [...next.path, key];
        if (key.includes('\u0000')) return path;
        pending.push({ value: child, path });
      }
    }
  }
  return undefined;
}

/** The version If-Match names, or null for `*`; 428 without the header. */
export function parseIfMatch(header: string | undefined): number | null {
  if (header === undefined) throw new PreconditionRequiredError();
  if (header.trim() === '*') return null;
  const match = /^\s*"(\d{1,12})"\s*$/.exec(header);
  if (!match)
    throw new BadRequestError('If-Match must be the ETag of the resource, e.g. "3", or *.', [
      { field: 'header.if-match', message: 'Not an ETag of this API' },
    ]);
  return Number(match[1]);
}
