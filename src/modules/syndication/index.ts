import type { ArticlesService } from '../articles/index.ts';
import type { RubricsService } from '../rubrics/index.ts';
import type { SiteInfo } from './syndication.json-ld.ts';
import { syndicationPublicRoutes } from './syndication.routes.ts';
import { createSyndicationService } from './syndication.service.ts';

/** RSS, Atom and JSON feeds, sitemaps; read-only, built from the articles and rubrics services. */
export function createSyndicationModule(deps: {
  articles: ArticlesService;
  rubrics: RubricsService;
  site: SiteInfo;
  sitemapPageSize: number;
  now: () => Date;
}) {
  const service = createSyndicationService(deps);
  return { service, adminRoutes: [], publicRoutes: syndicationPublicRoutes(service) };
}

export { createArticleJsonLd, type SiteInfo } from './syndication.json-ld.ts';
export { bodyToHtml } from './syndication.html.ts';
export type { SyndicationService } from './syndication.service.ts';
