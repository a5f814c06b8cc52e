import { IdParams } from '../../shared/common.schemas.ts';
import { commentsKeyOf, type ListKey } from '../../shared/cache-keys.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { anyone, editorsPublish, editorsRead } from '../../http/access.ts';
import {
  CreateFeedItemBody,
  FeedItemPage,
  FeedItemSchema,
  ListFeedItemsQuery,
  PublicFeedPage,
  PublicFeedQuery,
  UpdateFeedItemBody,
} from './feed.schemas.ts';
import type { FeedService } from './feed.service.ts';

const tag = 'Feed';

// The feed is the front page: editors curate it, authors do not (nor read it here). What it shows goes
// public at once, so changing it takes the publish scope, as publishing does.
export function feedAdminRoutes(service: FeedService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/feed-items',
      operationId: 'listFeedItems',
      summary: 'List feed items, newest first',
      tag,
      access: editorsRead,
      description: 'Every item, whatever its visibility window, ordered by `publishedAt` then id, descending.',
      query: ListFeedItemsQuery,
      response: FeedItemPage,
      handler: ({ query }) => service.list(query),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/feed-items/{id}',
      operationId: 'getFeedItem',
      summary: 'Get a feed item',
      tag,
      access: editorsRead,
      params: IdParams,
      response: FeedItemSchema,
      handler: ({ params }) => service.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/feed-items',
      operationId: 'createFeedItem',
      summary: 'Add an item to the feed',
      tag,
      access: editorsPublish,
      description: [
        '`live`, `link` and `promo` need an http(s) `url` and no `articleId`; `article` needs the id of a published article and no `url`',
        '(published articles are normally put in the feed on publishing). `visibleUntil` must be after `visibleFrom`.',
      ].join(' '),
      body: CreateFeedItemBody,
      status: 201,
      response: FeedItemSchema,
      errors: {
        409: 'The article already has a feed item (code `article_in_feed`).',
        422: [
          'The body is not valid; or a promo item lacks its marking: erid, advertiser name, and INN or site (`ad_marking_required`);',
          'or the INN fails its check digits (`invalid_inn`).',
        ].join(' '),
      },
      audit: { action: 'feed_item.create', targetType: 'feed_item' },
      handler: ({ body, actor }) => service.create(body, actor),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/admin/feed-items/{id}',
      operationId: 'updateFeedItem',
      summary: 'Update a feed item',
      tag,
      access: editorsPublish,
      params: IdParams,
      body: UpdateFeedItemBody,
      response: FeedItemSchema,
      ifMatch: true,
      errors: { 422: 'The body is not valid, a promo item would lose its marking (`ad_marking_required`), or a bad INN (`invalid_inn`).' },
      audit: { action: 'feed_item.update', targetType: 'feed_item' },
      handler: ({ params, body, expectedVersion, actor }) => service.update(params.id, body, expectedVersion, actor),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/admin/feed-items/{id}',
      operationId: 'deleteFeedItem',
      summary: 'Remove an item from the feed',
      tag,
      access: editorsPublish,
      description: 'For an article item, the article stays published; publishing it again puts it back.',
      params: IdParams,
      status: 204,
      ifMatch: true,
      audit: { action: 'feed_item.delete', targetType: 'feed_item' },
      handler: ({ params, expectedVersion, actor }) => service.delete(params.id, expectedVersion, actor),
    }),
  ];
}

function commentsKeysOf(page: Record<string, unknown>): ListKey[] {
  const items = (page.items ?? []) as { article: { id: string; commentCount?: number } | null }[];
  return items.flatMap((item) => (item.article?.commentCount !== undefined ? [commentsKeyOf(item.article.id)] : []));
}

export function feedPublicRoutes(service: FeedService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/feed',
      operationId: 'getFeed',
      summary: 'The news feed: pinned items first, then newest',
      tag,
      access: anyone,
      description: 'Only items inside their visibility window; an article item only while its article is published.',
      query: PublicFeedQuery,
      response: PublicFeedPage,
      // With comment counts, each article item's `comments:<id>` too: a count update purges the page.
      cache: { lists: (page) => ['feed', ...commentsKeysOf(page)] },
      handler: ({ query }) => service.listPublic(query),
    }),
  ];
}
