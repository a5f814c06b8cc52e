import { NarrationModeSchema } from '../../shared/narration.schemas.ts';
import { IsoDateTime, PageQuery, RubricRefSchema, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';

const name = z.string().trim().min(1).max(100).openapi({ example: 'Спорт' });
const slug = z.string().max(80).openapi({ description: 'Latin slug; made from the name when left out.', example: 'sport' });
const description = z
  .string()
  .trim()
  .max(1000)
  .nullable()
  .openapi({ example: 'Футбол, хоккей, теннис и всё, что происходит на стадионах страны.' });
const parentId = z.string().max(64).nullable().openapi({ description: 'The parent rubric, for a sub-rubric.' });
const position = z.number().int().min(0).max(100_000).openapi({ description: 'Order among rubrics, ascending.', example: 30 });
const commentsEnabledByDefault = z
  .boolean()
  .openapi({ description: 'Whether a new article of the rubric takes comments when it does not say (`commentsEnabled`).', example: true });

export const CreateRubricBody = z
  .strictObject({
    name,
    slug: slug.optional(),
    description: description.optional(),
    parentId: parentId.optional(),
    position: position.optional(),
    isActive: z.boolean().optional(),
    commentsEnabledByDefault: commentsEnabledByDefault.optional(),
    narration: NarrationModeSchema.optional(),
  })
  .openapi('CreateRubricBody');

export const UpdateRubricBody = z
  .strictObject({
    name: name.optional(),
    slug: slug.optional(),
    description: description.optional(),
    parentId: parentId.optional(),
    position: position.optional(),
    isActive: z.boolean().optional(),
    commentsEnabledByDefault: commentsEnabledByDefault.optional(),
    narration: NarrationModeSchema.optional(),
  })
  .openapi('UpdateRubricBody');

export const RubricSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    parentId: z.string().nullable(),
    position: z.number().int(),
    isActive: z.boolean(),
    commentsEnabledByDefault,
    narration: NarrationModeSchema.openapi({
      description: 'Whether its articles are narrated when their own `narration` is null; null follows NARRATION_DEFAULT.',
    }),
    version: z.number().int().openapi({ description: 'Goes up by one with each change; send it back as If-Match (the ETag).', example: 3 }),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .openapi('Rubric');

export const PublicRubricSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    position: z.number().int(),
    parent: RubricRefSchema.nullable(),
    children: z.array(RubricRefSchema),
  })
  .openapi('PublicRubric');

export const ListRubricsQuery = PageQuery;
export const RubricPage = pageOf(RubricSchema, 'RubricPage');
export const PublicRubricPage = pageOf(PublicRubricSchema, 'PublicRubricPage');

export type CreateRubricInput = z.infer<typeof CreateRubricBody>;
export type UpdateRubricInput = z.infer<typeof UpdateRubricBody>;
export type RubricResponse = z.infer<typeof RubricSchema>;
export type PublicRubricResponse = z.infer<typeof PublicRubricSchema>;
