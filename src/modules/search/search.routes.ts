import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { anyone } from '../../http/access.ts';
import { SearchPage, SearchQuery } from './search.schemas.ts';
import type { SearchService } from './search.service.ts';

export function searchPublicRoutes(service: SearchService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/search',
      operationId: 'searchArticles',
      summary: 'Search published articles',
      tag: 'Search',
      access: anyone,
      description: [
        'Full-text search over the title, lead, body and tag names of the articles public now, in Russian and other languages:',
        'each word is found in any of its grammatical forms. Hits are ranked by where the words occur (title, then tag, lead,',
        'body), then newest first, and paged with `cursor`. Filter by rubric (with its sub-rubrics) and publication time.',
      ].join(' '),
      query: SearchQuery,
      response: SearchPage,
      // Keyed by the articles it shows, so an edit or unpublication of one purges it; a new article that matches
      // shows within the minute, as no write can tell which searches it would join.
      cache: { lists: [], maxLifeSeconds: 60 },
      handler: ({ query }) => service.search(query),
    }),
  ];
}
