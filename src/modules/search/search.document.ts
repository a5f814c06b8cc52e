import { bodyTextsOf } from '../../shared/article-text.ts';
import { termsOf } from './search.text.ts';

/** Where a word was found, as a bit of a term's score: a hit in the title outweighs all the others together. */
export const fieldWeights = { title: 8, tags: 4, lead: 2, body: 1 } as const;

/** The searchable text of an article. */
export interface ArticleText {
  title: string;
  lead: string | null;
  /** The stored body blocks (validated by the articles schemas when saved). */
  body: unknown;
  tagNames: string[];
}

/** Each term of the article with its score: the weights of the fields it occurs in, added up. */
export function termScoresOf(article: ArticleText): Map<string, number> {
  const scores = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const term of termsOf(text)) scores.set(term, (scores.get(term) ?? 0) | weight);
  };
  add(article.title, fieldWeights.title);
  for (const name of article.tagNames) add(name, fieldWeights.tags);
  if (article.lead) add(article.lead, fieldWeights.lead);
  for (const text of bodyTextsOf(article.body)) add(text, fieldWeights.body);
  return scores;
}
