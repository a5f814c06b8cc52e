import { EmbedBlock, HeadingBlock, ImageBlock, ListBlock, ParagraphBlock, QuoteBlock } from '../../shared/article-blocks.schemas.ts';
import { z } from '../../shared/zod.ts';
import { MediaSchema } from '../media/media.schemas.ts';

// Body blocks as the public sees them, apart from the article shapes so that live entries use them too.

/** A body photo as the public sees it: the block with its media (url, credit) resolved. */
export const PublicImageBlock = z.object({ ...ImageBlock.shape, media: MediaSchema }).openapi('PublicImageBlock');

export const PublicArticleBlock = z
  .discriminatedUnion('type', [ParagraphBlock, HeadingBlock, QuoteBlock, PublicImageBlock, EmbedBlock, ListBlock])
  .openapi('PublicArticleBlock');
