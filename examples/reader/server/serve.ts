import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { extname, join, normalize, resolve, sep } from 'node:path';
import createClient from 'openapi-fetch';
import type { paths } from '../src/api/schema.gen.ts';
import { isPagePath, pageRoutes } from '../src/routes.ts';
import { articleHead, articleHeadFields, escapeHtml, renderHead } from '../src/seo.ts';

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

// Everything the page loads comes from its own origin (the API included, through /v1).
const securityHeaders = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

// Hop-by-hop headers belong to one connection and are not passed on: these, and any the Connection
// header names (RFC 9110, 7.6.1).
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);
function endToEnd(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const named = new Set(String(headers.connection ?? '').toLowerCase().split(',').map((name) => name.trim()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHop.has(name) && !named.has(name)));
}

type PageAnswer = { status: 200 | 404; head?: string } | { status: 301; location: string };

export function createReaderServer(options: ReaderServerOptions): Server {
  const root = resolve(options.distDir);
  const api = new URL(options.apiUrl);
  const client = createClient<paths>({ baseUrl: api.origin });
  const siteName = options.siteName ? escapeHtml(options.siteName) : undefined;
  let page: Promise<string> | undefined;
  // A replacer function: in a replacement string, `$&` or `$'` in the site name would be expanded.
  const renderPage = () => (page ??= readFile(join(root, 'index.html'), 'utf8').then(
    (html) => (siteName ? html.replace(/(<meta name="site-name" content=")[^"]*(")/, (_, open: string, close: string) => `${open}${siteName}${close}`) : html),
    (error: unknown) => {
      page = undefined; // not remembered: the next request reads again (the build may not have finished)
      throw error;
    },
  ));

  /** What the page at this address answers before any script runs. */
  async function pageAnswer(path: string, host: string | undefined): Promise<PageAnswer> {
    // Any other address is the page's "not found", with the status crawlers must see.
    if (!isPagePath(path)) return { status: 404 };
    const match = pageRoutes.article.exec(path);
    if (!match) return { status: 200 };
    let slug: string;
    try {
      slug = decodeURIComponent(match[1]!);
    } catch {
      return { status: 404 };
    }
    try {
      const { data, response } = await client.GET('/v1/articles/{slug}', {
        params: { path: { slug }, query: { fields: articleHeadFields } },
        redirect: 'manual',
        signal: AbortSignal.timeout(5000),
      });
      if (data) return { status: 200, head: renderHead(articleHead(data, `http://${host ?? 'localhost'}${path}`), options.siteName ?? 'Newsroom') };
      if (response.status === 404) return { status: 404 };
      const moved = response.status === 301 ? response.headers.get('location') : null;
      if (moved) return { status: 301, location: `/articles/${new URL(moved, api).pathname.split('/').pop()}` };
    } catch {
      // The API is slow or down: the page still comes, and the browser asks again.
    }
    return { status: 200 };
  }

  function proxy(req: IncomingMessage, res: ServerResponse, url: URL): void {
    // Only the path and query are taken from the request: a target like `//host/v1/…` or
    // `http://host/v1/…` must not choose where the request goes.
    const target = new URL(`${url.pathname}${url.search}`, api.origin);
    const send = api.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(target, { method: req.method, headers: { ...endToEnd(req.headers), 'x-forwarded-host': req.headers.host ?? '' } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
      answer.pipe(res);
    });
    // A reader who leaves stops the API's work too; an API that hangs does not hold the reader forever.
    res.on('close', () => upstream.destroy());
    upstream.setTimeout(30_000, () => upstream.destroy(new Error('the API took too long')));
    upstream.on('error', () => {
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'Content-Type': 'application/problem+json', ...securityHeaders });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Bad gateway', status: 502, detail: 'The CMS API did not answer.' }));
    });
    req.pipe(upstream);
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
    else createReadStream(file).pipe(res);
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
      const [html, answer] = await Promise.all([renderPage(), pageAnswer(path, req.headers.host)]);
      if (answer.status === 301) {
        res.writeHead(301, { Location: answer.location + url.search, 'Cache-Control': 'no-cache', ...securityHeaders }).end();
        return;
      }
      const { head } = answer;
      res.writeHead(answer.status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', ...securityHeaders });
      res.end(req.method === 'HEAD' ? undefined : head ? html.replace(/<title>[^<]*<\/title>/, () => head) : html);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders });
      res.end('The reader could not answer.');
    });
  });
}
