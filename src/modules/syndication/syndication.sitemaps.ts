import type { PublicArticleLink } from '../articles/index.ts';
import type { SiteInfo } from './syndication.json-ld.ts';
import { element, textElement, xmlDocument } from './syndication.xml.ts';

const sitemapNs = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const newsNs = 'http://www.google.com/schemas/sitemap-news/0.9';

/** A `<url>` of a sitemap. */
export const sitemapEntry = (loc: string, lastmod?: string) =>
  element('url', {}, [textElement('loc', loc), textElement('lastmod', lastmod)]);

export const renderUrlset = (entries: readonly string[]) => xmlDocument(element('urlset', { xmlns: sitemapNs }, entries));

export const renderSitemapIndex = (pageUrls: readonly string[]) =>
  xmlDocument(
    element(
      'sitemapindex',
      { xmlns: sitemapNs },
      pageUrls.map((loc) => element('sitemap', {}, [textElement('loc', loc)])),
    ),
  );

/** A Google News sitemap: the articles with their publication, date and title. */
export function renderNewsSitemap(links: readonly PublicArticleLink[], site: SiteInfo): string {
  return xmlDocument(
    element(
      'urlset',
      { xmlns: sitemapNs, 'xmlns:news': newsNs },
      links.map((link) =>
        element('url', {}, [
          textElement('loc', site.urls.article(link.slug)),
          element('news:news', {}, [
            element('news:publication', {}, [textElement('news:name', site.name), textElement('news:language', site.language)]),
            textElement('news:publication_date', link.publishedAt),
            textElement('news:title', link.title),
          ]),
        ]),
      ),
    ),
  );
}
