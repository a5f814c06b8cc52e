import { IsoDateTime, PageQuery, TagRefSchema, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';

const name = z.string().trim().min(1).max(100).openapi({ example: 'Выборы в Госдуму' });
const slug = z.string().max(80).openapi({ description: 'Latin slug; made from the name when left out.', example: 'vybory-v-gosdumu' });

export const CreateTagBody = z.strictObject({ name, slug: slug.optional() }).openapi('CreateTagBody');
export const UpdateTagBody = z.strictObject({ name: name.optional(), slug: slug.optional() }).openapi('UpdateTagBody');

export const TagSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    version: z.number().int().openapi({ description: 'Goes up by one with each change; send it back as If-Match (the ETag).', example: 3 }),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .openapi('Tag', {
    example: {
      id: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a60',
      name: 'Выборы в Госдуму',
      slug: 'vybory-v-gosdumu',
      version: 1,
      createdAt: '2026-11-20T08:15:00.000Z',
      updatedAt: '2026-11-20T08:15:00.000Z',
    },
  });

export const ListTagsQuery = PageQuery;
export const TagPage = pageOf(TagSchema, 'TagPage');
export const PublicTagPage = pageOf(TagRefSchema, 'PublicTagPage');

export type CreateTagInput = z.infer<typeof CreateTagBody>;
export type UpdateTagInput = z.infer<typeof UpdateTagBody>;
export type TagResponse = z.infer<typeof TagSchema>;
export type TagRefResponse = z.infer<typeof TagRefSchema>;
