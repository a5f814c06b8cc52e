import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import createClient from 'openapi-fetch';
import type { paths } from '../src/api/schema.gen.ts';
import { isPagePath, pageRoutes } from '../src/routes.ts';
import { articleHead, articleHeadFields, escapeHtml, renderHead, unescapeHtml, type PageHead } from '../src/seo.ts';

/**
 * Serves the reader's built page as a news site would: its files, the page itself for every route
 * (the page renders the route in the browser), and `/v1/…` passed through to the CMS API, which is
 * how the API expects a site to expose it (feeds, sitemaps and media links are `/v1/…` on the site).
 * An article's page arrives with its head written (title, description, Open Graph, JSON-LD) for
 * crawlers and link previews that run no scripts, and with the status a crawler must see: 404 for
 * no such article, 301 from a former slug.
 */
export interface ReaderServerOptions {
  /** The reader's `vite build` output. */
  distDir: string;
  /** Where the CMS API answers, e.g. http://127.0.0.1:3000. */
  apiUrl: string;
  /** Written everywhere index.html names the site; left out, the name index.html gives is used. */
  siteName?: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

// Everything the page loads comes from its own origin (the API included, through /v1), except photos
// and sound: media added by URL keeps its address, and MEDIA_PUBLIC_BASE_URL may put files on a CDN.
const securityHeaders = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "img-src 'self' data: https:",
    "media-src 'self' https:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

// Hop-by-hop headers belong to one connection and are not passed on: these, and any the Connection
// header names (RFC 9110, 7.6.1).
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);
function endToEnd(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const named = new Set(
    String(headers.connection ?? '')
      .toLowerCase()
      .split(',')
      .map((name) => name.trim()),
  );
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHop.has(name) && !named.has(name)));
}

type PageAnswer = { status: 200 | 404 | 503; head?: PageHead } | { status: 301; location: string };

