import { IsoDateTime } from './common.schemas.ts';
import { z } from './zod.ts';

// schema.org NewsArticle as Google reads it: absent facts are left out, never null. Shared: the articles
// module embeds it in the public article, the syndication module builds it.
const PersonLd = z.object({ '@type': z.literal('Person'), name: z.string() }).openapi('JsonLdPerson');

const OrganizationLd = z.object({ '@type': z.literal('Organization'), name: z.string() }).openapi('JsonLdOrganization');

const ImageObjectLd = z
  .object({
    '@type': z.literal('ImageObject'),
    url: z.string(),
    contentUrl: z.string(),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    caption: z.string().optional(),
    creditText: z.string().optional().openapi({ description: "The photo's credit line, as shown under it." }),
    copyrightHolder: OrganizationLd.optional().openapi({ description: "The photo's source (the agency or owner), when known." }),
  })
  .openapi('JsonLdImageObject');

const BlogPostingLd = z
  .object({
    '@type': z.literal('BlogPosting'),
    headline: z.string(),
    articleBody: z.string(),
    datePublished: IsoDateTime,
    dateModified: IsoDateTime,
    url: z.string(),
    author: z.array(PersonLd).optional(),
  })
  .openapi('JsonLdBlogPosting', { description: 'An entry of a live blog.' });

export const NewsArticleJsonLdSchema = z
  .object({
    '@context': z.literal('https://schema.org'),
    '@type': z.enum(['NewsArticle', 'LiveBlogPosting']).openapi({ description: '`LiveBlogPosting` for a live blog (format `live`).' }),
    headline: z.string(),
    description: z.string().optional().openapi({ description: 'The lead.' }),
    image: z
      .array(ImageObjectLd)
      .optional()
      .openapi({ description: 'The cover: the picture as uploaded, then its crops (16:9, 1:1…), each with its credit.' }),
    datePublished: IsoDateTime,
    dateModified: IsoDateTime,
    author: z.array(z.union([PersonLd, OrganizationLd])).openapi({ description: 'The byline; the publisher when it is empty.' }),
    articleSection: z.string().optional().openapi({ description: "The rubric's name." }),
    keywords: z.array(z.string()).optional().openapi({ description: "The tags' names." }),
    inLanguage: z.string(),
    url: z.string(),
    mainEntityOfPage: z.object({ '@type': z.literal('WebPage'), '@id': z.string() }),
    publisher: z.object({ '@type': z.literal('NewsMediaOrganization'), name: z.string(), url: z.string() }),
    coverageStartTime: IsoDateTime.optional().openapi({ description: 'A live blog: when its coverage started.' }),
    coverageEndTime: IsoDateTime.optional().openapi({ description: 'A live blog: when its coverage ended; absent while it runs.' }),
    liveBlogUpdate: z.array(BlogPostingLd).optional().openapi({ description: 'A live blog: its newest 50 entries, newest first.' }),
  })
  .openapi('NewsArticleJsonLd', {
    description:
      'schema.org `NewsArticle` for the article page: put it in a `script` element of type `application/ld+json` ' +
      '(escaping `<` as `\\u003c`). Links point at the public site (PUBLIC_BASE_URL).',
  });

export type NewsArticleJsonLd = z.infer<typeof NewsArticleJsonLdSchema>;
