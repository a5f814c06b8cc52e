import type { Prisma } from '../../db/database.ts';
import type { AnyRoute } from '../../http/route.ts';
import type { PublicUrls } from '../../shared/public-urls.ts';
import { createAdsRepository } from './ads.repository.ts';
import { adsAdminRoutes } from './ads.routes.ts';
import { createAdsService } from './ads.service.ts';

/** Advertising marking's record keeping: when each marked ad was public, and the report for the ad data operator. */
export function createAdsModule(deps: { prisma: Prisma; urls: PublicUrls; now: () => Date }) {
  const service = createAdsService({ repo: createAdsRepository({ prisma: deps.prisma }), urls: deps.urls, now: deps.now });
  return { service, tracker: service.tracker, adminRoutes: adsAdminRoutes(service), publicRoutes: [] as AnyRoute[] };
}

export type { AdsService } from './ads.service.ts';
