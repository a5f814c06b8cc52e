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

/**
 * The management shape: the public one plus who added it (an author may change only their own).
 * A fresh object rather than MediaSchema.extend(), which is documented as an allOf that closed-object checks reject.
 */
export const AdminMediaSchema = z.object({
  ...MediaSchema.shape,
  createdById: z.string().nullable().openapi({ description: 'The user who added it; null when an API key did.' }),
}).openapi('AdminMedia', {
  example: {
    id: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a70',
    kind: 'image',
    url: 'https://media.example/2026/11/stadium.jpg',
    mimeType: 'image/jpeg',
    sizeBytes: 482113,
    width: 1920,
    height: 1080,
    durationSeconds: null,
    caption: 'Болельщики на трибунах стадиона перед финалом кубка',
    altText: 'Заполненные трибуны стадиона вечером',
    credit: 'Городские новости/Анна Смирнова',
    source: 'Городские новости',
    createdById: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c',
    createdAt: '2026-11-20T08:15:00.000Z',
    updatedAt: '2026-11-20T08:15:00.000Z',
  },
});

export const AdminMediaPage = pageOf(AdminMediaSchema, 'AdminMediaPage');

export type AdminMediaResponse = z.infer<typeof AdminMediaSchema>;
export type ListMediaInput = z.infer<typeof ListMediaQuery>;
