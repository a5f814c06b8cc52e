/**
 * The addresses of the public site's pages, in one place so the front end can move them here alone.
 * Feeds, sitemaps and JSON-LD link through these; `baseUrl` is PUBLIC_BASE_URL without a trailing slash.
 */
export function createPublicUrls(baseUrl: string) {
  return {
    home: () => `${baseUrl}/`,
    article: (slug: string) => `${baseUrl}/articles/${encodeURIComponent(slug)}`,
    rubric: (slug: string) => `${baseUrl}/rubrics/${encodeURIComponent(slug)}`,
    /**
     * An API path (a feed, a sitemap page, a media file without MEDIA_PUBLIC_BASE_URL) as an absolute URL:
     * the site is expected to pass `/v1/…` through to this API. Absolute URLs are returned unchanged.
     */
    absolute: (pathOrUrl: string) =>
      /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${baseUrl}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`,
  };
}

export type PublicUrls = ReturnType<typeof createPublicUrls>;
