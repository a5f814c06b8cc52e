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

const CorrectionCommentLd = z
  .object({ '@type': z.literal('CorrectionComment'), text: z.string(), datePublished: IsoDateTime })
  .openapi('JsonLdCorrectionComment');

const SponsorLd = z.object({ '@type': z.literal('Organization'), name: z.string(), url: z.string().optional() }).openapi('JsonLdSponsor');
const SpeakableLd = z
  .object({ '@type': z.literal('SpeakableSpecification'), cssSelector: z.array(z.string()) })
  .openapi('JsonLdSpeakable', {
    description:
      'The parts read aloud by assistants: the headline and the lead. Mark them with `data-speakable="headline"` and `data-speakable="lead"`.',
  });

const AudioObjectLd = z
  .object({
    '@type': z.literal('AudioObject'),
    contentUrl: z.string(),
    encodingFormat: z.string().openapi({ example: 'audio/mpeg' }),
    duration: z.string().optional().openapi({ description: 'ISO 8601, e.g. `PT1M34S`.', example: 'PT1M34S' }),
    name: z.string().optional(),
  })
  .openapi('JsonLdAudioObject');

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
    speakable: SpeakableLd,
    audio: AudioObjectLd.optional().openapi({ description: 'The article read aloud, when it has a narration.' }),
    inLanguage: z.string(),
    url: z.string(),
    mainEntityOfPage: z.object({ '@type': z.literal('WebPage'), '@id': z.string() }),
    publisher: z
      .object({
        '@type': z.literal('NewsMediaOrganization'),
        name: z.string(),
        url: z.string(),
        publishingPrinciples: z.string().optional(),
        correctionsPolicy: z.string().optional(),
        masthead: z.string().optional(),
        ownershipFundingInfo: z.string().optional(),
      })
      .openapi({ description: 'The newsroom, with its Trust Project pages when configured (SITE_*_URL).' }),
    correction: z
      .array(CorrectionCommentLd)
      .optional()
      .openapi({ description: "The article's corrections, clarifications and updates, oldest first." }),
    sponsor: SponsorLd.optional().openapi({ description: 'The advertiser of a sponsored article.' }),
    commentCount: z.number().int().optional().openapi({ description: 'The comment count when the page was made.' }),
    discussionUrl: z.string().optional().openapi({ description: 'Where the comments are (COMMENTS_URL_TEMPLATE), while comments are on.' }),
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
