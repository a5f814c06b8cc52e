import { AdMarkingBody, AdMarkingSchema } from '../../shared/ad-marking.schemas.ts';
import { NarrationModeSchema, NarrationStatusSchema } from '../../shared/narration.schemas.ts';
import { ArticleBlock } from '../../shared/article-blocks.schemas.ts';
import { IsoDateTime, PageQuery, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';

// The management side's shapes; what the public API answers is in articles.public.schemas.ts.

export const BODY_MAX_BLOCKS = 500;
export const articleFormats = ['standard', 'live'] as const;
export const KEY_POINTS_MAX = 20;

const id = z.string().min(1).max(64);
const body = z
  .array(ArticleBlock)
  .min(1)
  .max(BODY_MAX_BLOCKS)
  .openapi({ description: `Ordered blocks, 1 to ${BODY_MAX_BLOCKS}.` });

const unique = (ids: string[]) => new Set(ids).size === ids.length;

const fields = {
  title: z.string().trim().min(1).max(300).openapi({ example: 'Дума утвердила бюджет: на дороги потратят на 12% больше' }),
  slug: z.string().max(80).openapi({
    description: 'Latin slug; made from the title when left out. A changed slug keeps answering with a redirect.',
    example: 'duma-utverdila-byudzhet-na-dorogi-potratyat-na-12-bolshe',
  }),
  lead: z
    .string()
    .trim()
    .max(1000)
    .nullable()
    .openapi({ example: 'Расходы города в следующем году вырастут на 7%, больше всего — на дороги и школы.' }),
  keyPoints: z
    .array(z.string().trim().min(1).max(1000))
    .max(KEY_POINTS_MAX)
    .openapi({
      description:
        `Up to ${KEY_POINTS_MAX} passages marked by the reader's "highlight the main points" toggle; ` +
        'each copied verbatim from a paragraph, heading, quote or list of the body.',
      example: ['расходы на ремонт дорог вырастут на 12%'],
    }),
  rubricId: id.nullable().openapi({ example: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b' }),
  tagIds: z
    .array(id)
    .max(50)
    .refine(unique, 'Each tag once')
    .openapi({ example: ['0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a60'] }),
  authorIds: z
    .array(id)
    .max(20)
    .refine(unique, 'Each author once')
    .openapi({ description: 'Users in byline order.', example: ['0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c'] }),
  coverMediaId: id.nullable().openapi({ description: 'A media item of kind image.' }),
  narrationMediaId: id.nullable().openapi({ description: 'A media item of kind audio: the article read aloud.' }),
  seoTitle: z.string().trim().max(120).nullable().openapi({ example: 'Бюджет города на 2027 год: дороги, школы, трамваи' }),
  seoDescription: z
    .string()
    .trim()
    .max(300)
    .nullable()
    .openapi({ example: 'Что заложено в городской бюджет на следующий год и как это скажется на жителях.' }),
  showInFeed: z.boolean().openapi({ description: 'Whether publishing puts the article in the news feed.', example: true }),
  embargoUntil: IsoDateTime.nullable().openapi({
    description: 'Not public before this time, whatever its status; null for no embargo.',
    example: '2026-11-24T06:00:00.000Z',
  }),
  isSponsored: z.boolean().openapi({
    description: 'Sponsored content, an advertisement: publishing it needs `adMarking` (422 `ad_marking_required`).',
    example: false,
  }),
  adMarking: AdMarkingBody.nullable(),
  commentsEnabled: z.boolean().openapi({ description: "Whether it takes comments; left out on creation: its rubric's default." }),
  commentsClosedAt: IsoDateTime.nullable().openapi({ description: 'No new comments from this time on; null: open while enabled.' }),
};

// The fields both bodies take as optional, in the order the document lists them.
const optionalOnCreateAndUpdate = {
  coverMediaId: fields.coverMediaId.optional(),
  narrationMediaId: fields.narrationMediaId.optional(),
  narration: NarrationModeSchema.optional(),
  keyPoints: fields.keyPoints.optional(),
  seoTitle: fields.seoTitle.optional(),
  seoDescription: fields.seoDescription.optional(),
  showInFeed: fields.showInFeed.optional(),
  embargoUntil: fields.embargoUntil.optional(),
  isSponsored: fields.isSponsored.optional(),
  adMarking: fields.adMarking.optional(),
  commentsEnabled: fields.commentsEnabled.optional(),
  commentsClosedAt: fields.commentsClosedAt.optional(),
};

export const CreateArticleBody = z
  .strictObject({
    title: fields.title,
    slug: fields.slug.optional(),
    lead: fields.lead.optional(),
    body,
    rubricId: fields.rubricId.optional(),
    tagIds: fields.tagIds.optional(),
    authorIds: fields.authorIds
      .optional()
      .openapi({ description: 'Users in byline order; an author must include themselves and is the default.' }),
    ...optionalOnCreateAndUpdate,
    format: z.enum(articleFormats).optional().openapi({
      description: '`live` makes a live blog, whose entries are posted under it; `standard` when left out. It cannot change later.',
    }),
  })
  .openapi('CreateArticleBody');

export const UpdateArticleBody = z
  .strictObject({
    title: fields.title.optional(),
    slug: fields.slug.optional(),
    lead: fields.lead.optional(),
    body: body.optional(),
    rubricId: fields.rubricId.optional(),
    tagIds: fields.tagIds.optional(),
    authorIds: fields.authorIds.optional(),
    ...optionalOnCreateAndUpdate,
    substantiveUpdate: z.boolean().optional().openapi({
      description:
        'The save changes the story for its readers: `displayUpdatedAt` («Обновлено») moves to now. A typo fix, a tag or a photo credit is not one.',
    }),
  })
  .openapi('UpdateArticleBody', { description: 'Any subset of the fields; null clears a nullable one.' });

export const articleStatuses = ['draft', 'in_review', 'scheduled', 'published', 'archived'] as const;
/** How an article came in when it was not written here: an agency feed, a bulk import, a WordPress export. */
export const articleOrigins = ['wire', 'import', 'wordpress'] as const;

/** The ids the documented examples use, so the management and public examples name the same records. */
export const exampleIds = {
  article: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80',
  rubric: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b',
  tag: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a60',
  author: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c',
  photo: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a70',
};

export const ArticleSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    lead: z.string().nullable(),
    body: z.array(ArticleBlock),
    keyPoints: z.array(z.string()),
    status: z.enum(articleStatuses),
    showInFeed: z.boolean(),
    rubricId: z.string().nullable(),
    tagIds: z.array(z.string()),
    authorIds: z.array(z.string()),
    coverMediaId: z.string().nullable(),
    narrationMediaId: z.string().nullable(),
    narration: NarrationModeSchema,
    narrationStatus: NarrationStatusSchema,
    seoTitle: z.string().nullable(),
    seoDescription: z.string().nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    publishedAt: IsoDateTime.nullable().openapi({ description: 'When it became (or, scheduled, becomes) public; null while a draft.' }),
    embargoUntil: fields.embargoUntil,
    deletedAt: IsoDateTime.nullable().openapi({ description: 'When it was moved to the trash; null when it is not there.' }),
    displayUpdatedAt: IsoDateTime.nullable().openapi({
      description: 'When a correction or a substantive update last changed the story (shown as «Обновлено»); null: never.',
    }),
    isSponsored: z.boolean(),
    adMarking: z.union([AdMarkingSchema, z.null()]),
    commentsEnabled: z.boolean(),
    commentsClosedAt: IsoDateTime.nullable(),
    version: z.number().int().openapi({ description: 'Goes up by one with each change; send it back as If-Match (the ETag).', example: 4 }),
    format: z.enum(articleFormats).openapi({ description: '`live`: a live blog, with entries under `/live-entries`.' }),
    coverageStartedAt: IsoDateTime.nullable().openapi({
      description: 'A live blog: when its coverage started; null for a standard article.',
    }),
    coverageEndedAt: IsoDateTime.nullable().openapi({ description: 'A live blog: when its coverage ended; null while it runs.' }),
    origin: z.enum(articleOrigins).nullable().openapi({
      description: 'How it came in: `wire` (an agency feed), `import` (a bulk import), `wordpress`; null when written here. Read-only.',
    }),
    source: z.string().nullable().openapi({ description: 'The agency or system it came from. Read-only.', example: 'tass' }),
    externalId: z.string().nullable().openapi({ description: 'Its id there (a ninjs `uri`, a guid). Read-only.' }),
    externalVersion: z
      .string()
      .nullable()
      .openapi({
        description:
          'The version last received from there: its number, else the time it was made, else a digest of its content. ' +
          'A newer one updates the draft, or becomes a revision when an editor saved it since. Read-only.',
      }),
  })
  .openapi('Article', {
    example: {
      id: exampleIds.article,
      slug: 'duma-utverdila-byudzhet-na-dorogi-potratyat-na-12-bolshe',
      title: 'Дума утвердила бюджет: на дороги потратят на 12% больше',
      lead: 'Расходы города в следующем году вырастут на 7%, больше всего — на дороги и школы.',
      body: [
        { type: 'paragraph', text: 'Городская дума утвердила бюджет на следующий год: расходы на ремонт дорог вырастут на 12%.' },
        { type: 'image', mediaId: exampleIds.photo, caption: 'Заседание городской думы' },
      ],
      keyPoints: ['расходы на ремонт дорог вырастут на 12%'],
      status: 'published',
      showInFeed: true,
      rubricId: exampleIds.rubric,
      tagIds: [exampleIds.tag],
      authorIds: [exampleIds.author],
      coverMediaId: exampleIds.photo,
      narrationMediaId: null,
      narration: null,
      narrationStatus: {
        state: 'ready',
        provider: 'builtin',
        voice: 'espeak-ng:ru',
        textHash: '4f1c0e6b2a9d8c7e5f3a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e',
        durationSeconds: 94.2,
        error: null,
        updatedAt: '2026-11-23T09:31:10.000Z',
      },
      seoTitle: null,
      seoDescription: null,
      createdAt: '2026-11-23T08:10:00.000Z',
      updatedAt: '2026-11-23T09:30:00.000Z',
      publishedAt: '2026-11-23T09:30:00.000Z',
      embargoUntil: null,
      deletedAt: null,
      displayUpdatedAt: null,
      isSponsored: false,
      adMarking: null,
      commentsEnabled: true,
      commentsClosedAt: null,
      version: 4,
      format: 'standard',
      coverageStartedAt: null,
      coverageEndedAt: null,
      origin: null,
      source: null,
      externalId: null,
      externalVersion: null,
    },
  });

export const ListArticlesQuery = PageQuery.extend({
  status: z
    .enum(articleStatuses)
    .optional()
    .openapi({ param: { description: 'Only articles in this state.' } }),
  inTrash: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .openapi({ param: { description: '`true`: only articles in the trash; otherwise only those not in it.' } }),
  origin: z
    .enum(articleOrigins)
    .optional()
    .openapi({ param: { description: 'Only articles that came in this way: `origin=wire&status=draft` is the incoming desk.' } }),
  rubricId: id.optional().openapi({ param: { description: 'Only articles of this rubric.' } }),
  authorId: id.optional().openapi({ param: { description: 'Only articles this user is an author of.' } }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { description: 'Words in the title, lead or body; case and ё/е do not matter.' }, example: 'бюджет' }),
});

