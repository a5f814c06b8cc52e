import { defineRoute, HttpResult, type AnyRoute } from '../../http/route.ts';
import { anyone } from '../../http/access.ts';
import { z } from '../../shared/zod.ts';
import { OpenApiDocumentSchema } from './docs.schemas.ts';

const tag = 'Docs';

/** Where the page finds the document: a relative URL, so the reference works behind any host name. */
export const specUrl = '/openapi.json';

// Revalidated on each visit (ETag, 304): the page and the document change with each deploy.
const revalidate = { 'Cache-Control': 'no-cache' };
const notModified = { 304: { description: 'Not modified: If-None-Match holds the current ETag. No body.' } };

/** The HTML of the reference: Swagger UI, every file from this server, started by a script of ours. */
export function docsPage(assetUrl: (file: string) => string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Newsroom CMS API reference</title>
<link rel="stylesheet" href="${assetUrl('swagger-ui.css')}">
<link rel="stylesheet" href="${assetUrl('index.css')}">
<link rel="icon" type="image/png" sizes="32x32" href="${assetUrl('favicon-32x32.png')}">
<link rel="icon" type="image/png" sizes="16x16" href="${assetUrl('favicon-16x16.png')}">
</head>
<body>
<noscript>The interactive reference needs JavaScript. The OpenAPI document itself is at <a href="${specUrl}">${specUrl}</a>.</noscript>
<div id="swagger-ui" data-spec-url="${specUrl}"></div>
<script src="${assetUrl('swagger-ui-bundle.js')}"></script>
<script src="${assetUrl('swagger-initializer.js')}"></script>
</body>
</html>
`;
}

export function docsRoutes(deps: { page: string; openApiJson: () => string }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/docs',
      operationId: 'getApiReference',
      summary: 'The interactive API reference',
      tag,
      access: anyone,
      description: 'Swagger UI over this document, served with its scripts and styles from this server. "Try it out" calls this server.',
      response: z.string().openapi({ description: 'An HTML page.' }),
      mediaType: 'text/html',
      responseDescription: 'The reference page.',
      cache: false,
      extraResponses: notModified,
      handler: async () => new HttpResult(200, deps.page, revalidate),
    }),
    defineRoute({
      method: 'get',
      path: specUrl,
      operationId: 'getOpenApiDocument',
      summary: 'This OpenAPI document, as JSON',
      tag,
      access: anyone,
      description:
        "The same document as the repository's openapi.yaml, generated from the routes' schemas. Its server URL is relative: it resolves against the server it is read from.",
      // The document is serialized once; a string is sent as it is.
      response: OpenApiDocumentSchema,
      mediaType: 'application/json',
      responseDescription: 'The OpenAPI document.',
      cache: false,
      extraResponses: notModified,
      handler: async () => new HttpResult(200, deps.openApiJson(), revalidate),
    }),
  ];
}
