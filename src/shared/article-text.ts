import type { ArticleBlockInput } from './article-blocks.schemas.ts';

/** Folds text the way Article.searchText is stored: lower case, ё as е, so filters match alike on both dialects. */
export const foldForSearch = (text: string) => text.toLowerCase().replaceAll('ё', 'е');

/** The words of one block: its own (a paragraph's, heading's or quote's text, a list's items) and those around it. */
function wordsOfBlock(block: ArticleBlockInput): { own: string[]; around: string[] } {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return { own: [block.text], around: [] };
    case 'quote':
      return { own: [block.text], around: block.attribution ? [block.attribution] : [] };
    case 'list':
      return { own: block.items, around: [] };
    case 'image':
    case 'embed':
      return { own: [], around: block.caption ? [block.caption] : [] };
    default:
      // A stored body is read without parsing it again: a block of an unknown type has no words.
      return { own: [], around: [] };
  }
}

/** The texts of a body in reading order: paragraphs, headings, quotes with their authors, list items, captions. */
export function bodyTextsOf(body: unknown): string[] {
  if (!Array.isArray(body)) return [];
  return (body as ArticleBlockInput[]).flatMap((block) => {
    const { own, around } = wordsOfBlock(block);
    return [...own, ...around];
  });
}

/** The texts key points may quote, one a block: paragraphs, headings, quotes and lists (their items a line each). */
export function quotableTextsOf(body: ArticleBlockInput[]): string[] {
  return body.flatMap((block) => {
    const { own } = wordsOfBlock(block);
    return own.length ? [own.join('\n')] : [];
  });
}
