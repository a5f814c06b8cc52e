import { IsoDateTime, PageQuery, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';

export const ListAuditEventsQuery = PageQuery.extend({
  actor: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({
      param: { description: 'Only events of this actor: `user:<id>`, `apiKey:<id>` or `anonymous`.' },
      example: 'user:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c',
    }),
  action: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ param: { description: 'Only events of this action.' }, example: 'rubric.update' }),
  targetType: z
    .string()
    .min(1)
    .max(50)
    .optional()
    .openapi({ param: { description: 'Only events about records of this type.' }, example: 'rubric' }),
  targetId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { description: 'Only events about this record.' } }),
  from: IsoDateTime.optional().openapi({ param: { description: 'Only events at or after this time.' } }),
  to: IsoDateTime.optional().openapi({ param: { description: 'Only events before this time.' } }),
});

export const AuditEventSchema = z
  .object({
    id: z.string(),
    at: IsoDateTime,
    actor: z.string().openapi({
      description: '`user:<id>`, `apiKey:<id>`, or `anonymous` (a failed sign-in).',
      example: 'user:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c',
    }),
    action: z.string().openapi({ example: 'rubric.update' }),
    targetType: z.string().nullable().openapi({ example: 'rubric' }),
    targetId: z.string().nullable(),
    requestId: z.string().nullable().openapi({ description: 'The X-Request-Id of the request that did it.' }),
    details: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({
        description: 'A few facts: the names of the fields changed, a role change. Never secrets.',
        example: { fields: ['name', 'position'] },
      }),
  })
  .openapi('AuditEvent');

export const AuditEventPage = pageOf(AuditEventSchema, 'AuditEventPage');

export type ListAuditEventsInput = z.infer<typeof ListAuditEventsQuery>;
export type AuditEventResponse = z.infer<typeof AuditEventSchema>;
