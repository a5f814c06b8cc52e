import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { AnyRoute } from '../../http/route.ts';
import { docsPage, docsRoutes } from './docs.routes.ts';

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ownAssetsDir = fileURLToPath(new URL('./assets/', import.meta.url));

// Only what the page loads (and the source maps a browser's developer tools ask for), not the whole package.
const swaggerUiFiles = [
  'swagger-ui-bundle.js',
  'swagger-ui-bundle.js.map',
  'swagger-ui.css',
  'swagger-ui.css.map',
  'index.css',
  'favicon-16x16.png',
  'favicon-32x32.png',
];
const ownFiles = ['swagger-initializer.js'];

/**
 * helmet's default policy with the two relaxations Swagger UI needs, for /docs only: "Try it out" shows an
 * image answer (a media rendition) from a blob: URL; and over plain http on a host other than loopback,
 * a browser would upgrade the page's own script requests to https, and nothing would load.
 */
const docsCsp = helmet.contentSecurityPolicy({
  directives: {
    'img-src': ["'self'", 'data:', 'blob:'],
    'upgrade-insecure-requests': null,
  },
});

/** GET /docs (Swagger UI) and GET /openapi.json, with Swagger UI's files from the swagger-ui-dist package. */
export function createDocsModule(deps: { openApiDocument: () => unknown }) {
  // Asset URLs carry a hash of what they serve, so browsers may keep them for good.
  const assetVersion = createHash('sha256')
    .update(readFileSync(join(swaggerUiDir, 'package.json')))
    .update(readFileSync(join(ownAssetsDir, 'swagger-initializer.js')))
    .digest('hex')
    .slice(0, 12);
  let json: string | undefined;
  const publicRoutes = docsRoutes({
    page: docsPage((file) => `/docs/assets/${file}?v=${assetVersion}`),
    openApiJson: () => (json ??= JSON.stringify(deps.openApiDocument())),
  });
  return { adminRoutes: [] as AnyRoute[], publicRoutes, router: assetsRouter(assetVersion) };
}

function assetsRouter(assetVersion: string): Router {
  const options: Parameters<typeof express.static>[1] = {
    index: false,
    redirect: false,
    cacheControl: false,
    // An unversioned URL (typed by hand, or an old page) is revalidated instead.
    setHeaders: (res) =>
      res.setHeader('Cache-Control', res.req.query.v === assetVersion ? 'public, max-age=31536000, immutable' : 'no-cache'),
  };
  const fromSwaggerUi = express.static(swaggerUiDir, options);
  const fromOwn = express.static(ownAssetsDir, options);
  const serverOf = new Map<string, RequestHandler>([
    ...swaggerUiFiles.map((f) => [f, fromSwaggerUi] as const),
    ...ownFiles.map((f) => [f, fromOwn] as const),
  ]);

  const router = Router();
  router.use('/docs', docsCsp);
  // Anything else under /docs/assets falls through to the app's 404 problem.
  router.use('/docs/assets', (req, res, next) => {
    const serve = serverOf.get(req.path.slice(1));
    if (serve) serve(req, res, next);
    else next();
  });
  return router;
}
