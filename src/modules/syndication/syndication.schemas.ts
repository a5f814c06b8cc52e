import { IsoDateTime, SlugParams } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

const JsonFeedAuthor = z.object({ name: z.string() }).openapi('JsonFeedAuthor');

const JsonFeedAttachment = z
  .object({ url: z.string(), mime_type: z.string(), size_in_bytes: z.number().int().optional() })
  .openapi('JsonFeedAttachment');

const JsonFeedItem = z
  .object({
    id: z.string().openapi({ description: "The article's id: it stays when the slug changes." }),
    url: z.string(),
    title: z.string(),
    summary: z.string().optional().openapi({ description: 'The lead.' }),
    _ad_marking: z
      .object({ text: z.string() })
      .optional()
      .openapi({ description: 'A sponsored article (an advertisement): the marking line to show with it. A JSON Feed extension.' }),
    content_html: z.string(),
    image: z.string().optional().openapi({ description: 'The cover picture.' }),
    date_published: IsoDateTime,
    date_modified: IsoDateTime,
    authors: z.array(JsonFeedAuthor).optional(),
    tags: z
      .array(z.string())
      .optional()
      .openapi({ description: "The rubric's name, then the tags' names; «Реклама» for a sponsored article." }),
    attachments: z.array(JsonFeedAttachment).optional(),
  })
  .openapi('JsonFeedItem');

export const JsonFeedSchema = z
  .object({
    version: z.literal(JSON_FEED_VERSION),
    title: z.string(),
    home_page_url: z.string(),
    feed_url: z.string(),
    description: z.string(),
    language: z.string(),
    authors: z.array(JsonFeedAuthor),
    items: z.array(JsonFeedItem),
  })
  .openapi('JsonFeed', { description: 'A JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the newest public articles, newest first.' });

/** An XML document, documented as a string under its media type. */
export const xmlDocument = (description: string) => z.string().openapi({ description });

export const RubricFeedParams = SlugParams;

export const SitemapPageParams = z.strictObject({
  page: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, 'A page number from 1')
    .transform(Number)
    .openapi({ param: { description: 'The page, from 1, as the sitemap index lists them.' }, example: '1' }),
});

export type JsonFeed = z.infer<typeof JsonFeedSchema>;
export type JsonFeedItemResponse = z.infer<typeof JsonFeedItem>;
