import { NotFoundError } from '../../errors.ts';
import { adminsOnly, anyone } from '../../http/access.ts';
import { defineRoute, HttpResult, type AnyRoute } from '../../http/route.ts';
import { mayPublish, type ArticlesService } from '../articles/index.ts';
import type { IncomingImporter } from './interchange.incoming.ts';
import { ImportResultLineSchema } from './interchange.schemas.ts';
import { createNdjsonWriter, ReaderGoneError } from './ndjson.ts';
import { assertImportable, ndjsonType, startNdjson } from './interchange.native.routes.ts';
import { createWordpressImport } from './wordpress/wordpress.import.ts';
import { RedirectLookupQuery, WordpressExportBody, WordpressImportQuery } from './wordpress/wordpress.schemas.ts';

const xmlTypes = new Set(['application/xml', 'text/xml', 'application/rss+xml']);

export interface WordpressRoutesDeps {
  importer: Pick<IncomingImporter, 'importIncoming'>;
  articles: Pick<ArticlesService, 'recordPathRedirects' | 'findPathRedirect'>;
  /** Purges the public answers an imported post changed (`everything` when its write did not say which). */
  purge: (keys: string[] | 'everything') => void;
  /** How long a redirect may be kept by browsers and by caches on the way (the public cache's max-age and s-maxage). */
  cache: { maxAgeSeconds: number; sMaxAgeSeconds: number };
}

/** `POST /v1/admin/import/wordpress`. */
export function wordpressAdminRoutes(deps: WordpressRoutesDeps): AnyRoute[] {
  const wordpress = createWordpressImport(deps);
  return [
    defineRoute({
      method: 'post',
      path: '/v1/admin/import/wordpress',
      operationId: 'importWordpress',
      summary: 'Import a WordPress export (WXR)',
      tag: 'Import and export',
      access: adminsOnly,
      description: [
        'Reads the export (Tools → Export → All content) as a stream and answers one NDJSON result line per `<item>` as it goes:',
        '`{ line, status, type, id, error, warnings }`, `line` being the item’s position in the file.',
        'Posts become articles (origin `wordpress`, source `wordpress:<site host>`, by their guid): classic HTML and Gutenberg blocks',
        'become paragraph, heading, quote, list, image and embed blocks; the post’s most specific category becomes the rubric, created',
        'with its parent categories; tags become tags; authors become disabled author accounts without passwords (an existing user with',
        'the same e-mail is used instead); the excerpt becomes the lead; the featured image becomes the cover, fetched like any imported',
        'photo (a photo that cannot be fetched leaves the article without it, with a warning).',
        'Posts published in WordPress are published here too (with their publication time) unless `publish=false`; drafts and pending',
        'posts stay drafts, private posts are withheld, trashed posts, pages, attachments and other items are `skipped`.',
        'A published post’s old addresses (its permalink’s path and `/?p=<id>`) answer `GET /v1/redirects?path=…` with its address here.',
        'Each post is imported on its own: a post that fails is an `error` line and the next one is read; an item that is not well-formed',
        'XML is an `error` line; a file cut off ends with an `error` line of type `export`, everything before it imported.',
        'Importing the same export again changes nothing (every post `unchanged`); a post modified in WordPress since is `updated`.',
      ].join(' '),
      query: WordpressImportQuery,
      streamedBody: {
        description: 'The WXR file.',
        content: { 'application/xml': { schema: WordpressExportBody }, 'text/xml': { schema: WordpressExportBody } },
      },
      mediaType: ndjsonType,
      response: ImportResultLineSchema,
      responseDescription: 'One result per item of the export, each as soon as it is known.',
      errors: {
        403: 'The publish right is needed for `publish=true`.',
        415: 'The body is not XML (code `unsupported_media_type`): send it as `application/xml` or `text/xml`.',
      },
      handler: async ({ query, req, res, actor }) => {
        const mayPublishHere = mayPublish(actor);
        assertImportable(req, xmlTypes, 'application/xml or text/xml', { isAsked: query.publish === true, isAllowed: mayPublishHere });
        startNdjson(res);
        const writer = createNdjsonWriter(res);
        try {
          for await (const line of wordpress.run(req, actor, { publish: query.publish ?? mayPublishHere })) await writer.write(line);
          await writer.end();
        } catch (error) {
          // A body cut off, or a reader gone: the posts done so far stay done.
          if (!(error instanceof ReaderGoneError))
            (res.locals.logger as { error?: (o: unknown, m: string) => void } | undefined)?.error?.(
              { err: error },
              'wordpress import: cut off',
            );
          res.destroy();
        }
      },
    }),
  ];
}

/** `GET /v1/redirects`: an old site's address → the article's address here. */
export function wordpressPublicRoutes(deps: WordpressRoutesDeps): AnyRoute[] {
  const { articles, cache } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/v1/redirects',
      operationId: 'lookUpRedirect',
      summary: 'Find where an old address of the site leads',
      tag: 'Articles',
      access: anyone,
      description:
        'For an address an imported article had on the old site (a WordPress permalink), answers 301 with the article’s address in the ' +
        'API, `/v1/articles/{slug}`. Paths match whatever their percent-escapes’ case and trailing slash. 404 for an address that is ' +
        'unknown or whose article is not public. The redirect may be cached (`Surrogate-Key: article:<id>`: a change of the article purges it).',
      query: RedirectLookupQuery,
      status: 301,
      extraResponses: {
        301: {
          description: 'The article lives at the address in `Location`.',
          headers: {
            Location: { description: "The article's address, `/v1/articles/{slug}`.", schema: { type: 'string' } },
            'Surrogate-Key': { description: 'The keys that purge this answer.', schema: { type: 'string' } },
          },
        },
      },
      errors: { 404: 'No public article had this address.' },
      // A 301 is never kept by the in-process store (it keeps 200s): the answer carries its own caching headers.
      cache: false,
      handler: async ({ query }) => {
        const found = await articles.findPathRedirect(query.path);
        if (!found) throw new NotFoundError('redirect');
        const { keys } = found;
        return new HttpResult(301, undefined, {
          Location: `/v1/articles/${encodeURIComponent(found.slug)}`,
          'Cache-Control': `public, max-age=${cache.maxAgeSeconds}, s-maxage=${cache.sMaxAgeSeconds}`,
          'Surrogate-Key': keys.join(' '),
          'Cache-Tag': keys.join(','),
        });
      },
    }),
  ];
}
