import { IsoDateTime, PageQuery, RubricRefSchema, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';
import { AdMarkingBody, AdMarkingSchema, PublicAdMarkingSchema } from '../../shared/ad-marking.schemas.ts';
import { MediaSchema } from '../media/media.schemas.ts';

export const feedItemKinds = ['article', 'live', 'link', 'promo'] as const;

const kind = z.enum(feedItemKinds).openapi({
  description:
    '`article` links a published article; `live` is a broadcast (stream URL in `url`) or a live blog (`articleId`); `link` an external link; `promo` an ad slot.',
  example: 'live',
});
const headline = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .openapi({ example: 'Прямая трансляция: заседание городской думы о бюджете на 2027 год' });
const rubricId = z.string().max(64).nullable().openapi({ description: 'The rubric the item is shown under.' });
const articleId = z.string().max(64).nullable().openapi({
  description: 'For kind `article`: the published article it links. For kind `live`: a live blog (format `live`), instead of `url`.',
});
const url = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .nullable()
  .openapi({
    description: 'For `live`, `link` and `promo`: the stream, link target or promo URL (http or https). Null for `article`.',
    example: 'https://live.example/duma-2026-11-20',
  });
const isPinned = z.boolean().openapi({ description: 'Pinned items come first in the public feed.' });
const publishedAt = IsoDateTime.openapi({ description: 'The time shown with the item, and its place in the feed.' });
const visibleFrom = IsoDateTime.nullable().openapi({ description: 'Hidden from the public feed before this time; null for no start.' });
const visibleUntil = IsoDateTime.nullable().openapi({ description: 'Hidden from the public feed from this time on; null for no end.' });
const adMarking = AdMarkingBody.nullable().openapi({
  description:
    'Required on a `promo` item (422 `ad_marking_required` without its erid and advertiser; 422 `invalid_inn`); only promo items take one.',
});

export const CreateFeedItemBody = z
  .strictObject({
    kind,
    headline,
    rubricId: rubricId.optional(),
    articleId: articleId.optional(),
    url: url.optional(),
    isPinned: isPinned.optional(),
    publishedAt: publishedAt.optional().openapi({ description: 'Defaults to now.' }),
    visibleFrom: visibleFrom.optional(),
    visibleUntil: visibleUntil.optional(),
    adMarking: adMarking.optional(),
  })
  .openapi('CreateFeedItemBody');

export const UpdateFeedItemBody = z
  .strictObject({
    headline: headline.optional(),
    rubricId: rubricId.optional(),
    url: url.optional(),
    isPinned: isPinned.optional(),
    publishedAt: publishedAt.optional(),
    visibleFrom: visibleFrom.optional(),
    visibleUntil: visibleUntil.optional(),
    adMarking: adMarking.optional(),
  })
  .openapi('UpdateFeedItemBody', { description: 'The kind and the linked article cannot change; delete the item and create another.' });

export const FeedItemSchema = z
  .object({
    id: z.string(),
    kind,
    headline: z.string(),
    rubricId: z.string().nullable(),
    articleId: z.string().nullable(),
    url: z.string().nullable(),
    isPinned: z.boolean(),
    publishedAt: IsoDateTime,
    visibleFrom: IsoDateTime.nullable(),
    visibleUntil: IsoDateTime.nullable(),
    adMarking: z.union([AdMarkingSchema, z.null()]).openapi({ description: "A promo item's ad marking." }),
    version: z.number().int().openapi({ description: 'Goes up by one with each change; send it back as If-Match (the ETag).', example: 3 }),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .openapi('FeedItem', {
    example: {
      id: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80',
      kind: 'live',
      headline: 'Прямая трансляция: заседание городской думы о бюджете на 2027 год',
      rubricId: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b',
      articleId: null,
      url: 'https://live.example/duma-2026-11-20',
      isPinned: true,
      publishedAt: '2026-11-20T09:00:00.000Z',
      visibleFrom: '2026-11-20T08:45:00.000Z',
      visibleUntil: '2026-11-20T13:00:00.000Z',
      adMarking: null,
      version: 1,
      createdAt: '2026-11-20T08:40:00.000Z',
      updatedAt: '2026-11-20T08:40:00.000Z',
    },
  });

// A union rather than .nullable(): a nullable reference to the registered Media schema is generated as a
// broken allOf.
export const FeedArticleSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    lead: z.string().nullable(),
    cover: z.union([MediaSchema, z.null()]),
    commentCount: z.number().int().optional().openapi({ description: 'With `include=commentCount`: how many comments it has.' }),
  })
  .openapi('FeedArticle', { description: 'The article a feed item of kind `article` links, or the live blog of an item of kind `live`.' });

export const PublicFeedItemSchema = z
  .object({
    id: z.string(),
    kind,
    headline: z.string(),
    rubric: RubricRefSchema.nullable(),
    url: z.string().nullable().openapi({ description: "The link; a promo's carries its erid in the query, as the law asks." }),
    isPinned: z.boolean(),
    publishedAt: IsoDateTime,
    isLive: z.boolean().openapi({ description: 'A `live` item on air: a broadcast, or a live blog whose coverage runs («Прямой эфир»).' }),
    article: z.union([FeedArticleSchema, z.null()]),
    adMarking: z.union([PublicAdMarkingSchema, z.null()]).openapi({
      description: 'On a promo item and on the item of a sponsored article: show `text` above it, and give its links `rel="sponsored"`.',
    }),
  })
  .openapi('PublicFeedItem', {
    example: {
      id: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a81',
      kind: 'article',
      headline: 'В Подмосковье открыли новую станцию скоростного трамвая',
      rubric: { id: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5d', name: 'Город', slug: 'gorod' },
      url: null,
      isPinned: false,
      publishedAt: '2026-11-20T08:30:00.000Z',
      isLive: false,
      article: {
        id: '0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a90',
        slug: 'v-podmoskove-otkryli-novuyu-stantsiyu-skorostnogo-tramvaya',
        title: 'В Подмосковье открыли новую станцию скоростного трамвая',
        lead: 'Первые пассажиры проехали по продлённой линии утром в пятницу.',
        cover: null,
      },
      adMarking: null,
    },
  });

export const ListFeedItemsQuery = PageQuery.extend({
  kind: kind.optional().openapi({ param: { description: 'Only items of this kind.' } }),
});
export const PublicFeedQuery = PageQuery.extend({
  include: z
    .literal('commentCount')
    .optional()
    .openapi({ param: { description: '`commentCount`: the comment count of each article item (`article.commentCount`).' } }),
  rubric: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { description: 'Only items of the rubric with this slug.' }, example: 'gorod' }),
});

export const FeedItemPage = pageOf(FeedItemSchema, 'FeedItemPage');
export const PublicFeedPage = pageOf(PublicFeedItemSchema, 'PublicFeedPage');

export type FeedItemKind = (typeof feedItemKinds)[number];
export type CreateFeedItemInput = z.infer<typeof CreateFeedItemBody>;
export type UpdateFeedItemInput = z.infer<typeof UpdateFeedItemBody>;
export type ListFeedItemsInput = z.infer<typeof ListFeedItemsQuery>;
export type PublicFeedInput = z.infer<typeof PublicFeedQuery>;
export type FeedItemResponse = z.infer<typeof FeedItemSchema>;
export type PublicFeedItemResponse = z.infer<typeof PublicFeedItemSchema>;
