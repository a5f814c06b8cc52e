import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { anyone } from '../../http/access.ts';
import { articleListKey, rubricFilteredKey, type ListKey } from '../../shared/cache-keys.ts';
import { JsonFeedSchema, RubricFeedParams, SitemapPageParams, xmlDocument } from './syndication.schemas.ts';
import { FEED_ITEMS, type SyndicationService } from './syndication.service.ts';

const tag = 'Feeds and sitemaps';
const rss = 'application/rss+xml';
const atom = 'application/atom+xml';
const jsonFeed = 'application/feed+json';
const xml = 'application/xml';

const onlyPublic = `The ${FEED_ITEMS} newest articles public now (never drafts, scheduled or embargoed ones before their time, nor the trash), newest first; links point at the public site (PUBLIC_BASE_URL).`;
// The documents name rubrics, tags, authors and covers as text, not as records: any change of those kinds reaches them.
const embedded: ListKey[] = ['rubrics', 'tags', 'users', 'media'];
const siteFeedCache = { lists: ['articles', ...embedded] as ListKey[] };
const rubricFeedCache = {
  lists: (_feed: unknown, { params }: { params: Record<string, string> }): ListKey[] => [
    articleListKey('rubric', params.slug ?? ''),
    rubricFilteredKey,
    ...embedded,
  ],
};
// Sitemaps list the public articles and the active rubrics' pages.
const sitemapCache = { lists: ['articles', 'rubrics'] as ListKey[] };

const rubricNote = 'Articles of the rubric and of its sub-rubrics. An unknown or inactive rubric answers 404.';

export function syndicationPublicRoutes(service: SyndicationService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/feeds/rss.xml',
      operationId: 'getRssFeed',
      summary: "The site's RSS 2.0 feed",
      tag,
      access: anyone,
      description: `${onlyPublic} Each item has its lead, body as HTML (content:encoded), authors (dc:creator), rubric and tags (category) and the cover (enclosure, media:content with its credit).`,
      mediaType: rss,
      response: xmlDocument('An RSS 2.0 document.'),
      cache: siteFeedCache,
      handler: () => service.rss(),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/feeds/atom.xml',
      operationId: 'getAtomFeed',
      summary: "The site's Atom feed",
      tag,
      access: anyone,
      description: onlyPublic,
      mediaType: atom,
      response: xmlDocument('An Atom (RFC 4287) document.'),
      cache: siteFeedCache,
      handler: () => service.atom(),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/feeds/feed.json',
      operationId: 'getJsonFeed',
      summary: "The site's JSON Feed 1.1",
      tag,
      access: anyone,
      description: onlyPublic,
      mediaType: jsonFeed,
      response: JsonFeedSchema,
      cache: siteFeedCache,
      handler: () => service.jsonFeed(),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/feeds/corrections.xml',
      operationId: 'getCorrectionsFeed',
      summary: "The site's corrections log as RSS 2.0",
      tag,
      access: anyone,
      description: `The ${FEED_ITEMS} newest corrections, clarifications and updates of the articles public now, newest first: each item links its article.`,
      mediaType: rss,
      response: xmlDocument('An RSS 2.0 document.'),
      // Its items are corrections of public articles: any change of one purges `articles`.
      cache: { lists: ['articles'] },
      handler: () => service.correctionsRss(),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/rubrics/{slug}/feeds/rss.xml',
      operationId: 'getRubricRssFeed',
      summary: "A rubric's RSS 2.0 feed",
      tag,
      access: anyone,
      description: `${rubricNote} ${onlyPublic}`,
      params: RubricFeedParams,
      mediaType: rss,
      response: xmlDocument('An RSS 2.0 document.'),
      cache: rubricFeedCache,
      handler: ({ params }) => service.rss(params.slug),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/rubrics/{slug}/feeds/atom.xml',
      operationId: 'getRubricAtomFeed',
      summary: "A rubric's Atom feed",
      tag,
      access: anyone,
      description: `${rubricNote} ${onlyPublic}`,
      params: RubricFeedParams,
      mediaType: atom,
      response: xmlDocument('An Atom (RFC 4287) document.'),
      cache: rubricFeedCache,
      handler: ({ params }) => service.atom(params.slug),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/rubrics/{slug}/feeds/feed.json',
      operationId: 'getRubricJsonFeed',
      summary: "A rubric's JSON Feed 1.1",
      tag,
      access: anyone,
      description: `${rubricNote} ${onlyPublic}`,
      params: RubricFeedParams,
      mediaType: jsonFeed,
      response: JsonFeedSchema,
      cache: rubricFeedCache,
      handler: ({ params }) => service.jsonFeed(params.slug),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/sitemap.xml',
      operationId: 'getSitemap',
      summary: 'The sitemap, or the sitemap index of a large site',
      tag,
      access: anyone,
      description: [
        "The home page, every active rubric's page and every public article (with `lastmod`), per sitemaps.org.",
        'When they are more than one file may hold (50,000 URLs; SITEMAP_PAGE_SIZE), a `sitemapindex` of `/v1/sitemaps/{page}.xml` instead.',
      ].join(' '),
      mediaType: xml,
      response: xmlDocument('A sitemaps.org `urlset`, or a `sitemapindex`.'),
      cache: sitemapCache,
      handler: () => service.sitemap(),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/sitemaps/{page}.xml',
      operationId: 'getSitemapPage',
      summary: 'One file of the sitemap index',
      tag,
      access: anyone,
      description:
        "The site's pages first, then the articles oldest first, so new articles only ever extend the last file. A page past the last answers 404.",
      params: SitemapPageParams,
      mediaType: xml,
      response: xmlDocument('A sitemaps.org `urlset`.'),
      cache: sitemapCache,
      handler: ({ params }) => service.sitemapPage(params.page),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/sitemap-news.xml',
      operationId: 'getNewsSitemap',
      summary: 'The Google News sitemap: the last 48 hours',
      tag,
      access: anyone,
      description:
        'Articles published in the last 48 hours and public now, newest first, at most 1000, with `news:publication` (SITE_NAME, SITE_LANGUAGE), `news:publication_date` and `news:title`.',
      mediaType: xml,
      response: xmlDocument('A sitemap with the Google News extension.'),
      cache: { lists: ['articles'] },
      handler: () => service.newsSitemap(),
    }),
  ];
}
