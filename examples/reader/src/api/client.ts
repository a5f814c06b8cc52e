import createClient from 'openapi-fetch';
import type { components, paths } from './schema.gen.ts';

// Every request and response type below comes from openapi.yaml (schema.gen.ts is generated from it):
// when the API's contract changes in a way this page relies on, `npm run typecheck` fails.
export type PublicArticle = components['schemas']['PublicArticle'];
export type ArticleSummary = components['schemas']['ArticleSummary'];
export type FeedItem = components['schemas']['PublicFeedItem'];
export type Media = components['schemas']['Media'];
export type Rendition = components['schemas']['MediaRendition'];
export type Block = components['schemas']['PublicArticleBlock'];
export type SearchHit = components['schemas']['SearchHit'];
export type Problem = components['schemas']['Problem'];

/** Where the API answers: the page's own origin (the site passes /v1 through), or the `cms-api` meta tag. */
export function apiBaseUrl(): string {
  const configured = document.querySelector<HTMLMetaElement>('meta[name="cms-api"]')?.content.trim();
  return configured ? configured.replace(/\/+$/, '') : window.location.origin;
}

// The reader takes the API's JSON: a route that also speaks another media type (ninjs) is typed for JSON.
export const api = createClient<paths, 'application/json'>({ baseUrl: apiBaseUrl() });

/** An API address (a media file's `/v1/...` path) as the browser must load it. */
export function apiUrl(pathOrUrl: string): string {
  return new URL(pathOrUrl, `${apiBaseUrl()}/`).toString();
}

/** A failed request, with the problem+json the API answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `The API answered ${status}`);
  }
}

/** The data of a successful answer, or an ApiError carrying the problem. */
export function dataOf<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined) return result.data;
  throw new ApiError(result.response.status, result.error as Problem | undefined);
}
