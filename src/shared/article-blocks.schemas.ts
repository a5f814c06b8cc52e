import { z } from './zod.ts';

// The blocks of an article body: the request shape is also the stored and the management response shape.
// Shared because search and syndication read bodies too, and the text walker over them lives in shared/.

const blockText = z.string().trim().min(1).max(20_000);
// Text blocks may be kept out of the generated narration (a table read as prose, a repeated credit).
const speak = z.boolean().optional().openapi({ description: 'false keeps the block out of the generated narration; read by default.' });

const caption = z.string().trim().max(1000).openapi({ example: 'Новый пешеходный мост через Нерль, вид с набережной' });

export const ParagraphBlock = z
  .strictObject({
    type: z.literal('paragraph'),
    speak,
    text: blockText.openapi({ example: 'Городская дума утвердила бюджет на следующий год: расходы на ремонт дорог вырастут на 12%.' }),
  })
  .openapi('ParagraphBlock');

export const HeadingBlock = z
  .strictObject({
    type: z.literal('heading'),
    speak,
    text: z.string().trim().min(1).max(300).openapi({ example: 'Что изменится для жителей' }),
    level: z.union([z.literal(2), z.literal(3)]).openapi({ description: 'h2 or h3; the title is the h1.', example: 2 }),
  })
  .openapi('HeadingBlock');

export const QuoteBlock = z
  .strictObject({
    type: z.literal('quote'),
    speak,
    text: blockText.openapi({ example: 'Мы впервые за десять лет закладываем в бюджет полный ремонт набережной.' }),
    attribution: z.string().trim().min(1).max(300).optional().openapi({ example: 'Ирина Полякова, председатель бюджетного комитета' }),
  })
  .openapi('QuoteBlock');

export const ImageBlock = z
  .strictObject({
    type: z.literal('image'),
    mediaId: z
      .string()
      .min(1)
      .max(64)
      .openapi({ description: 'A media item of kind image.', example: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a70' }),
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
    speak,
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

export type ArticleBlockInput = z.infer<typeof ArticleBlock>;