export const ArticlePage = pageOf(ArticleSchema, 'ArticlePage');

export const PublishArticleBody = z
  .strictObject({
    publishAt: IsoDateTime.optional().openapi({
      description: 'A future time schedules the article; left out (or past), it is published now.',
      example: '2026-11-24T06:00:00.000Z',
    }),
  })
  .openapi('PublishArticleBody');

// Everything an editor saves, nothing of the workflow state: the article's own fields, so the two never drift apart.
export const RevisionContentSchema = ArticleSchema.pick({
  title: true,
  slug: true,
  lead: true,
  body: true,
  keyPoints: true,
  rubricId: true,
  tagIds: true,
  authorIds: true,
  coverMediaId: true,
  narrationMediaId: true,
  seoTitle: true,
  seoDescription: true,
  showInFeed: true,
  embargoUntil: true,
}).openapi('ArticleRevisionContent', { description: "An article's content as it was saved: no workflow state." });

const revisionShape = {
  id: z.string(),
  number: z.number().int().openapi({ description: 'The article version this content was saved at.', example: 3 }),
  actor: z.string().openapi({ description: '"user:<id>" or "apiKey:<id>".', example: 'user:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c' }),
  createdAt: IsoDateTime,
};

export const RevisionSummarySchema = z.object(revisionShape).openapi('ArticleRevisionSummary');
export const RevisionPage = pageOf(RevisionSummarySchema, 'ArticleRevisionPage');
export const RevisionSchema = z.object({ ...revisionShape, content: RevisionContentSchema }).openapi('ArticleRevision');

