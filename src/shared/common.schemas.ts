import { z } from './zod.ts';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://newsroom-cms.dev/problems/validation_failed' }),
    title: z.string().openapi({ example: 'Validation failed' }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string().openapi({ example: 'The request body is not valid.' }),
    code: z.string().openapi({ description: 'Stable machine-readable error code.', example: 'validation_failed' }),
    requestId: z.string().openapi({ description: 'The id of the request, also in the logs and the X-Request-Id header.' }),
    instance: z.string().optional().openapi({ description: 'The request path.' }),
    errors: z
      .array(z.object({ field: z.string().openapi({ example: 'body.title' }), message: z.string() }))
      .optional()
      .openapi({ description: 'Each invalid field with its message.' }),
  })
  .passthrough()
  .openapi('Problem', { description: 'An RFC 9457 problem details object.' });

export const IdParams = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { description: 'The id of the record.' }, example: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b' }),
});

export const SlugParams = z.strictObject({
  slug: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { description: 'The slug of the record.' }, example: 'sport' }),
});

export const LimitQuery = z.coerce
  .number()
  .int()
  .min(1)
  .max(100)
  .default(20)
  .openapi({ param: { description: 'Items per page, at most 100.' }, example: 20 });

export const CursorQuery = z
  .string()
  .max(500)
  .optional()
  .openapi({ param: { description: 'The `nextCursor` of the previous page.' } });

export const PageQuery = z.strictObject({ limit: LimitQuery, cursor: CursorQuery });

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
    })
    .openapi(name);
}

export const IsoDateTime = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-23T09:30:00.000Z' });

export const RubricRefSchema = z
  .object({ id: z.string(), name: z.string(), slug: z.string() })
  .openapi('RubricRef', { example: { id: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b', name: 'Спорт', slug: 'sport' } });

export const AuthorRefSchema = z.object({ id: z.string(), displayName: z.string(), slug: z.string() }).openapi('AuthorRef', {
  example: { id: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c', displayName: 'Мария Ковалёва', slug: 'mariya-kovaleva' },
});

export const TagRefSchema = z.object({ id: z.string(), name: z.string(), slug: z.string() }).openapi('TagRef');
