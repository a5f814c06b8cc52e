import type { Prisma } from '../../db/database.ts';
import type { ArticlesService } from '../articles/index.ts';
import type { RubricsService } from '../rubrics/index.ts';
import { createSearchRepository } from './search.repository.ts';
import { searchPublicRoutes } from './search.routes.ts';
import { createSearchIndexer, createSearchService } from './search.service.ts';

/**
 * The index half of search: built before the articles and tags modules, which call it in their
 * transactions. The query half (`createSearchModule`) needs the articles service, so it comes after.
 */
export function createSearchIndex(deps: { prisma: Prisma }) {
  return createSearchIndexer({ repo: createSearchRepository({ prisma: deps.prisma }) });
}

export function createSearchModule(deps: { prisma: Prisma; now: () => Date; articles: ArticlesService; rubrics: RubricsService }) {
  const service = createSearchService({
    repo: createSearchRepository({ prisma: deps.prisma }),
    articles: deps.articles,
    rubrics: deps.rubrics,
    now: deps.now,
  });
  return { service, adminRoutes: [], publicRoutes: searchPublicRoutes(service) };
}

export type { SearchIndexer } from '../../shared/search-indexer.ts';
export type { SearchService } from './search.service.ts';
/** The words of a text with their offsets, and the stemmed term each is indexed by: other modules rank text as search does. */
export { termOf, wordsOf } from './search.text.ts';
