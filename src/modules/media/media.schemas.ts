import { IsoDateTime, PageQuery, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';

export const mediaKinds = ['image', 'video', 'audio', 'document'] as const;

const fields = {
  kind: z.enum(mediaKinds),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .openapi({ description: 'Where the file is served from.', example: 'https://media.example/2026/11/stadium.jpg' }),
  mimeType: z
    .string()
    .regex(/^[\w.+-]+\/[\w.+-]+$/)
    .max(100)
    .openapi({ example: 'image/jpeg' }),
  sizeBytes: z.number().int().min(0).nullable().openapi({ example: 482113 }),
  width: z.number().int().min(1).max(100_000).nullable().openapi({ example: 1920 }),
  height: z.number().int().min(1).max(100_000).nullable().openapi({ example: 1080 }),
  durationSeconds: z
    .number()
    .min(0)
    .max(86_400 * 7)
    .nullable()
    .openapi({ description: 'For audio and video.' }),
  caption: z.string().trim().max(1000).nullable().openapi({ example: 'Болельщики на трибунах стадиона' }),
  altText: z.string().trim().max(1000).nullable().openapi({ example: 'Заполненные трибуны стадиона вечером' }),
  credit: z
    .string()
    .trim()
    .max(300)
    .nullable()
    .openapi({ description: 'Shown under the photo, e.g. "Агентство/Фотограф".', example: 'Городские новости/Анна Смирнова' }),
  source: z.string().trim().max(300).nullable().openapi({ example: 'Городские новости' }),
  focalX: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .openapi({ description: 'The focal point across the width, 0 (left) to 1 (right): what a crop keeps in view.', example: 0.62 }),
  focalY: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .openapi({ description: 'The focal point down the height, 0 (top) to 1 (bottom).', example: 0.4 }),
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
    focalX: fields.focalX.optional(),
    focalY: fields.focalY.optional(),
  })
  .openapi('CreateMediaBody');

export const UpdateMediaBody = CreateMediaBody.partial().openapi('UpdateMediaBody', {
  description:
    "For uploaded media the file's own facts (kind, url, mimeType, sizeBytes, width, height) are fixed: only the descriptive fields change.",
});

/** The file facts an upload measured, which a PATCH cannot change. */
export const uploadFacts = ['kind', 'url', 'mimeType', 'sizeBytes', 'width', 'height'] as const;

// Text fields of a form or query: empty means "not given".
const text = (max: number) => z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().max(max).optional());
const fraction = z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().min(0).max(1).optional());

/** Metadata sent with an upload: the multipart form's fields, or the query of a raw upload. */
export const UploadMetadata = z.strictObject({
  caption: text(1000).openapi({ description: 'The caption shown under the photo.' }),
  altText: text(1000).openapi({ description: 'The text alternative for screen readers.' }),
  credit: text(300).openapi({ description: 'Shown under the photo, e.g. "Агентство/Фотограф".' }),
  source: text(300),
  focalX: fraction.openapi({ description: 'Focal point across the width, 0..1.' }),
  focalY: fraction.openapi({ description: 'Focal point down the height, 0..1.' }),
});

export const UploadMediaQuery = UploadMetadata.extend({
  filename: z
    .string()
    .max(255)
    .optional()
    .openapi({ description: "The file's name, for the audit log; the type is decided by the content, never by the name." }),
});

/** The multipart form of an upload, for the OpenAPI document (the handler reads the stream itself). */
export const UploadMediaForm = z
  .object({
    file: z.string().openapi({ type: 'string', format: 'binary', description: 'The file. Its type is decided by its content.' }),
    caption: z.string().max(1000).optional(),
    altText: z.string().max(1000).optional(),
    credit: z.string().max(300).optional(),
    source: z.string().max(300).optional(),
    focalX: z.string().optional().openapi({ description: '0..1', example: '0.5' }),
    focalY: z.string().optional().openapi({ description: '0..1', example: '0.5' }),
  })
  .openapi('UploadMediaForm');

export const BinaryFile = z.string().openapi({ type: 'string', format: 'binary' });

