import type { Prisma } from '../../db/database.ts';
import type { Dialect } from '../../db/dialect.ts';
import { noAdPlacementTracker, type AdPlacementTracker } from '../../shared/ad-placements.ts';
import { noAuditTrail, type AuditTrail } from '../../shared/audit-intent.ts';
import { noEventRecorder, type EventRecorder } from '../../shared/domain-events.ts';
import type { NewsArticleJsonLd } from '../../shared/news-article-json-ld.schemas.ts';
import type { SearchIndexer } from '../../shared/search-indexer.ts';
import type { FeedService } from '../feed/index.ts';
import type { MediaService } from '../media/index.ts';
import type { RubricsService } from '../rubrics/index.ts';
import type { TagsService } from '../tags/index.ts';
import type { UsersService } from '../users/index.ts';
import { createArticlesRepository } from './articles.repository.ts';
import { createCorrectionsRepository } from './articles.corrections.repository.ts';
import { articleAdminRoutes, articlePublicRoutes, type PublicArticleExtras } from './articles.routes.ts';
import { correctionAdminRoutes, correctionMethodGuard, correctionPublicRoutes } from './articles.corrections.routes.ts';
import { createPreviewTokens } from './articles.preview.ts';
import type { ArticleNinjsMapper } from './articles.ninjs.ts';
import type { PublicArticleResponse } from './articles.public.schemas.ts';
import { createArticlesService } from './articles.service.ts';

export function createArticlesModule(deps: {
  prisma: Prisma;
  /** The public reads are written in SQL per dialect. */
  dialect: Dialect;
  now: () => Date;
  /** Signs preview links. */
  jwtSecret: string;
  previewTtlSeconds: number;
  rubrics: RubricsService;
  tags: TagsService;
  users: UsersService;
  media: MediaService;
  feed: FeedService;
  searchIndex: SearchIndexer;
  /** Where each change's webhook event is recorded, in the change's transaction. */
  events?: EventRecorder;
  /** Writes the request's audit entry in the transaction of a change that has no webhook event. */
  audit?: AuditTrail;
  /** The schema.org JSON-LD of an article page. */
  jsonLdOf: (article: PublicArticleResponse) => NewsArticleJsonLd;
  /** Records when sponsored articles are public (the ads report). */
  ads?: AdPlacementTracker;
  /** What other modules add to a public article page (a live blog's coverage). */
  publicArticleExtras?: PublicArticleExtras;
  /** An article as IPTC ninjs: the page answers `Accept: application/ninjs+json` with it. */
  ninjsOf?: ArticleNinjsMapper;
}) {
  const { prisma, dialect, jwtSecret, previewTtlSeconds, publicArticleExtras, ninjsOf, ...services } = deps;
  const previews = createPreviewTokens({ secret: jwtSecret, ttlSeconds: previewTtlSeconds, now: deps.now });
  const service = createArticlesService({
    repo: createArticlesRepository({ prisma, dialect }),
    corrections: createCorrectionsRepository({ prisma }),
    previews,
    ...services,
    events: deps.events ?? noEventRecorder,
    audit: deps.audit ?? noAuditTrail,
    ads: deps.ads ?? noAdPlacementTracker,
  });
  return {
    service,
    adminRoutes: [...articleAdminRoutes(service), ...correctionAdminRoutes(service)],
    publicRoutes: [...articlePublicRoutes(service, publicArticleExtras, ninjsOf), ...correctionPublicRoutes(service)],
    router: correctionMethodGuard(),
  };
}

export type { ArticlesService, PublicArticleLink } from './articles.service.ts';
export type { OriginUpsertOptions, OriginUpsertResult } from './articles.imports.ts';
export { bodyPlainText, createArticleNinjs, type ArticleNinjsMapper, type NinjsFacts, type NinjsSite } from './articles.ninjs.ts';
export { NINJS_MEDIA_TYPE, NinjsItemSchema, type NinjsItem } from './articles.ninjs.schemas.ts';
export { sourceActorLabel } from './articles.imports.ts';
/** Whether the caller may change what the public sees (publish): the editor and admin roles, keys with `publish` or `admin`. */
export { mayChangeWhatThePublicSees as mayPublish } from './articles.policy.ts';