const revisionRef = z.object({ id: z.string(), number: z.number().int() });
export const RevisionDiffSchema = z
  .object({
    from: revisionRef,
    to: revisionRef,
    fields: z
      .array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() }))
      .openapi({ description: 'Each content field other than the body whose value differs.' }),
    blocks: z
      .array(
        z.object({
          change: z.enum(['added', 'removed', 'changed']),
          fromIndex: z.number().int().nullable(),
          toIndex: z.number().int().nullable(),
          // A union, not .nullable(): a nullable reference to a registered schema is generated as a broken oneOf.
          from: z.union([ArticleBlock, z.null()]),
          to: z.union([ArticleBlock, z.null()]),
        }),
      )
      .openapi({ description: "The body's blocks that were added, removed or changed; unchanged blocks are left out." }),
  })
  .openapi('ArticleRevisionDiff');

export const RevisionParams = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { description: 'The id of the article.' } }),
  revisionId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { description: 'The id of the revision.' } }),
});

export const RevisionDiffQuery = z.strictObject({
  to: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { description: 'The revision to compare with; the newest when left out.' } }),
});

export const PreviewLinkSchema = z
  .object({
    token: z.string(),
    url: z.string().openapi({ description: 'The public preview address, `/v1/preview/{token}`.' }),
    expiresAt: IsoDateTime,
  })
  .openapi('ArticlePreviewLink');

export const PreviewParams = z.strictObject({
  token: z
    .string()
    .min(1)
    .max(2000)
    .openapi({ param: { description: 'The token of a preview link.' } }),
});

export const EmptyTrashResultSchema = z
  .object({ deleted: z.number().int().openapi({ description: 'How many articles were deleted for good.' }) })
  .openapi('EmptyTrashResult');
export type CreateArticleInput = z.infer<typeof CreateArticleBody>;
export type UpdateArticleInput = z.infer<typeof UpdateArticleBody>;
export type ListArticlesInput = z.infer<typeof ListArticlesQuery>;
export type ArticleResponse = z.infer<typeof ArticleSchema>;
export type PublishArticleInput = z.infer<typeof PublishArticleBody>;
export type RevisionContent = z.infer<typeof RevisionContentSchema>;
export type RevisionSummaryResponse = z.infer<typeof RevisionSummarySchema>;
export type RevisionResponse = z.infer<typeof RevisionSchema>;
export type RevisionDiffResponse = z.infer<typeof RevisionDiffSchema>;
export type PreviewLinkResponse = z.infer<typeof PreviewLinkSchema>;
