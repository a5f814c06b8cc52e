import type { Prisma } from '../../db/database.ts';
import type { FeedService } from '../feed/index.ts';
import type { MediaService } from '../media/index.ts';
import type { RubricsService } from '../rubrics/index.ts';
import type { TagsService } from '../tags/index.ts';
import type { UsersService } from '../users/index.ts';
import { createArticlesRepository } from './articles.repository.ts';
import { articleAdminRoutes, articlePublicRoutes } from './articles.routes.ts';
import { createArticlesService } from './articles.service.ts';

export function createArticlesModule(deps: {
  prisma: Prisma;
  now: () => Date;
  rubrics: RubricsService;
  tags: TagsService;
  users: UsersService;
  media: MediaService;
  feed: FeedService;
}) {
  const { prisma, ...services } = deps;
  const service = createArticlesService({ repo: createArticlesRepository(prisma), ...services });
  return { service, adminRoutes: articleAdminRoutes(service), publicRoutes: articlePublicRoutes(service) };
}

export type { ArticlesService } from './articles.service.ts';
