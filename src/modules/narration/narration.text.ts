import { createHash } from 'node:crypto';
import type { ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';

/** What a narration reads: the title, the lead, then the body's text blocks in order. */
export interface SpokenArticle {
  title: string;
  lead: string | null;
  body: unknown;
}

/**
 * The passages read aloud, in order: the title, the lead, paragraphs, headings, quotes with their
 * attribution, list items. Photos' captions and embeds are not read, nor any block marked `speak: false`.
 */
export function spokenPassagesOf(article: SpokenArticle): string[] {
  const blocks = Array.isArray(article.body) ? (article.body as ArticleBlockInput[]) : [];
  const passages = [article.title, ...(article.lead ? [article.lead] : [])];
  for (const block of blocks) {
    if ('speak' in block && block.speak === false) continue;
    switch (block.type) {
      case 'paragraph':
      case 'heading':
        passages.push(block.text);
        break;
      case 'quote':
        passages.push(block.attribution ? `${block.text} — ${block.attribution}.` : block.text);
        break;
      case 'list':
        passages.push(...block.items);
        break;
      default:
        // Photos and embeds have nothing to read; a block of an unknown type is skipped.
        break;
    }
  }
  return passages.map((p) => p.trim()).filter(Boolean);
}

/** The hash the narration is kept in step by: a change to any passage read aloud changes it, nothing else does. */
export function spokenTextHash(passages: readonly string[]): string {
  return createHash('sha256').update(passages.join('\n\n')).digest('hex');
}
