import { IsoDateTime, PageQuery, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';
import { ArticleCorrectionSchema, correctionKinds } from './articles.public.schemas.ts';

export const CreateCorrectionBody = z
  .strictObject({
    kind: z.enum(correctionKinds).openapi({
      description: '`correction`: a fact was wrong; `clarification`: it was unclear or incomplete; `update`: the story moved on.',
      example: 'correction',
    }),
    text: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .openapi({ example: 'В первой версии статьи прирост расходов на дороги был указан неверно: 21% вместо 12%.' }),
  })
  .openapi('CreateCorrectionBody');

/** What adding a correction answers: the article's new state (its version, for the next If-Match) and the correction. */
export const CorrectedArticleSchema = z
  .object({
    id: z.string().openapi({ description: 'The id of the article.' }),
    version: z.number().int().openapi({ description: "The article's version after the correction." }),
    displayUpdatedAt: IsoDateTime.openapi({ description: 'Now the time readers see as «Обновлено».' }),
    correction: ArticleCorrectionSchema,
  })
  .openapi('CorrectedArticle');

export const ArticleCorrectionList = z
  .object({ items: z.array(ArticleCorrectionSchema) })
  .openapi('ArticleCorrectionList', { description: "An article's corrections, oldest first." });

export const CorrectionParams = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { description: 'The id of the article.' } }),
  correctionId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { description: 'The id of the correction.' } }),
});

export const CorrectionLogEntrySchema = z
  .object({
    id: z.string(),
    kind: z.enum(correctionKinds),
    text: z.string(),
    publishedAt: IsoDateTime,
    article: z.object({ id: z.string(), slug: z.string(), title: z.string() }).openapi('CorrectedArticleRef'),
  })
  .openapi('CorrectionLogEntry');

export const CorrectionLogQuery = PageQuery;
export const CorrectionLogPage = pageOf(CorrectionLogEntrySchema, 'CorrectionLogPage');

export type CreateCorrectionInput = z.infer<typeof CreateCorrectionBody>;
export type CorrectedArticleResponse = z.infer<typeof CorrectedArticleSchema>;
export type CorrectionLogEntryResponse = z.infer<typeof CorrectionLogEntrySchema>;
