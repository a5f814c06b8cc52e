import { IsoDateTime, PageQuery, pageOf } from '../../shared/common.schemas.ts';
import { NarrationStatusSchema } from '../../shared/narration.schemas.ts';
import { z } from '../../shared/zod.ts';

const term = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .openapi({ description: 'A word or a few, matched whole and case-insensitively.', example: 'ЦБ' });
const spoken = z.string().trim().min(1).max(300).openapi({ description: 'How the narration says it.', example: 'цэ бэ' });

export const CreatePronunciationBody = z.strictObject({ term, spoken }).openapi('CreatePronunciationBody');
export const UpdatePronunciationBody = z
  .strictObject({ term: term.optional(), spoken: spoken.optional() })
  .openapi('UpdatePronunciationBody');

export const PronunciationSchema = z
  .object({
    id: z.string(),
    term: z.string(),
    spoken: z.string(),
    version: z.number().int().openapi({ description: 'Goes up by one with each change; send it back as If-Match (the ETag).', example: 1 }),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .openapi('Pronunciation', {
    example: {
      id: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a90',
      term: 'ЦБ',
      spoken: 'цэ бэ',
      version: 1,
      createdAt: '2026-11-20T08:15:00.000Z',
      updatedAt: '2026-11-20T08:15:00.000Z',
    },
  });

export const ListPronunciationsQuery = PageQuery;
export const PronunciationPage = pageOf(PronunciationSchema, 'PronunciationPage');

export const NarrationRequestSchema = z
  .object({ articleId: z.string(), narrationStatus: NarrationStatusSchema })
  .openapi('NarrationRequest', { description: 'The job is queued; `narrationStatus` of the article shows how it goes.' });

export const KeyPointSuggestionSchema = z
  .object({
    text: z.string().openapi({ example: 'Расходы на ремонт дорог в следующем году вырастут на 12%.' }),
    blockIndex: z.number().int().openapi({ description: 'The body block the sentence is in, from 0.', example: 0 }),
    itemIndex: z.number().int().nullable().openapi({ description: "For a list block, the item's index; null otherwise." }),
    start: z
      .number()
      .int()
      .openapi({ description: "Offset of the sentence in the block's (or item's) text, in UTF-16 code units.", example: 0 }),
    end: z.number().int().openapi({ description: 'Offset after its last character.', example: 56 }),
    score: z.number().openapi({ description: 'Its TextRank score: higher is more central to the text.', example: 0.213 }),
  })
  .openapi('KeyPointSuggestion');

export const KeyPointSuggestionsSchema = z
  .object({ items: z.array(KeyPointSuggestionSchema).max(5) })
  .openapi('KeyPointSuggestions', { description: 'Up to five sentences of the body, the most central first.' });

export type CreatePronunciationInput = z.infer<typeof CreatePronunciationBody>;
export type UpdatePronunciationInput = z.infer<typeof UpdatePronunciationBody>;
export type PronunciationResponse = z.infer<typeof PronunciationSchema>;
export type NarrationRequestResponse = z.infer<typeof NarrationRequestSchema>;
export type KeyPointSuggestionsResponse = z.infer<typeof KeyPointSuggestionsSchema>;
