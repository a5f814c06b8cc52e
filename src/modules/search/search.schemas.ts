import { IsoDateTime, PageQuery, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';
import { ArticleSummarySchema } from '../articles/articles.public.schemas.ts';

export const QUERY_MAX_LENGTH = 200;

export const SearchQuery = PageQuery.extend({
  q: z
    .string()
    .max(QUERY_MAX_LENGTH)
    .trim()
    .min(1)
    .openapi({
      param: {
        description: [
          `Words to find, at most ${QUERY_MAX_LENGTH} characters. Every word must occur (in the title, lead, body or a tag name),`,
          'in any grammatical form: «переговоры» finds «переговорах», «Китая» finds «Китай». Case and ё/е do not matter.',
          'Punctuation, quotes and operators (`*`, `-`, `AND`, `OR`, `NEAR`) are not syntax: they are read as text or ignored;',
          'function words (и, в, на, the, of…) are ignored, and so are words after the eighth.',
        ].join(' '),
      },
      example: 'переговоры с Китаем',
    }),
  rubric: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({
      param: { description: 'Only articles of the rubric with this slug and of its sub-rubrics; an unknown slug finds nothing.' },
      example: 'politika',
    }),
  from: IsoDateTime.optional().openapi({ param: { description: 'Published at or after this time.' } }),
  to: IsoDateTime.optional().openapi({ param: { description: 'Published at or before this time.' } }),
});

// A fresh object rather than .extend(): an extension is documented as an allOf, which a closed-object check rejects.
export const SearchHitSchema = z
  .object({
    ...ArticleSummarySchema.shape,
    snippet: z.string().openapi({
      description: [
        'HTML: a passage of the lead or body (about 200 characters) with every word that matched the query wrapped in',
        '`<mark>…</mark>` and an ellipsis where it is cut. All other text is HTML-escaped (`&`, `<`, `>`, `"`, `\'`), so the',
        'string is safe to insert as HTML as it is. When the article matched by its title or a tag only, the beginning of its',
        'lead or body, with nothing marked. Empty when the article has no such text.',
      ].join(' '),
      example: '…Стороны провели <mark>переговоры</mark> о поставках зерна; делегация <mark>Китая</mark> предложила продлить соглашение…',
    }),
    score: z
      .number()
      .int()
      .openapi({
        description:
          'How well it matched: for each query word, the weights of the fields it occurs in (title 8, a tag name 4, lead 2, body 1) ' +
          'added up, then summed over the words. Hits come by score, then newest first.',
        example: 9,
      }),
  })
  .openapi('SearchHit', {
    description: 'A published article that matches the query: its summary as lists show it, with a highlighted snippet and its score.',
  });

export const SearchPage = pageOf(SearchHitSchema, 'SearchPage');

export type SearchInput = z.infer<typeof SearchQuery>;
export type SearchHitResponse = z.infer<typeof SearchHitSchema>;
