/**
 * The page's addresses, in one place: the browser renders them (main.ts) and the reader's server
 * answers them with the page, any other address with a 404 (server/serve.ts). Slugs are group 1.
 */
export const pageRoutes = {
  feed: /^\/$/,
  article: /^\/articles\/([^/]+)$/,
  rubric: /^\/rubrics\/([^/]+)$/,
  tag: /^\/tags\/([^/]+)$/,
  search: /^\/search$/,
} as const;

export const isPagePath = (pathname: string) => Object.values(pageRoutes).some((route) => route.test(pathname));
