import type { AnyRoute } from '../../http/route.ts';
import type { ArticlesService } from '../articles/index.ts';
import type { MediaService } from '../media/index.ts';
import type { RubricsService } from '../rubrics/index.ts';
import type { TagsService } from '../tags/index.ts';
import type { UsersService } from '../users/index.ts';
import { createIncomingImporter } from './interchange.incoming.ts';
import { createPhotoFetcher, type PhotoFetchSettings } from './interchange.photos.ts';
import { wordpressAdminRoutes, wordpressPublicRoutes } from './interchange.wordpress.routes.ts';
import type { Prisma } from '../../db/database.ts';
import type { SearchIndexer } from '../../shared/search-indexer.ts';
import { createNativeInterchangeRoutes } from './interchange.native.routes.ts';
import { convertNinjs } from './ninjs.incoming.ts';

export interface InterchangeModuleDeps {
  articles: ArticlesService;
  rubrics: RubricsService;
  tags: TagsService;
  users: UsersService;
  media: MediaService;
  /** How photos named by URL are fetched: the address guard, the time and size limits. */
  photos: PhotoFetchSettings;
  /** Purges what a streamed import changed, item by item (`everything` for a write that did not say); without it the WordPress routes are not mounted. */
  purge?: (keys: string[] | 'everything') => void;
  /** The public cache's max-age and s-maxage: how long an old address's redirect may be kept. */
  publicCache?: { maxAgeSeconds: number; sMaxAgeSeconds: number };
  /** The native dump and restore (GET /v1/admin/export, POST /v1/admin/import) read and write the tables directly. */
  native?: {
    prisma: Prisma;
    searchIndex: Pick<SearchIndexer, 'reindexArticle' | 'indexCreatedArticle' | 'createdArticleStatements'>;
    logError?: (error: unknown, message: string) => void;
    /** Articles as ninjs items in the order of the ids, any status (`?format=ninjs`); without it that answers 501. */
    ninjsOfArticles?: (ids: string[]) => Promise<unknown[]>;
  };
}

/**
 * Content in and out in bulk: foreign articles (ninjs, NDJSON, wire feeds, WordPress) imported through one
 * importer, and what the routes built on it add.
 */
export function createInterchangeModule(deps: InterchangeModuleDeps) {
  const photos = createPhotoFetcher({ media: deps.media, settings: deps.photos });
  const importer = createIncomingImporter({
    articles: deps.articles,
    rubrics: deps.rubrics,
    tags: deps.tags,
    users: deps.users,
    photos,
  });
  const adminRoutes: AnyRoute[] = [];
  const publicRoutes: AnyRoute[] = [];
  if (deps.purge) {
    const wordpress = {
      importer,
      articles: deps.articles,
      purge: deps.purge,
      cache: deps.publicCache ?? { maxAgeSeconds: 60, sMaxAgeSeconds: 60 },
    };
    adminRoutes.push(...wordpressAdminRoutes(wordpress));
    publicRoutes.push(...wordpressPublicRoutes(wordpress));
  }
  if (deps.purge && deps.native) {
    adminRoutes.push(
      ...createNativeInterchangeRoutes({
        ...deps.native,
        purge: deps.purge,
        readNinjs: (item) => convertNinjs(item, { source: 'import', origin: 'import' }),
        importIncoming: (item, actor, options) => importer.importIncoming(item, actor, options),
      }),
    );
  }
  return { importer, photos, adminRoutes, publicRoutes };
}

export type InterchangeModule = ReturnType<typeof createInterchangeModule>;
export type { ImportOptions, IncomingImporter } from './interchange.incoming.ts';
export { fetchGuarded, PhotoFetchError, type PhotoFetcher, type PhotoFetchSettings } from './interchange.photos.ts';
export { incomingFromNinjs } from './ninjs.incoming.ts';
