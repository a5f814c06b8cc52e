import { AuthorRefSchema, IsoDateTime, PageQuery, RubricRefSchema, TagRefSchema, pageOf } from '../../shared/common.schemas.ts';
import { NewsArticleJsonLdSchema } from '../../shared/news-article-json-ld.schemas.ts';
import { PublicAdMarkingSchema } from '../../shared/ad-marking.schemas.ts';
import { z } from '../../shared/zod.ts';
import { MediaSchema } from '../media/media.schemas.ts';
import { PublicArticleBlock } from './articles.blocks.schemas.ts';
import { LiveBlockSchema } from './articles.live.schemas.ts';
import { exampleIds } from './articles.schemas.ts';

export { PublicArticleBlock, PublicImageBlock } from './articles.blocks.schemas.ts';

// What the public API answers and the queries it takes: published articles for front ends.

// A union rather than .nullable(): a nullable reference to a registered schema is generated as a broken allOf.
const nullableMedia = z.union([MediaSchema, z.null()]);

export const correctionKinds = ['correction', 'clarification', 'update'] as const;

export const ArticleCorrectionSchema = z
  .object({
    id: z.string(),
    kind: z.enum(correctionKinds).openapi({
      description: '`correction`: a fact was wrong; `clarification`: it was unclear or incomplete; `update`: the story moved on.',
    }),
    text: z.string().openapi({ example: 'В первой версии статьи прирост расходов на дороги был указан неверно: 21% вместо 12%.' }),
    publishedAt: IsoDateTime,
  })
  .openapi('ArticleCorrection', { description: 'A published correction: append-only, never changed or deleted.' });

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
  displayUpdatedAt: IsoDateTime.optional().openapi({
    description:
      'The time to show readers as «Обновлено»: the last correction or substantive update, else the publication time. Not moved by typo fixes.',
  }),
  adMarking: z.union([PublicAdMarkingSchema, z.null()]).optional().openapi({
    description: 'A sponsored article is an advertisement: show `text` with it, and give links to it `rel="sponsored"`. Null otherwise.',
  }),
  commentCount: z.number().int().optional().openapi({ description: 'With `include=commentCount`: how many comments it has.' }),
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
    displayUpdatedAt: '2026-11-23T09:30:00.000Z',
    adMarking: null,
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
    corrections: z
      .array(ArticleCorrectionSchema)
      .optional()
      .openapi({ description: 'Corrections, clarifications and updates, oldest first: show them at the foot of the article.' }),
    commentsEnabled: z.boolean().optional().openapi({ description: 'Whether the article takes comments.' }),
    commentsClosedAt: IsoDateTime.nullable().optional().openapi({ description: 'No new comments from this time on.' }),
    related: z
      .array(ArticleSummarySchema)
      .optional()
      .openapi({ description: 'With `include=related`: up to 6 public articles of the same rubric or with a shared tag, newest first.' }),
    // Describes the whole article whatever `include` embeds.
    jsonLd: NewsArticleJsonLdSchema.optional(),
    live: LiveBlockSchema.optional().openapi({ description: 'A live blog (format `live`) only: its coverage and newest entries.' }),
  })
  .openapi('PublicArticle', {
    description: 'A published article with its body, photos and credits. Fields left out by `include` or `fields` are absent.',
  });

export const publicIncludes = ['rubric', 'authors', 'tags', 'cover', 'related', 'commentCount'] as const;
export type PublicInclude = (typeof publicIncludes)[number];
const defaultIncludes: PublicInclude[] = ['rubric', 'authors', 'tags', 'cover'];

const summaryFields = Object.keys(summaryShape) as [keyof typeof summaryShape, ...(keyof typeof summaryShape)[]];
const articleFields = [
  ...summaryFields,
  'body',
  'keyPoints',
  'narration',
  'seoTitle',
  'seoDescription',
  'corrections',
  'commentsEnabled',
  'commentsClosedAt',
  'related',
  'jsonLd',
  'live',
] as const;

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

export const ListPublicArticlesQuery = PageQuery.extend({
  include: includeParam(['rubric', 'authors', 'tags', 'cover', 'commentCount']),
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

export const ArticleSummaryPage = pageOf(ArticleSummarySchema, 'ArticleSummaryPage');

export type ListPublicArticlesInput = z.infer<typeof ListPublicArticlesQuery>;
export type GetPublicArticleInput = z.infer<typeof GetPublicArticleQuery>;
export type ArticleSummaryResponse = z.infer<typeof ArticleSummarySchema>;
export type PublicArticleResponse = z.infer<typeof PublicArticleSchema>;
export type PublicArticleBlockResponse = z.infer<typeof PublicArticleBlock>;
export type ArticleCorrectionResponse = z.infer<typeof ArticleCorrectionSchema>;
export type CorrectionKind = (typeof correctionKinds)[number];
