import { NotFoundError } from '../../errors.ts';
import type { ArticlesService } from '../articles/index.ts';
import type { RubricsService } from '../rubrics/index.ts';
import { renderCorrectionsRss } from './syndication.corrections.ts';
import { renderAtom, renderRss, toJsonFeed, type FeedChannel, type FeedFormat } from './syndication.feeds.ts';
import { lastModifiedOf, type SiteInfo } from './syndication.json-ld.ts';
import type { JsonFeed } from './syndication.schemas.ts';
import { renderNewsSitemap, renderSitemapIndex, renderUrlset, sitemapEntry } from './syndication.sitemaps.ts';

/** How many of the newest articles a feed carries. */
export const FEED_ITEMS = 50;
/** Google News reads the articles of the last two days, at most 1000 of them. */
const NEWS_WINDOW_MS = 48 * 3600_000;
const NEWS_MAX_URLS = 1000;
/** Rows read from the database at a time while writing a sitemap page. */
const SITEMAP_CHUNK = 1000;

export interface SyndicationDeps {
  articles: Pick<
    ArticlesService,
    'listNewestPublic' | 'countPublic' | 'streamPublicLinks' | 'listRecentPublicLinks' | 'listPublicCorrections'
  >;
  rubrics: Pick<RubricsService, 'getPublic' | 'listPublic'>;
  site: SiteInfo;
  /** Most URLs in one sitemap file (50,000 by the protocol; lower in tests). */
  sitemapPageSize: number;
  now: () => Date;
}

const feedPaths: Record<FeedFormat, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };

export function createSyndicationService(deps: SyndicationDeps) {
  const { site, sitemapPageSize: pageSize } = deps;

  /** The newest public articles of the site, or of an active rubric and its sub-rubrics (404 for any other slug). */
  async function channelOf(rubricSlug: string | undefined): Promise<FeedChannel> {
    const rubric = rubricSlug === undefined ? undefined : await deps.rubrics.getPublic(rubricSlug);
    const base = rubric ? `/v1/rubrics/${encodeURIComponent(rubric.slug)}/feeds/` : '/v1/feeds/';
    const selfUrls = Object.fromEntries(
      Object.entries(feedPaths).map(([format, file]) => [format, site.urls.absolute(base + file)]),
    ) as Record<FeedFormat, string>;
    return {
      title: rubric ? `${rubric.name} — ${site.name}` : site.name,
      description: rubric ? (rubric.description ?? `${rubric.name} — ${site.name}`) : site.name,
      pageUrl: rubric ? site.urls.rubric(rubric.slug) : site.urls.home(),
      selfUrls,
      items: await deps.articles.listNewestPublic(FEED_ITEMS, rubric?.id),
      now: deps.now(),
    };
  }

  /** The site's own pages: the home page, then every active rubric's page. */
  async function pageLocations(): Promise<string[]> {
    const locations = [site.urls.home()];
    for (let cursor: string | undefined, more = true; more; ) {
      const page = await deps.rubrics.listPublic(100, cursor);
      locations.push(...page.items.map((rubric) => site.urls.rubric(rubric.slug)));
      cursor = page.nextCursor ?? undefined;
      more = cursor !== undefined;
    }
    return locations;
  }

  /** One sitemap file: positions [start, start + pageSize) of the site's pages followed by its articles, oldest first. */
  async function renderSitemapPage(pages: readonly string[], start: number): Promise<string> {
    const entries = pages.slice(start, start + pageSize).map((loc) => sitemapEntry(loc));
    const articleLimit = pageSize - entries.length;
    for await (const links of deps.articles.streamPublicLinks(Math.max(0, start - pages.length), articleLimit, SITEMAP_CHUNK)) {
      entries.push(...links.map((link) => sitemapEntry(site.urls.article(link.slug), lastModifiedOf(link))));
    }
    return renderUrlset(entries);
  }

  /** The sitemap's pages and how many files they fill. */
  async function sitemapLayout() {
    const [pages, articleCount] = await Promise.all([pageLocations(), deps.articles.countPublic()]);
    return { pages, fileCount: Math.max(1, Math.ceil((pages.length + articleCount) / pageSize)) };
  }

  return {
    rss: async (rubricSlug?: string): Promise<string> => renderRss(await channelOf(rubricSlug), site),
    atom: async (rubricSlug?: string): Promise<string> => renderAtom(await channelOf(rubricSlug), site),
    jsonFeed: async (rubricSlug?: string): Promise<JsonFeed> => toJsonFeed(await channelOf(rubricSlug), site),
    /** The newest corrections of public articles. */
    correctionsRss: async (): Promise<string> =>
      renderCorrectionsRss((await deps.articles.listPublicCorrections({ limit: FEED_ITEMS })).items, site, deps.now()),

    /** Every public URL in one file, or, when they do not fit, an index of the files that hold them. */
    async sitemap(): Promise<string> {
      const { pages, fileCount } = await sitemapLayout();
      if (fileCount === 1) return renderSitemapPage(pages, 0);
      return renderSitemapIndex(Array.from({ length: fileCount }, (_, i) => site.urls.absolute(`/v1/sitemaps/${i + 1}.xml`)));
    },

    /** The n-th file of the sitemap index, from 1. */
    async sitemapPage(n: number): Promise<string> {
      const { pages, fileCount } = await sitemapLayout();
      if (n > fileCount) throw new NotFoundError('sitemap page');
      return renderSitemapPage(pages, (n - 1) * pageSize);
    },

    /** The articles published in the last 48 hours, for Google News. */
    async newsSitemap(): Promise<string> {
      const since = new Date(deps.now().getTime() - NEWS_WINDOW_MS);
      return renderNewsSitemap(await deps.articles.listRecentPublicLinks(since, NEWS_MAX_URLS), site);
    },
  };
}

export type SyndicationService = ReturnType<typeof createSyndicationService>;
