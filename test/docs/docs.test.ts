import { readFileSync } from 'node:fs';
import helmet from 'helmet';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.ts';

const committed = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;

/** A Content-Security-Policy header as directive → sources. */
function parseCsp(header: string | undefined): Map<string, string[]> {
  expect(header).toBeTruthy();
  return new Map(
    header!
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/);
        return [name!, sources];
      }),
  );
}

const helmetDefaults = new Map(
  Object.entries(helmet.contentSecurityPolicy.getDefaultDirectives()).map(([name, sources]) => [name, [...sources].map(String)]),
);

/** The script and stylesheet/icon URLs a page loads. */
function loadedUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
}

describe('the API reference at /docs', () => {
  const { t } = useTestApp('sqlite');

  it('when /docs is opened, then it answers a Swagger UI page that loads only files of this server', async () => {
    const res = await t.http().get('/docs').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    const urls = loadedUrls(res.text);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls) expect(url, url).toMatch(/^\/(?!\/)/);
    expect(res.text).not.toMatch(/https?:\/\//);
    // Every script is a file: the CSP refuses inline ones.
    expect([...res.text.matchAll(/<script\b([^>]*)>/g)].every((m) => /\bsrc="/.test(m[1]!))).toBe(true);
    expect(res.text).toContain('data-spec-url="/openapi.json"');
    expect(urls.some((url) => url.startsWith('/docs/assets/swagger-ui-bundle.js'))).toBe(true);
    expect(urls.some((url) => url.startsWith('/docs/assets/swagger-initializer.js'))).toBe(true);
  });

  it('when the page loads its files, then each answers 200 with its content type, cached for good at its versioned URL', async () => {
    const page = await t.http().get('/docs').expect(200);
    const expectedType: Record<string, RegExp> = {
      js: /^(text|application)\/javascript; charset=utf-8$/i,
      css: /^text\/css; charset=utf-8$/i,
      png: /^image\/png$/,
    };
    for (const url of loadedUrls(page.text)) {
      const res = await t.http().get(url).buffer(true).expect(200);
      const extension = new URL(url, 'http://x').pathname.split('.').pop()!;
      expect(res.headers['content-type'], url).toMatch(expectedType[extension]!);
      expect(res.headers['cache-control'], url).toBe('public, max-age=31536000, immutable');
      expect(Number(res.headers['content-length']), url).toBeGreaterThan(0);
    }
  });

  it('when an asset is asked for without the current version, then it is revalidated rather than kept', async () => {
    const res = await t.http().get('/docs/assets/swagger-ui.css').expect(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toBeTruthy();
    await t.http().get('/docs/assets/swagger-ui.css').set('If-None-Match', res.headers.etag!).expect(304);
  });

  it('when a file under /docs/assets is not one the page uses, then 404 as problem+json', async () => {
    for (const path of [
      '/docs/assets/nope.js',
      '/docs/assets/package.json',
      '/docs/assets/index.html',
      '/docs/assets/swagger-initializer.js/x',
      '/docs/assets/',
      '/docs/assets/%2e%2e%2fpackage.json',
      '/docs/assets/..%2f..%2fpackage.json',
    ]) {
      const res = await t.http().get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type'], path).toMatch(/^application\/problem\+json/);
      expect(res.body.code, path).toBe('not_found');
    }
  });

  it("when /docs is served, then its CSP is helmet's default with only what Swagger UI needs, and the rest of the app keeps the default", async () => {
    const docs = parseCsp((await t.http().get('/docs').expect(200)).headers['content-security-policy']);
    expect(docs.get('script-src')).toEqual(["'self'"]);
    expect(docs.get('script-src-attr')).toEqual(["'none'"]);
    expect(docs.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(docs.has('upgrade-insecure-requests')).toBe(false);
    for (const [name, sources] of helmetDefaults) {
      if (name === 'img-src' || name === 'upgrade-insecure-requests') continue;
      expect(docs.get(name), name).toEqual(sources);
    }
    expect([...docs.keys()].sort()).toEqual([...helmetDefaults.keys()].filter((name) => name !== 'upgrade-insecure-requests').sort());

    for (const path of ['/health', '/openapi.json', '/v1/rubrics', '/docsx', '/nope']) {
      const csp = parseCsp((await t.http().get(path)).headers['content-security-policy']);
      expect(csp, path).toEqual(helmetDefaults);
    }
  });

  it('when /openapi.json is read, then it is the committed openapi.yaml, with a relative server for "Try it out"', async () => {
    const res = await t.http().get('/openapi.json').expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toEqual(committed);
    expect(res.body.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/docs', '/openapi.json']));
    await t.http().get('/openapi.json').set('If-None-Match', res.headers.etag!).expect(304);
  });
});
