import type { ZodError, ZodType } from 'zod';
import { BadRequestError, PreconditionRequiredError, type ValidationError, type FieldError } from '../errors.ts';

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

/** A part of the request parsed by its schema (undefined without one); invalid, it throws the part's error class. */
export function parsePart<T extends ZodType | undefined>(
  schema: T,
  value: unknown,
  part: RequestPart,
  ErrorClass: typeof BadRequestError | typeof ValidationError,
): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrorsOf(result.error, part);
  const count = errors.length === 1 ? 'has an invalid field' : `have ${errors.length} invalid fields`;
  throw new ErrorClass(`The ${partNames[part]} ${count}.`, errors);
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
