import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReaderServer } from '../../examples/reader/server/serve.ts';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request with node:http, on a connection of its own: unlike fetch it sends the path exactly as
 * written (`/../x`, `%2e%2e`, `//host/…`), and shows every response header, hop-by-hop ones included.
 */
function send(
  base: string,
  path: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: string } = {},
): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

/** index.html as built, naming the site in the four places the server writes its name. */
const builtPage = (siteName: string) => `<!doctype html>
<html lang="ru">
  <head>
    <meta charset="utf-8" />
    <meta name="site-name" content="${siteName}" />
    <title>${siteName}</title>
    <link rel="alternate" type="application/rss+xml" title="${siteName}" href="/v1/feeds/rss.xml" />
    <script type="module" crossorigin src="/assets/index-abc123.js"></script>
  </head>
  <body><header><a class="logo" href="/">${siteName}</a></header><main id="app"></main></body>
</html>
`;
const indexHtml = builtPage('Placeholder');
const assetJs = 'console.log("the reader");\n';
// `$&`, `$'` and `$$` mean something to String.prototype.replace; quotes and `<` to HTML.
const siteName = `Новости & "Город" <b>$& $' $1 $$`;
const siteNameInHtml = `Новости &amp; &quot;Город&quot; &lt;b&gt;$&amp; $' $1 $$`;
const renderedPage = builtPage(siteNameInHtml);
const secret = 'SECRET OUTSIDE DIST';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe("the reader's server", () => {
  let base: string;
  let dist: string;
  let upstream: Server;
  let upstreamUrl: string;
  let seen: Seen[];
  let reader: Server;
  let readerUrl: string;

  beforeAll(async () => {
    // base/dist is the build; base/package.json and base/dist-evil/ are what traversal would reach.
    base = await mkdtemp(join(tmpdir(), 'reader-serve-'));
    dist = join(base, 'dist');
    await mkdir(join(dist, 'assets'), { recursive: true });
    await mkdir(join(base, 'dist-evil'));
    await writeFile(join(dist, 'index.html'), indexHtml);
    await writeFile(join(dist, 'assets/index-abc123.js'), assetJs);
    await writeFile(join(dist, 'robots.txt'), 'User-agent: *\n');
    await writeFile(join(base, 'package.json'), JSON.stringify({ secret }));
    await writeFile(join(base, 'dist-evil/x.txt'), secret);

    // The API: records what reaches it and answers as the CMS would.
    seen = [];
    upstream = createServer(async (req, res) => {
      const body = await readBody(req);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const path = new URL(req.url!, 'http://api').pathname;
      if (path === '/v1/articles/hello') {
        if (req.headers['if-none-match'] === '"v1"')
          return res.writeHead(304, { ETag: '"v1"', 'Cache-Control': 'public, max-age=60' }).end();
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          ETag: '"v1"',
          'Cache-Control': 'public, max-age=60',
          'X-Request-Id': 'req-1',
          'Set-Cookie': ['a=1; Path=/', 'b=2; Path=/'],
          // Hop-by-hop: about this connection only, never to be passed on.
          Connection: 'keep-alive, X-Upstream-Hop',
          'Keep-Alive': 'timeout=7',
          'X-Upstream-Hop': 'private',
        });
        return res.end(JSON.stringify({ slug: 'hello', title: 'Привет' }));
      }
      if (path === '/v1/articles/evil') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(
          JSON.stringify({
            title: '</title><script>alert(1)</script>',
            lead: 'Лид "в кавычках" & <b>',
            seoTitle: null,
            seoDescription: null,
            publishedAt: '2026-11-20T09:00:00.000Z',
            cover: {
              url: '/v1/media/files/renditions/a.jpg',
              renditions: [
                { url: '/v1/media/files/renditions/b.jpg', aspectRatio: 'original', format: 'jpeg', width: 1024 },
                { url: '/v1/media/files/renditions/c.jpg', aspectRatio: 'original', format: 'jpeg', width: 3200 },
                { url: '/v1/media/files/renditions/d.webp', aspectRatio: 'original', format: 'webp', width: 1600 },
              ],
            },
            jsonLd: { '@type': 'NewsArticle', headline: '</script><script>alert(1)</script>', url: 'https://site.example/articles/evil' },
          }),
        );
      }
      if (path === '/v1/articles/old') return res.writeHead(301, { Location: '/v1/articles/new?fields=title' }).end();
      if (path === '/v1/rubrics/gorod') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ slug: 'gorod', name: 'Город', parent: null, children: [] }));
      }
      // A slug the API refuses outright (too long, malformed), in the path or as a tag.
      if (req.url!.includes('malformed')) {
        res.writeHead(400, { 'Content-Type': 'application/problem+json' });
        return res.end(JSON.stringify({ type: 'about:blank', title: 'Bad request', status: 400 }));
      }
      if (req.url!.includes('failing')) {
        res.writeHead(500, { 'Content-Type': 'application/problem+json' });
        return res.end(JSON.stringify({ type: 'about:blank', title: 'Internal error', status: 500 }));
      }
      if (path === '/v1/tags/transport') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ id: 't1', name: 'Транспорт', slug: 'transport' }));
      }
      // The connection drops mid-body: 7 bytes of the 100 announced.
      if (path === '/v1/broken') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        return res.write('{"a": 1', () => res.socket!.destroy());
      }
      if (req.method === 'POST' && path === '/v1/things') {
        res.writeHead(201, { 'Content-Type': 'application/json', Location: '/v1/things/1' });
        return res.end(JSON.stringify({ received: JSON.parse(body) as unknown }));
      }
      res.writeHead(404, { 'Content-Type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Not found', status: 404 }));
    });
    upstreamUrl = await listen(upstream);

    reader = createReaderServer({ distDir: dist, apiUrl: upstreamUrl, siteName });
    readerUrl = await listen(reader);
  });

  afterAll(async () => {
    await Promise.all([reader, upstream].filter(Boolean).map(close));
    await rm(base, { recursive: true, force: true });
  });

  describe('files', () => {
    it('serves a built asset with its content type and an immutable cache', async () => {
      const answer = await send(readerUrl, '/assets/index-abc123.js');
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(assetJs)));
      expect(answer.body).toBe(assetJs);
    });

    it('answers HEAD for an asset with its headers and no body', async () => {
      const answer = await send(readerUrl, '/assets/index-abc123.js', { method: 'HEAD' });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(answer.body).toBe('');
    });

    it('answers 404 for a built asset that is not there (not the page, which the browser would take for a script)', async () => {
      const answer = await send(readerUrl, '/assets/index-gone.js');
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    });

    it('caches a file not named by its content only briefly', async () => {
      const answer = await send(readerUrl, '/robots.txt');
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(answer.headers['cache-control']).toBe('public, max-age=300');
    });
  });

  describe('the page', () => {
    it.each(['/', '/rubrics/gorod', '/tags/transport', '/search?q=%D0%BC%D0%B8%D1%80'])(
      'answers %s with index.html, the site name written (escaped) wherever it names the site, not cached',
      async (path) => {
        const answer = await send(readerUrl, path);
        expect(answer.status).toBe(200);
        expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(answer.headers['cache-control']).toBe('no-cache');
        expect(answer.body).toBe(renderedPage);
      },
    );

    it.each(['/index.html', '/assets', '/nowhere', '/articles/a/b', '/articles/%E0'])(
      'answers %s, no page of the reader\'s, with the page (it says "not found") and a 404 for crawlers',
      async (path) => {
        const answer = await send(readerUrl, path);
        expect(answer.status).toBe(404);
        expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(answer.body).toBe(renderedPage);
      },
    );

    it("writes an article's head into the page, every value escaped, for crawlers and link previews that run no scripts", async () => {
      const answer = await send(readerUrl, '/articles/evil');
      expect(answer.status).toBe(200);
      const html = answer.body;
      expect(html).toContain('<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; — ');
      expect(html).toContain('<meta name="description" content="Лид &quot;в кавычках&quot; &amp; &lt;b&gt;" />');
      expect(html).toContain('<meta property="og:type" content="article" />');
      expect(html).toContain('<link rel="canonical" href="https://site.example/articles/evil" />');
      expect(html).toContain('<meta property="og:image" content="https://site.example/v1/media/files/renditions/b.jpg" />');
      const jsonLd = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!;
      expect(jsonLd).not.toContain('</');
      expect(JSON.parse(jsonLd)).toMatchObject({ headline: '</script><script>alert(1)</script>' });
      expect(html).not.toContain('<script>alert(1)');
      // Asked only for the fields the head needs.
      expect(seen.find((s) => s.url.startsWith('/v1/articles/evil'))?.url).toContain('fields=');
    });

    it.each(['/rubrics/nowhere', '/tags/nowhere', '/articles/malformed', '/rubrics/malformed', '/tags/malformed'])(
      'answers %s, which the API does not know (404) or refuses (400), with the page and a 404',
      async (path) => {
        const answer = await send(readerUrl, path);
        expect(answer.status).toBe(404);
        expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(answer.body).toBe(renderedPage);
      },
    );

    it.each(['/articles/failing', '/rubrics/failing', '/tags/failing'])(
      'answers %s, which the API fails to answer, with the page (its script asks again) and a 503 to come back',
      async (path) => {
        const answer = await send(readerUrl, path);
        expect(answer.status).toBe(503);
        expect(answer.headers['retry-after']).toBe('30');
        expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(answer.body).toBe(renderedPage);
      },
    );

    it('answers a missing article with a 404 and a former slug with a 301 to the new address', async () => {
      expect((await send(readerUrl, '/articles/gone')).status).toBe(404);
      const moved = await send(readerUrl, '/articles/old?utm=x');
      expect(moved.status).toBe(301);
      expect(moved.headers.location).toBe('/articles/new?utm=x');
    });

    it('answers HEAD for a route with no body', async () => {
      const answer = await send(readerUrl, '/articles/hello', { method: 'HEAD' });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.body).toBe('');
    });

    it.each([
      ['POST', '/articles/hello'],
      ['PUT', '/'],
      ['DELETE', '/assets/index-abc123.js'],
      ['PATCH', '/search?q=x'],
    ])('refuses %s %s with 405 and Allow', async (method, path) => {
      const answer = await send(readerUrl, path, { method, headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD');
      expect(seen.some((s) => s.method === method)).toBe(false);
    });

    it('sends the security headers with the page and its files', async () => {
      for (const path of ['/articles/hello', '/assets/index-abc123.js']) {
        const { headers } = await send(readerUrl, path);
        const csp = String(headers['content-security-policy']);
        for (const directive of [
          "default-src 'self'",
          "script-src 'self'",
          "object-src 'none'",
          "base-uri 'self'",
          "frame-ancestors 'none'",
        ]) {
          expect(csp, path).toContain(directive);
        }
        // Photos and sound may be on other origins (added by URL, or on a CDN), over HTTPS only.
        const directives = new Map(
          csp
            .split(';')
            .map((d) => d.trim().split(/\s+/))
            .map(([name, ...sources]) => [name, sources.join(' ')]),
        );
        expect(directives.get('img-src'), path).toBe("'self' data: https:");
        expect(directives.get('media-src'), path).toBe("'self' https:");
        expect(headers['x-content-type-options'], path).toBe('nosniff');
        expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
      }
    });

    it("serves index.html unchanged when no site name is configured, and names the site in an article's head as index.html does", async () => {
      const plain = createReaderServer({ distDir: dist, apiUrl: upstreamUrl });
      const url = await listen(plain);
      try {
        expect((await send(url, '/rubrics/gorod')).body).toBe(indexHtml);
        // The browser takes the name from the meta tag: the head the server writes says the same.
        const article = (await send(url, '/articles/hello')).body;
        expect(article).toContain('<title>Привет — Placeholder</title>');
        expect(article).toContain('<meta property="og:site_name" content="Placeholder" />');
      } finally {
        await close(plain);
      }
    });

    it('answers 500 while index.html is missing, and the page once it is there', async () => {
      const laterDist = await mkdtemp(join(tmpdir(), 'reader-serve-later-'));
      const later = createReaderServer({ distDir: laterDist, apiUrl: upstreamUrl });
      const url = await listen(later);
      try {
        expect((await send(url, '/')).status).toBe(500);
        // A failed read is not remembered: the build finishing (or a passing disk error) is enough.
        await writeFile(join(laterDist, 'index.html'), indexHtml);
        const answer = await send(url, '/');
        expect(answer.status).toBe(200);
        expect(answer.body).toBe(indexHtml);
      } finally {
        await close(later);
        await rm(laterDist, { recursive: true, force: true });
      }
    });

    it('serves a rebuilt index.html at once (the new asset names with it)', async () => {
      const rebuiltDist = await mkdtemp(join(tmpdir(), 'reader-serve-rebuilt-'));
      const rebuilt = createReaderServer({ distDir: rebuiltDist, apiUrl: upstreamUrl });
      const url = await listen(rebuilt);
      try {
        await writeFile(join(rebuiltDist, 'index.html'), indexHtml);
        expect((await send(url, '/')).body).toBe(indexHtml);
        const next = indexHtml.replace('index-abc123.js', 'index-def456.js');
        await writeFile(join(rebuiltDist, 'index.html'), next);
        expect((await send(url, '/')).body).toBe(next);
      } finally {
        await close(rebuilt);
        await rm(rebuiltDist, { recursive: true, force: true });
      }
    });
  });

  describe('paths that try to leave dist', () => {
    it.each([
      '/../package.json',
      '/../../package.json',
      '/..%2fpackage.json',
      '/%2e%2e/package.json',
      '/%2e%2e%2fpackage.json',
      '/%2E%2E%2Fpackage.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/..%5cpackage.json',
      '/..%2fdist-evil/x.txt',
      '/%252e%252e%252fpackage.json',
      '/%E0',
      '/%E0%A4%A',
      '/assets/%00.js',
      `/${'%2e%2e%2f'.repeat(12)}etc/passwd`,
    ])('%s answers 404 (the page, but under /assets/) and reads nothing outside dist', async (path) => {
      const answer = await send(readerUrl, path);
      expect(answer.body).not.toContain(secret);
      // As the server reads it: URL parsing resolves %2e%2e segments first. None is a page of the reader's.
      expect(answer.status).toBe(404);
      if (new URL(path, 'http://reader').pathname.startsWith('/assets/')) return;
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.body).toBe(renderedPage);
    });
  });

  describe('/v1 passed through to the API', () => {
    it('passes method, path, query and end-to-end headers, and answers with the API status, headers and body', async () => {
      seen.length = 0;
      const answer = await send(readerUrl, '/v1/articles/hello?fields=slug%2Ctitle&q=%D0%BC%D0%B8%D1%80', {
        headers: {
          Accept: 'application/json',
          'Accept-Language': 'ru',
          Authorization: 'Bearer token',
          // Hop-by-hop on the way in: the connection between the browser and the reader.
          Connection: 'keep-alive, X-Client-Hop',
          'Keep-Alive': 'timeout=9',
          'X-Client-Hop': 'private',
          'Proxy-Connection': 'keep-alive',
          TE: 'trailers',
        },
      });

      expect(seen).toHaveLength(1);
      const [request] = seen;
      expect(request!.method).toBe('GET');
      expect(request!.url).toBe('/v1/articles/hello?fields=slug%2Ctitle&q=%D0%BC%D0%B8%D1%80');
      expect(request!.headers).toMatchObject({ accept: 'application/json', 'accept-language': 'ru', authorization: 'Bearer token' });
      expect(request!.headers.host).toBe(new URL(upstreamUrl).host);
      expect(request!.headers['x-forwarded-host']).toBe(new URL(readerUrl).host);
      expect(request!.headers['x-client-hop']).toBeUndefined();
      expect(request!.headers['keep-alive']).toBeUndefined();
      expect(request!.headers['proxy-connection']).toBeUndefined();
      expect(request!.headers.te).toBeUndefined();

      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ slug: 'hello', title: 'Привет' });
      expect(answer.headers).toMatchObject({
        'content-type': 'application/json; charset=utf-8',
        etag: '"v1"',
        'cache-control': 'public, max-age=60',
        'x-request-id': 'req-1',
        'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
      });
      expect(answer.headers['x-upstream-hop']).toBeUndefined();
      expect(answer.headers['keep-alive']).not.toBe('timeout=7');
      expect(String(answer.headers.connection ?? '')).not.toMatch(/x-upstream-hop/i);
    });

    it('passes a conditional request and the 304 back', async () => {
      const answer = await send(readerUrl, '/v1/articles/hello', { headers: { 'If-None-Match': '"v1"' } });
      expect(answer.status).toBe(304);
      expect(answer.headers.etag).toBe('"v1"');
      expect(answer.body).toBe('');
    });

    it('passes a request body and the created answer', async () => {
      seen.length = 0;
      const body = JSON.stringify({ name: 'Ёлка' });
      const answer = await send(readerUrl, '/v1/things', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/things', body });
      expect(seen[0]!.headers['content-type']).toBe('application/json');
      expect(answer.status).toBe(201);
      expect(answer.headers.location).toBe('/v1/things/1');
      expect(JSON.parse(answer.body)).toEqual({ received: { name: 'Ёлка' } });
    });

    it("passes the API's error answers as they are", async () => {
      const answer = await send(readerUrl, '/v1/nothing-here');
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({ status: 404 });
    });

    it('closes the connection at once when the API drops its own mid-body, rather than leave the reader waiting', async () => {
      const waited = new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 3000));
      // The reader's answer cannot be completed (93 of the 100 announced bytes will never come): it must fail.
      await expect(Promise.race([send(readerUrl, '/v1/broken'), waited])).rejects.toThrow();
    });

    it('sends requests only to the configured API, whatever host the request target names', async () => {
      // A request target may be `//host/path` or `http://host/path`: the reader is not an open proxy.
      const elsewhere: string[] = [];
      const other = createServer((req, res) => {
        elsewhere.push(req.url!);
        res.end('other');
      });
      const otherHost = new URL(await listen(other)).host;
      try {
        seen.length = 0;
        for (const target of [`//${otherHost}/v1/articles/hello`, `http://${otherHost}/v1/articles/hello`]) {
          const answer = await send(readerUrl, target);
          expect(answer.body, target).not.toBe('other');
        }
        expect(elsewhere).toEqual([]);
        expect(seen.map((s) => s.url)).toEqual(['/v1/articles/hello', '/v1/articles/hello']);
      } finally {
        await close(other);
      }
    });

    it('answers 400 to a request target no URL can be made of, and goes on serving', async () => {
      const answer = await send(readerUrl, '//[');
      expect(answer.status).toBe(400);
      expect(answer.headers['content-security-policy']).toBeTruthy();
      expect((await send(readerUrl, '/')).status).toBe(200);
    });

    it('answers 502 problem+json when the API does not answer, and the page with a 503', async () => {
      // A port that was just free: nothing listens there.
      const gone = createServer();
      const goneUrl = await listen(gone);
      await close(gone);
      const orphan = createReaderServer({ distDir: dist, apiUrl: goneUrl });
      const url = await listen(orphan);
      try {
        const answer = await send(url, '/v1/feed');
        expect(answer.status).toBe(502);
        expect(answer.headers['content-type']).toBe('application/problem+json');
        expect(JSON.parse(answer.body)).toMatchObject({ status: 502, title: 'Bad gateway' });
        // The page itself is still served (its script asks again), with a 503 where it depends on the API.
        for (const path of ['/articles/x', '/rubrics/x', '/tags/x']) {
          const page = await send(url, path);
          expect(page.status, path).toBe(503);
          expect(page.headers['retry-after'], path).toBe('30');
          expect(page.body, path).toBe(indexHtml);
        }
        expect((await send(url, '/')).status).toBe(200);
      } finally {
        await close(orphan);
      }
    });
  });
});
