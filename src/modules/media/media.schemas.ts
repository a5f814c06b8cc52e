import { IsoDateTime, PageQuery, pageOf } from '../../http/common.schemas.ts';
import { z } from '../../http/zod.ts';

export const mediaKinds = ['image', 'video', 'audio', 'document'] as const;

const fields = {
  kind: z.enum(mediaKinds),
  url: z.url({ protocol: /^https?$/ }).max(2000).openapi({ description: 'Where the file is served from.', example: 'https://media.example/2026/11/stadium.jpg' }),
  mimeType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/).max(100).openapi({ example: 'image/jpeg' }),
  sizeBytes: z.number().int().min(0).nullable().openapi({ example: 482113 }),
  width: z.number().int().min(1).max(100_000).nullable().openapi({ example: 1920 }),
  height: z.number().int().min(1).max(100_000).nullable().openapi({ example: 1080 }),
  durationSeconds: z.number().min(0).max(86_400 * 7).nullable().openapi({ description: 'For audio and video.' }),
  caption: z.string().trim().max(1000).nullable().openapi({ example: 'Болельщики на трибунах стадиона' }),
  altText: z.string().trim().max(1000).nullable().openapi({ example: 'Заполненные трибуны стадиона вечером' }),
  credit: z.string().trim().max(300).nullable().openapi({ description: 'Shown under the photo, e.g. "Агентство/Фотограф".', example: 'Городские новости/Анна Смирнова' }),
  source: z.string().trim().max(300).nullable().openapi({ example: 'Городские новости' }),
};

export const CreateMediaBody = z
  .strictObject({
    kind: fields.kind,
    url: fields.url,
    mimeType: fields.mimeType,
    sizeBytes: fields.sizeBytes.optional(),
    width: fields.width.optional(),
    height: fields.height.optional(),
    durationSeconds: fields.durationSeconds.optional(),
    caption: fields.caption.optional(),
    altText: fields.altText.optional(),
    credit: fields.credit.optional(),
    source: fields.source.optional(),
  })
  .openapi('CreateMediaBody');

export const UpdateMediaBody = CreateMediaBody.partial().openapi('UpdateMediaBody');

/** The public shape of a media item: what a page needs to show a photo with its credit or play audio. */
export const MediaSchema = z
  .object({
    id: z.string(),
    kind: fields.kind,
    url: z.string(),
    mimeType: z.string(),
    sizeBytes: z.number().int().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    durationSeconds: z.number().nullable(),
    caption: z.string().nullable(),
    altText: z.string().nullable(),
    credit: z.string().nullable(),
    source: z.string().nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .openapi('Media');

export const ListMediaQuery = PageQuery.extend({ kind: fields.kind.optional() });
export const MediaPage = pageOf(MediaSchema, 'MediaPage');

export type CreateMediaInput = z.infer<typeof CreateMediaBody>;
export type UpdateMediaInput = z.infer<typeof UpdateMediaBody>;
export type MediaResponse = z.infer<typeof MediaSchema>;