// Where index.html names the site: the meta tag the script reads, and what shows before (or without) it.
const siteNamePlaces = [
  /(<meta name="site-name" content=")[^"]*(")/,
  /(<title>)[^<]*(<\/title>)/,
  /(<link rel="alternate" type="application\/rss\+xml" title=")[^"]*(")/,
  /(<a class="logo"[^>]*>)[^<]*(<\/a>)/,
];

/** index.html with the site name written in; a replacer function, as `$&` or `$'` in the name would be expanded. */
function withSiteName(html: string, siteName: string): string {
  const escaped = escapeHtml(siteName);
  return siteNamePlaces.reduce((page, place) => page.replace(place, (_, open: string, close: string) => `${open}${escaped}${close}`), html);
}

/** The name index.html gives the site (its meta tag, which the browser reads too). */
const siteNameIn = (html: string) => unescapeHtml(/<meta name="site-name" content="([^"]*)"/.exec(html)?.[1] ?? '') || 'Newsroom';

/**
 * The page's status from the API's answer about what the page shows: 404 when the API knows no such
 * thing (400: a slug it could never have, too long or malformed); any other failure is the API's, 503.
 */
function statusOf(response: Response): 200 | 404 | 503 {
  if (response.ok) return 200;
  return response.status === 404 || response.status === 400 ? 404 : 503;
}

// A broken connection has already destroyed both ends of the pipeline: there is nothing left to answer.
const ignore = () => undefined;
const apiTimeoutMs = 5000;

export function createReaderServer(options: ReaderServerOptions): Server {
  const root = resolve(options.distDir);
  const api = new URL(options.apiUrl);
  const client = createClient<paths, 'application/json'>({ baseUrl: api.origin });

  /** index.html as served, with the site's name; read on every request, so a rebuild shows at once (it is small). */
  async function readPage(): Promise<{ html: string; siteName: string }> {
    const html = await readFile(join(root, 'index.html'), 'utf8');
    return options.siteName
      ? { html: withSiteName(html, options.siteName), siteName: options.siteName }
      : { html, siteName: siteNameIn(html) };
  }

  async function articleAnswer(slug: string, pageUrl: string): Promise<PageAnswer> {
    const { data, response } = await client.GET('/v1/articles/{slug}', {
      params: { path: { slug }, query: { fields: articleHeadFields } },
      redirect: 'manual',
      signal: AbortSignal.timeout(apiTimeoutMs),
    });
    if (data) return { status: 200, head: articleHead(data, pageUrl) };
    const moved = response.status === 301 ? response.headers.get('location') : null;
    if (moved) return { status: 301, location: `/articles/${new URL(moved, api).pathname.split('/').pop()}` };
    return { status: statusOf(response) };
  }

  async function rubricAnswer(slug: string): Promise<PageAnswer> {
    const { response } = await client.GET('/v1/rubrics/{slug}', { params: { path: { slug } }, signal: AbortSignal.timeout(apiTimeoutMs) });
    return { status: statusOf(response) };
  }

  async function tagAnswer(slug: string): Promise<PageAnswer> {
    const { response } = await client.GET('/v1/tags/{slug}', { params: { path: { slug } }, signal: AbortSignal.timeout(apiTimeoutMs) });
    return { status: statusOf(response) };
  }

  // The pages that show one thing of the API's, and how to ask whether it is there; the feed and search always are.
  const answers: [RegExp, (slug: string, pageUrl: string) => Promise<PageAnswer>][] = [
    [pageRoutes.article, articleAnswer],
    [pageRoutes.rubric, rubricAnswer],
    [pageRoutes.tag, tagAnswer],
  ];

  /** What the page at this address answers before any script runs. */
  async function pageAnswer(path: string, pageUrl: string): Promise<PageAnswer> {
    // Any other address is the page's "not found", with the status crawlers must see.
    if (!isPagePath(path)) return { status: 404 };
    const [route, answer] = answers.find(([pattern]) => pattern.test(path)) ?? [];
    if (!route || !answer) return { status: 200 };
    let slug: string;
    try {
      slug = decodeURIComponent(route.exec(path)![1]!);
    } catch {
      return { status: 404 };
    }
    // The API is slow or down: the page still comes (its script asks again), but not as a 200.
    return answer(slug, pageUrl).catch(() => ({ status: 503 }));
  }

  function proxy(req: IncomingMessage, res: ServerResponse, url: URL): void {
    // Only the path and query are taken from the request: a target like `//host/v1/…` or
    // `http://host/v1/…` must not choose where the request goes.
    const target = new URL(`${url.pathname}${url.search}`, api.origin);
    const send = api.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(
      target,
      { method: req.method, headers: { ...endToEnd(req.headers), 'x-forwarded-host': req.headers.host ?? '' } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        // An API that drops the connection mid-body closes the reader's too, rather than leave it waiting.
        pipeline(answer, res, ignore);
      },
    );
    // A reader who leaves stops the API's work too; an API that hangs does not hold the reader forever.
    res.on('close', () => upstream.destroy());
    upstream.setTimeout(30_000, () => upstream.destroy(new Error('the API took too long')));
    upstream.on('error', () => {
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'Content-Type': 'application/problem+json', ...securityHeaders });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Bad gateway', status: 502, detail: 'The CMS API did not answer.' }));
    });
    pipeline(req, upstream, ignore);
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return false;
    }
    const file = normalize(join(root, decoded));
    if (!file.startsWith(root + sep)) return false;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile() || file === join(root, 'index.html')) return false;
    res.writeHead(200, {
      'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      // Vite names built assets by their content: they never change under the same name.
      'Cache-Control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      ...securityHeaders,
    });
    if (req.method === 'HEAD') res.end();
    // A file that fails to open after all (deleted since the stat) ends the answer, not the process.
    else pipeline(createReadStream(file), res, ignore);
    return true;
  }

  return createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://reader');
    } catch {
      // A request target no URL can be made of (`//[`): the client's mistake, not a crash.
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders }).end('Bad request');
      return;
    }
    const path = url.pathname;
    if (path === '/v1' || path.startsWith('/v1/')) return proxy(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', ...securityHeaders }).end();
      return;
    }
    void (async () => {
      if (await serveFile(req, res, path)) return;
      // A built file that is not there (an old asset name after a deploy) is a 404, not the page.
      if (path.startsWith('/assets/')) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', ...securityHeaders });
        res.end(req.method === 'HEAD' ? undefined : 'Not found');
        return;
      }
      const [{ html, siteName }, answer] = await Promise.all([
        readPage(),
        pageAnswer(path, `http://${req.headers.host ?? 'localhost'}${path}`),
      ]);
      if (answer.status === 301) {
        res.writeHead(301, { Location: answer.location + url.search, 'Cache-Control': 'no-cache', ...securityHeaders }).end();
        return;
      }
      const { head } = answer;
      res.writeHead(answer.status, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        ...(answer.status === 503 ? { 'Retry-After': '30' } : {}),
        ...securityHeaders,
      });
      res.end(req.method === 'HEAD' ? undefined : head ? html.replace(/<title>[^<]*<\/title>/, () => renderHead(head, siteName)) : html);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders });
      res.end('The reader could not answer.');
    });
  });
}