/** A resized copy of an uploaded image, for `srcset`. */
export const RenditionSchema = z
  .object({
    url: z.string().openapi({ example: '/v1/media/files/renditions/3f0a…c2.webp' }),
    aspectRatio: z
      .string()
      .openapi({ description: '"original" for the whole picture, or the `w:h` it is cropped to around the focal point.', example: '16:9' }),
    width: z.number().int().openapi({ example: 640 }),
    height: z.number().int().openapi({ example: 427 }),
    mimeType: z.string().openapi({ example: 'image/webp' }),
    format: z.enum(['avif', 'webp', 'jpeg', 'png']),
    sizeBytes: z.number().int().openapi({ example: 38211 }),
  })
  .openapi('MediaRendition');

export const FileKeyParams = z.strictObject({
  folder: z
    .enum(['renditions', 'originals'])
    .openapi({ param: { description: '`renditions` for image renditions, `originals` for audio, video and documents.' } }),
  name: z
    .string()
    .regex(/^[0-9a-f]{64}\.(jpg|png|webp|avif|gif|mp3|m4a|ogg|mp4|webm|pdf)$/)
    .openapi({
      param: { description: 'sha256 of the content and its extension.' },
      example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.webp',
    }),
});

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
    focalX: z.number().nullable(),
    focalY: z.number().nullable(),
    dominantColor: z
      .string()
      .nullable()
      .openapi({ description: "The image's dominant colour (#rrggbb), to fill its place while it loads.", example: '#3a5f7d' }),
    renditions: z.array(RenditionSchema).openapi({
      description:
        'For uploaded images: resized copies without metadata, grouped by format (avif, webp, then jpeg or png) and by width within each, ready for `<source srcset>`. Empty otherwise.',
    }),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .openapi('Media');

export const ListMediaQuery = PageQuery.extend({ kind: fields.kind.optional() });
export const MediaPage = pageOf(MediaSchema, 'MediaPage');

export type CreateMediaInput = z.infer<typeof CreateMediaBody>;
export type UpdateMediaInput = z.infer<typeof UpdateMediaBody>;
export type MediaResponse = z.infer<typeof MediaSchema>;
export type UploadMetadataInput = z.infer<typeof UploadMetadata>;

/**
 * The management shape: the public one plus who added it (an author may change only their own).
 * A fresh object rather than MediaSchema.extend(), which is documented as an allOf that closed-object checks reject.
 */
export const AdminMediaSchema = z
  .object({
    ...MediaSchema.shape,
    createdById: z.string().nullable().openapi({ description: 'The user who added it; null when an API key did.' }),
    contentHash: z
      .string()
      .nullable()
      .openapi({ description: 'sha256 of an uploaded file (the same file is stored once); null for media registered by URL.' }),
    version: z.number().int().openapi({ description: 'Bumped by every change; the ETag for If-Match.', example: 1 }),
  })
  .openapi('AdminMedia', {
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
      focalX: 0.5,
      focalY: 0.35,
      dominantColor: '#3a5f7d',
      renditions: [
        {
          url: '/v1/media/files/renditions/5d41402abc4b2a76b9719d911017c592ae2f0f4e3b1a9c8d7e6f5a4b3c2d1e0f.webp',
          aspectRatio: '16:9',
          width: 640,
          height: 360,
          mimeType: 'image/webp',
          format: 'webp',
          sizeBytes: 41230,
        },
        {
          url: '/v1/media/files/renditions/7c211433f02071597741e6ff5a8ea34789abad4e3b1a9c8d7e6f5a4b3c2d1e0f.jpg',
          aspectRatio: '16:9',
          width: 1920,
          height: 1080,
          mimeType: 'image/jpeg',
          format: 'jpeg',
          sizeBytes: 402113,
        },
      ],
      createdById: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c',
      contentHash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      version: 1,
      createdAt: '2026-11-20T08:15:00.000Z',
      updatedAt: '2026-11-20T08:15:00.000Z',
    },
  });

export const AdminMediaPage = pageOf(AdminMediaSchema, 'AdminMediaPage');

export type AdminMediaResponse = z.infer<typeof AdminMediaSchema>;
export type ListMediaInput = z.infer<typeof ListMediaQuery>;
