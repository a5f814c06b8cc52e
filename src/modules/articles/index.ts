import type { Prisma } from '../../db/database.ts';
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
import { articleAdminRoutes, articlePublicRoutes, type PublicArticleExtras } from './articles.routes.ts';
import { createPreviewTokens } from './articles.preview.ts';
import type { PublicArticleResponse } from './articles.public.schemas.ts';
import { createArticlesService } from './articles.service.ts';

export function createArticlesModule(deps: {
  prisma: Prisma;
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
  /** What other modules add to a public article page (a live blog's coverage). */
  publicArticleExtras?: PublicArticleExtras;
}) {
  const { prisma, jwtSecret, previewTtlSeconds, publicArticleExtras, ...services } = deps;
  const previews = createPreviewTokens({ secret: jwtSecret, ttlSeconds: previewTtlSeconds, now: deps.now });
  const service = createArticlesService({
    repo: createArticlesRepository({ prisma }),
    previews,
    ...services,
    events: deps.events ?? noEventRecorder,
    audit: deps.audit ?? noAuditTrail,
  });
  return { service, adminRoutes: articleAdminRoutes(service), publicRoutes: articlePublicRoutes(service, publicArticleExtras) };
}

export type { ArticlesService, PublicArticleLink } from './articles.service.ts';
