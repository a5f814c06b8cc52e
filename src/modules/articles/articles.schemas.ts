import { AuthorRefSchema, IsoDateTime, PageQuery, RubricRefSchema, TagRefSchema, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';
import { MediaSchema } from '../media/media.schemas.ts';
import { NewsArticleJsonLdSchema } from '../syndication/syndication.schemas.ts';

export const BODY_MAX_BLOCKS = 500;
export const KEY_POINTS_MAX = 20;

const id = z.string().min(1).max(64);
const blockText = z.string().trim().min(1).max(20_000);
const caption = z.string().trim().max(1000).openapi({ example: 'Новый пешеходный мост через Нерль, вид с набережной' });

// Body blocks: the request shape is also the stored and the management response shape.
export const ParagraphBlock = z
  .strictObject({
    type: z.literal('paragraph'),
    text: blockText.openapi({ example: 'Городская дума утвердила бюджет на следующий год: расходы на ремонт дорог вырастут на 12%.' }),
  })
  .openapi('ParagraphBlock');

export const HeadingBlock = z
  .strictObject({
    type: z.literal('heading'),
    text: z.string().trim().min(1).max(300).openapi({ example: 'Что изменится для жителей' }),
    level: z.union([z.literal(2), z.literal(3)]).openapi({ description: 'h2 or h3; the title is the h1.', example: 2 }),
  })
  .openapi('HeadingBlock');

export const QuoteBlock = z
  .strictObject({
    type: z.literal('quote'),
    text: blockText.openapi({ example: 'Мы впервые за десять лет закладываем в бюджет полный ремонт набережной.' }),
    attribution: z.string().trim().min(1).max(300).optional().openapi({ example: 'Ирина Полякова, председатель бюджетного комитета' }),
  })
  .openapi('QuoteBlock');

export const ImageBlock = z
  .strictObject({
    type: z.literal('image'),
    mediaId: id.openapi({ description: 'A media item of kind image.', example: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a70' }),
    caption: caption.optional(),
  })
  .openapi('ImageBlock');

export const EmbedBlock = z
  .strictObject({
    type: z.literal('embed'),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .openapi({ description: 'An http or https address.', example: 'https://video.example/watch/budget-hearing' }),
    provider: z.string().trim().min(1).max(100).optional().openapi({ example: 'Видеохостинг' }),
    caption: caption.optional(),
  })
  .openapi('EmbedBlock');

export const ListBlock = z
  .strictObject({
    type: z.literal('list'),
    style: z.enum(['bulleted', 'numbered']).openapi({ example: 'bulleted' }),
    items: z
      .array(z.string().trim().min(1).max(2000))
      .min(1)
      .max(100)
      .openapi({ example: ['Ремонт 40 км дорог', 'Две новые школы', 'Обновление трамвайного парка'] }),
  })
  .openapi('ListBlock');

export const ArticleBlock = z
  .discriminatedUnion('type', [ParagraphBlock, HeadingBlock, QuoteBlock, ImageBlock, EmbedBlock, ListBlock])
  .openapi('ArticleBlock', { description: 'One block of an article body, told apart by `type`.' });

const body = z
  .array(ArticleBlock)
  .min(1)
  .max(BODY_MAX_BLOCKS)
  .openapi({ description: `Ordered blocks, 1 to ${BODY_MAX_BLOCKS}.` });

const unique = (ids: string[]) => new Set(ids).size === ids.length;

const fields = {
  title: z.string().trim().min(1).max(300).openapi({ example: 'Дума утвердила бюджет: на дороги потратят на 12% больше' }),
  slug: z
    .string()
    .max(80)
    .openapi({
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
      description: `Up to ${KEY_POINTS_MAX} passages marked by the reader's "highlight the main points" toggle; each copied verbatim from a paragraph, heading, quote or list of the body.`,
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
    coverMediaId: fields.coverMediaId.optional(),
    narrationMediaId: fields.narrationMediaId.optional(),
    keyPoints: fields.keyPoints.optional(),
    seoTitle: fields.seoTitle.optional(),
    seoDescription: fields.seoDescription.optional(),
    showInFeed: fields.showInFeed.optional(),
    embargoUntil: fields.embargoUntil.optional(),
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
    coverMediaId: fields.coverMediaId.optional(),
    narrationMediaId: fields.narrationMediaId.optional(),
    keyPoints: fields.keyPoints.optional(),
    seoTitle: fields.seoTitle.optional(),
    seoDescription: fields.seoDescription.optional(),
    showInFeed: fields.showInFeed.optional(),
    embargoUntil: fields.embargoUntil.optional(),
  })
  .openapi('UpdateArticleBody', { description: 'Any subset of the fields; null clears a nullable one.' });

export const articleStatuses = ['draft', 'in_review', 'scheduled', 'published', 'archived'] as const;

const exampleIds = {
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
    seoTitle: z.string().nullable(),
    seoDescription: z.string().nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    publishedAt: IsoDateTime.nullable().openapi({ description: 'When it became (or, scheduled, becomes) public; null while a draft.' }),
    embargoUntil: fields.embargoUntil,
    deletedAt: IsoDateTime.nullable().openapi({ description: 'When it was moved to the trash; null when it is not there.' }),
    version: z.number().int().openapi({ description: 'Goes up by one with each change; send it back as If-Match (the ETag).', example: 4 }),
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
      seoTitle: null,
      seoDescription: null,
      createdAt: '2026-11-23T08:10:00.000Z',
      updatedAt: '2026-11-23T09:30:00.000Z',
      publishedAt: '2026-11-23T09:30:00.000Z',
      embargoUntil: null,
      deletedAt: null,
      version: 4,
    },
  });

/** A body photo as the public sees it: the block with its media (url, credit) resolved. */
export const PublicImageBlock = z.object({ ...ImageBlock.shape, media: MediaSchema }).openapi('PublicImageBlock');

export const PublicArticleBlock = z
  .discriminatedUnion('type', [ParagraphBlock, HeadingBlock, QuoteBlock, PublicImageBlock, EmbedBlock, ListBlock])
  .openapi('PublicArticleBlock');

// A union rather than .nullable(): a nullable reference to a registered schema is generated as a broken allOf.
const nullableMedia = z.union([MediaSchema, z.null()]);

// With `include` and `fields` a front end asks for less: every field but `id` may then be absent.
const summaryShape = {
  id: z.string(),
  slug: z.string().optional(),
  title: z.string().optional(),
  lead: z.string().nullable().optional(),
  rubric: RubricRefSchema.nullable().optional(),
  authors: z.array(AuthorRefSchema).optional(),
  tags: z.array(TagRefSchema).optional(),
  cover: nullableMedia.optional(),
  publishedAt: IsoDateTime.optional(),
  updatedAt: IsoDateTime.optional(),
};

export const ArticleSummarySchema = z.object(summaryShape).openapi('ArticleSummary', {
  description: 'A published article as a list shows it. Fields left out by `include` or `fields` are absent.',
  example: {
    id: exampleIds.article,
    slug: 'duma-utverdila-byudzhet-na-dorogi-potratyat-na-12-bolshe',
    title: 'Дума утвердила бюджет: на дороги потратят на 12% больше',
    lead: 'Расходы города в следующем году вырастут на 7%, больше всего — на дороги и школы.',
    rubric: { id: exampleIds.rubric, name: 'Город', slug: 'gorod' },
    authors: [{ id: exampleIds.author, displayName: 'Мария Ковалёва', slug: 'mariya-kovaleva' }],
    tags: [{ id: exampleIds.tag, name: 'Бюджет', slug: 'byudzhet' }],
    cover: null,
    publishedAt: '2026-11-23T09:30:00.000Z',
    updatedAt: '2026-11-23T09:30:00.000Z',
  },
});

// A fresh object rather than .extend(): an extension is documented as an allOf, which a closed-object check rejects.
export const PublicArticleSchema = z
  .object({
    ...summaryShape,
    body: z.array(PublicArticleBlock).optional(),
    keyPoints: z.array(z.string()).optional(),
    narration: nullableMedia.optional(),
    seoTitle: z.string().nullable().optional(),
    seoDescription: z.string().nullable().optional(),
    related: z
      .array(ArticleSummarySchema)
      .optional()
      .openapi({ description: 'With `include=related`: up to 6 public articles of the same rubric or with a shared tag, newest first.' }),
    // Describes the whole article whatever `include` embeds.
    jsonLd: NewsArticleJsonLdSchema.optional(),
  })
  .openapi('PublicArticle', {
    description: 'A published article with its body, photos and credits. Fields left out by `include` or `fields` are absent.',
  });

export const publicIncludes = ['rubric', 'authors', 'tags', 'cover', 'related'] as const;
export type PublicInclude = (typeof publicIncludes)[number];
const defaultIncludes: PublicInclude[] = ['rubric', 'authors', 'tags', 'cover'];

const summaryFields = Object.keys(summaryShape) as [keyof typeof summaryShape, ...(keyof typeof summaryShape)[]];
const articleFields = [...summaryFields, 'body', 'keyPoints', 'narration', 'seoTitle', 'seoDescription', 'related', 'jsonLd'] as const;

/** A comma-separated list parameter whose every item must be one of `allowed`. */
function listParam<T extends string>(allowed: readonly [T, ...T[]], description: string, example: string, whenLeftOut?: T[]) {
  return z
    .string()
    .max(500)
    .optional()
    .transform((v) =>
      v === undefined
        ? whenLeftOut
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    )
    .pipe(z.array(z.enum(allowed)).optional())
    .openapi({ param: { description: `${description} One or more of: ${allowed.join(', ')}, comma-separated.` }, example });
}

const includeParam = (allowed: readonly [PublicInclude, ...PublicInclude[]]) =>
  listParam(
    allowed,
    `The related records to embed; left out: ${defaultIncludes.join(', ')}. An empty value embeds none.`,
    'rubric,cover',
    defaultIncludes,
  );

const fieldsParam = <T extends string>(allowed: readonly [T, ...T[]]) =>
  listParam(allowed, 'Only these fields (and `id`) in each item; left out: all.', 'title,slug,publishedAt');

const slugFilter = (what: string, example: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { description: `Only articles ${what}; an unknown slug gives an empty list.` }, example });

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

export const ListPublicArticlesQuery = PageQuery.extend({
  include: includeParam(['rubric', 'authors', 'tags', 'cover']),
  fields: fieldsParam(summaryFields),
  rubric: slugFilter('of this rubric and its sub-rubrics', 'gorod'),
  tag: slugFilter('with this tag', 'byudzhet'),
  author: slugFilter('by this author', 'mariya-kovaleva'),
  from: IsoDateTime.optional().openapi({ param: { description: 'Published at or after this time.' } }),
  to: IsoDateTime.optional().openapi({ param: { description: 'Published at or before this time.' } }),
});

export const GetPublicArticleQuery = z.strictObject({
  include: includeParam(publicIncludes),
  fields: fieldsParam(articleFields),
});

export const ArticleSlugParams = z.strictObject({
  slug: z
    .string()
    .min(1)
    .max(200)
    .openapi({
      param: { description: "The article's current slug, or a former one (answered with a redirect)." },
      example: 'duma-utverdila-byudzhet-na-dorogi-potratyat-na-12-bolshe',
    }),
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
export const ArticleSummaryPage = pageOf(ArticleSummarySchema, 'ArticleSummaryPage');

export type ArticleBlockInput = z.infer<typeof ArticleBlock>;
export type CreateArticleInput = z.infer<typeof CreateArticleBody>;
export type UpdateArticleInput = z.infer<typeof UpdateArticleBody>;
export type ListArticlesInput = z.infer<typeof ListArticlesQuery>;
export type ListPublicArticlesInput = z.infer<typeof ListPublicArticlesQuery>;
export type GetPublicArticleInput = z.infer<typeof GetPublicArticleQuery>;
export type ArticleResponse = z.infer<typeof ArticleSchema>;
export type ArticleSummaryResponse = z.infer<typeof ArticleSummarySchema>;
export type PublicArticleResponse = z.infer<typeof PublicArticleSchema>;
export type PublicArticleBlockResponse = z.infer<typeof PublicArticleBlock>;
export type PublishArticleInput = z.infer<typeof PublishArticleBody>;
export type RevisionContent = z.infer<typeof RevisionContentSchema>;
export type RevisionSummaryResponse = z.infer<typeof RevisionSummarySchema>;
export type RevisionResponse = z.infer<typeof RevisionSchema>;
export type RevisionDiffResponse = z.infer<typeof RevisionDiffSchema>;
export type PreviewLinkResponse = z.infer<typeof PreviewLinkSchema>;
