import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReaderServer } from '../../examples/reader/server/serve.ts';
import { demoArticles } from '../../src/demo/demo-content.ts';
import { loadDemoContent } from '../../src/demo/load-demo.ts';
import { createLiveArticle, paragraph, postEntry } from '../live/live-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

// Debian's chromium, driven by playwright-core: a browser download does not work offline. .ci/run
// installs it; on a developer machine without it these tests are skipped (in CI they fail instead).
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
const root = new URL('../../', import.meta.url).pathname;
const screenshots = join(root, 'docs/screenshots');

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
const close = (server: Server | undefined) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

interface DemoArticle {
  slug: string;
  title: string;
  seoTitle: string | null;
  keyPoints: string[];
  rubric: { name: string; slug: string };
  cover: { credit: string | null; renditions: { width: number; format: string; aspectRatio: string }[] } | null;
  narration: { url: string } | null;
  jsonLd: { headline: string };
  lead: string;
  publishedAt: string;
  authors: { displayName: string }[];
  tags: { name: string }[];
  body: { type: string; text?: string; attribution?: string }[];
}

describe.skipIf(!hasChromium && !process.env.CI)("the reader's page in a real browser", () => {
  let t: TestApp;
  let work: string;
  let apiServer: Server | undefined;
  let readerServer: Server | undefined;
  let apiUrl: string;
  let readerUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let article: DemoArticle;
  const browserErrors: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cms-reader-'));
    // Fewer renditions than the default keep the demo's load short; the page uses what there is.
    t = await createTestApp('sqlite', {
      MEDIA_DIR: join(work, 'media'),
      MEDIA_RENDITION_WIDTHS: '320,640,1024',
      MEDIA_ASPECT_RATIOS: '16:9',
      // The demo's narrations are made by the builtin voice after it loads (seconds): the "listen" test plays one.
      NARRATION_WORKER: 'on',
      NARRATION_POLL_INTERVAL_MS: '50',
    });
    await loadDemoContent(t.container);
    apiServer = createServer(t.container.app);
    apiUrl = await listen(apiServer);

    // The page as `npm run demo` serves it: built by Vite, in front of the API.
    const distDir = join(work, 'dist');
    await build({ root: join(root, 'examples/reader'), logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
    readerServer = createReaderServer({ distDir, apiUrl });
    readerUrl = await listen(readerServer);

    browser = await chromium.launch({
      executablePath: chromiumPath,
      // No sandbox as root; no background networking on a machine with no internet.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--autoplay-policy=no-user-gesture-required',
      ],
    });

    // The demo article the page tests click through to: it has a cover photo, key points and narration (once made).
    const list = (await t.http().get('/v1/articles?limit=50&fields=slug')).body as { items: { slug: string }[] };
    await vi.waitFor(
      async () => {
        const articles = await Promise.all(
          list.items.map(async ({ slug }) => (await t.http().get(`/v1/articles/${slug}`)).body as DemoArticle),
        );
        // Every narration made, so that the article picked is the same whichever the voice finished first.
        const narrated = demoArticles.filter((a) => a.isNarrated && a.publishedHoursAgo !== null).length;
        expect(articles.filter((a) => a.narration).length).toBe(narrated);
        article = articles.find((a) => a.narration && a.cover && a.keyPoints.length >= 2)!;
        expect(article).toBeDefined();
      },
      { timeout: 120_000, interval: 500 },
    );
  }, 240_000);

  // A fresh browser profile per test: nothing (the highlight setting in localStorage) carries over.
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    page = await context.newPage();
    page.on('pageerror', (error) => browserErrors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && browserErrors.push(`${message.text()} (${message.location().url})`));
  });
  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await close(readerServer);
    await close(apiServer);
    await t?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const ready = () => page.waitForSelector('body[data-state="ready"]');

  it('the feed lists the published items only, pinned and live items marked', async () => {
    await page.goto(`${readerUrl}/`);
    await ready();
    const shown = await page.locator('[data-testid="feed"] .headline').allTextContents();
    const feed = (await t.http().get('/v1/feed?limit=30')).body as {
      items: { headline: string; isPinned: boolean; kind: string; publishedAt: string; rubric: { name: string } | null }[];
    };
    expect(shown).toEqual(feed.items.map((item) => item.headline));
    // Each headline with its time and rubric label, as the API gave them.
    const rows = await page.locator('[data-testid="feed"] .feed-item').evaluateAll((items) =>
      items.map((item) => ({
        time: item.querySelector('time')?.getAttribute('datetime'),
        rubric: item.querySelector('.rubric-label')?.textContent ?? null,
      })),
    );
    expect(rows).toEqual(feed.items.map((item) => ({ time: item.publishedAt, rubric: item.rubric?.name ?? null })));

    const unpublished = await t.container.db.prisma.article.findMany({ where: { status: { not: 'published' } }, select: { title: true } });
    expect(unpublished.length).toBeGreaterThan(0);
    const text = await page.locator('main').textContent();
    for (const draft of unpublished) expect(text).not.toContain(draft.title);

    expect(await page.locator('.feed-item[data-pinned="true"] .badge-pinned').count()).toBe(feed.items.filter((i) => i.isPinned).length);
    expect(await page.locator('.feed-item[data-kind="live"] .badge-live').count()).toBe(feed.items.filter((i) => i.kind === 'live').length);
    expect(feed.items.some((i) => i.kind === 'live')).toBe(true);
    // A paid link says so to search engines; other links out are plain.
    expect(feed.items.some((i) => i.kind === 'promo')).toBe(true);
    expect(await page.locator('.feed-item[data-kind="promo"] .headline').getAttribute('rel')).toBe('sponsored noopener');
    expect(await page.locator('.feed-item[data-kind="link"] .headline').first().getAttribute('rel')).toBe('noopener');
    // The first load leaves the focus where the browser put it.
    expect(await page.evaluate('document.activeElement === document.body')).toBe(true);
    await page.screenshot({ path: join(screenshots, 'feed.png'), animations: 'disabled' });
  });

  it('clicking a headline opens the article, with its SEO head and JSON-LD', async () => {
    await page.goto(`${readerUrl}/`);
    await ready();
    await page.locator('[data-testid="feed"] .headline', { hasText: article.title }).click();
    await page.waitForURL(`${readerUrl}/articles/${article.slug}`);
    await ready();
    expect(await page.locator('article h1').textContent()).toBe(article.title);
    // A screen reader starts on the new page's heading, not at <body>; <main> is no longer busy.
    expect(await page.evaluate('document.activeElement?.matches("article h1")')).toBe(true);
    expect(await page.locator('main').getAttribute('aria-busy')).toBeNull();
    expect(await page.title()).toContain(article.seoTitle ?? article.title);
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toBeTruthy();
    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}') as DemoArticle['jsonLd'];
    expect(jsonLd).toEqual(article.jsonLd);
  });

  it("a slow answer for a page the reader has left moves no address (a renamed article's)", async () => {
    await page.goto(`${readerUrl}/`);
    await ready();
    // The article under a former slug: the API answers it at its new one, here only once let go.
    const renamed = (await t.http().get(`/v1/articles/${article.slug}?include=rubric,authors,tags,cover,related`)).body as unknown;
    let asked!: () => void;
    const wasAsked = new Promise<void>((resolve) => (asked = resolve));
    let letGo!: () => void;
    const released = new Promise<void>((resolve) => (letGo = resolve));
    await page.route(
      (url) => url.pathname === '/v1/articles/former-slug',
      async (route) => {
        asked();
        await released;
        await route.fulfill({ json: renamed });
      },
    );
    // In-page navigations, as the back and forward buttons make them.
    const go = (path: string) => page.evaluate(`history.pushState(null, '', '${path}'); dispatchEvent(new PopStateEvent('popstate'))`);
    await go('/articles/former-slug');
    await wasAsked;
    await go('/search');
    await ready();
    letGo();
    // The late answer has arrived and been dropped.
    await page.waitForTimeout(500);
    expect(page.url()).toBe(`${readerUrl}/search`);
    expect(await page.locator('main h1').textContent()).toBe('Поиск');
  });

  it('"show more" appends the next page and, gone with the last one, leaves the focus on the first item it brought', async () => {
    // The demo's feed fits one page: its first is made to promise another (two of its items again).
    await page.route(
      (url) => url.pathname === '/v1/feed',
      async (route) => {
        const url = new URL(route.request().url());
        const more = url.searchParams.has('cursor');
        url.searchParams.delete('cursor');
        const feed = (await (await route.fetch({ url: url.href })).json()) as { items: unknown[]; nextCursor: string | null };
        await route.fulfill({ json: more ? { items: feed.items.slice(0, 2), nextCursor: null } : { ...feed, nextCursor: 'next' } });
      },
    );
    await page.goto(`${readerUrl}/`);
    await ready();
    const items = page.locator('[data-testid="feed"] .feed-item');
    const first = await items.count();
    await page.locator('button.more').click();
    await expect.poll(() => items.count()).toBe(first + 2);
    expect(await page.locator('button.more').count()).toBe(0);
    expect(await page.evaluate(`document.activeElement === document.querySelectorAll('[data-testid="feed"] .feed-item')[${first}]`)).toBe(
      true,
    );
  });

  it("the article's page arrives with its head already written, for crawlers and previews that run no scripts", async () => {
    const html = await (await fetch(`${readerUrl}/articles/${article.slug}`)).text();
    expect(html).toContain('<meta property="og:type" content="article" />');
    const jsonLd = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(jsonLd ?? 'null')).toEqual(article.jsonLd);
    expect((await fetch(`${readerUrl}/articles/no-such-article`)).status).toBe(404);
    // In the browser the page keeps one head: the script takes over the one the server wrote.
    await page.goto(`${readerUrl}/articles/${article.slug}`);
    await ready();
    expect(await page.locator('script[type="application/ld+json"]').count()).toBe(1);
    expect(await page.locator('meta[property="og:title"]').count()).toBe(1);
    expect(await page.locator('title').count()).toBe(1);
  });

  it('the photo is responsive (srcset from the renditions) and shows its credit', async () => {
    await page.goto(`${readerUrl}/articles/${article.slug}`);
    await ready();
    const cover = page.locator('article figure.photo').first();
    expect(await cover.locator('[data-testid="photo-credit"]').textContent()).toContain(article.cover!.credit!);
    // Every width of every format, modern formats as <source>s, the fallback on the <img>.
    const widths = new Set(article.cover!.renditions.map((r) => r.width));
    expect(widths.size).toBeGreaterThan(1);
    for (const [selector, format] of [
      ['source[type="image/avif"]', 'avif'],
      ['source[type="image/webp"]', 'webp'],
      ['img', 'jpeg'],
    ] as const) {
      const srcset = (await cover.locator(selector).getAttribute('srcset')) ?? '';
      const listed = srcset.split(',').map((entry) => Number(/ (\d+)w$/.exec(entry.trim())?.[1]));
      expect(listed.sort((a, b) => a - b)).toEqual(
        article
          .cover!.renditions.filter((r) => r.format === format && r.aspectRatio === 'original')
          .map((r) => r.width)
          .sort((a, b) => a - b),
      );
    }
    // The browser picked a rendition and loaded it.
    await expect
      .poll(() =>
        cover.locator('img').evaluate((img) => {
          const image = img as unknown as { complete: boolean; naturalWidth: number };
          return image.complete && image.naturalWidth > 0;
        }),
      )
      .toBe(true);
  });

  it('the article page shows rubric, title, lead, date, authors, the body with its quotes, and tags', async () => {
    await page.goto(`${readerUrl}/articles/${article.slug}`);
    await ready();
    const shown = page.getByTestId('article');
    expect(await shown.locator('.rubric-label').first().textContent()).toBe(article.rubric.name);
    expect(await shown.locator('.article-header .lead').textContent()).toBe(article.lead);
    expect(await shown.locator('.article-meta time').getAttribute('datetime')).toBe(article.publishedAt);
    expect(await shown.locator('.byline').textContent()).toBe(article.authors.map((a) => a.displayName).join(', '));
    const quotes = article.body.filter((b) => b.type === 'quote');
    expect(quotes.length).toBeGreaterThan(0);
    expect(await shown.locator('blockquote > p').allTextContents()).toEqual(quotes.map((q) => q.text));
    expect(await shown.locator('blockquote footer').allTextContents()).toEqual(quotes.map((q) => `— ${q.attribution}`));
    expect(await shown.locator('.tags a').allTextContents()).toEqual(article.tags.map((tag) => tag.name));
  });

  it('the highlight toggle marks exactly the key passages, on and off', async () => {
    await page.goto(`${readerUrl}/articles/${article.slug}`);
    await ready();
    const marked = () => page.locator('article.highlights-on .key-point').allTextContents();
    expect(await marked()).toEqual([]);
    await page.getByTestId('highlight-toggle').click();
    expect((await marked()).sort()).toEqual([...article.keyPoints].sort());
    // Marked means seen: the passages get a background (after the style's short transition).
    const background = () =>
      page
        .locator('.key-point')
        .first()
        .evaluate(
          (el) =>
            (globalThis as unknown as { getComputedStyle: (e: unknown) => { backgroundColor: string } }).getComputedStyle(el)
              .backgroundColor,
        );
    await expect.poll(background).toBe('rgb(255, 230, 128)');
    // The whole page in the picture: the lazy photos below the fold load first.
    await page.evaluate(() => {
      for (const img of (
        globalThis as unknown as { document: { querySelectorAll: (s: string) => { loading: string }[] } }
      ).document.querySelectorAll('img[loading="lazy"]'))
        img.loading = 'eager';
    });
    await expect
      .poll(() => page.locator('img').evaluateAll((imgs) => imgs.every((img) => (img as unknown as { complete: boolean }).complete)))
      .toBe(true);
    await page.screenshot({ path: join(screenshots, 'article-highlights.png'), fullPage: true, animations: 'disabled' });
    await page.getByTestId('highlight-toggle').click();
    expect(await marked()).toEqual([]);
    // Switched on, it stays on for the next article the reader opens.
    await page.getByTestId('highlight-toggle').click();
    await page.reload();
    await ready();
    expect((await marked()).length).toBe(article.keyPoints.length);
  });

  it('"listen to the text" plays the narration', async () => {
    await page.goto(`${readerUrl}/articles/${article.slug}`);
    await ready();
    await page.getByTestId('listen').click();
    await expect
      .poll(() => page.getByTestId('narration').evaluate((audio) => (audio as unknown as { currentTime: number }).currentTime), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('listen').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('listen').click();
    expect(await page.getByTestId('narration').evaluate((audio) => (audio as unknown as { paused: boolean }).paused)).toBe(true);
  });

  it('the rubric label opens the rubric page with its articles', async () => {
    await page.goto(`${readerUrl}/articles/${article.slug}`);
    await ready();
    await page.locator('article .rubric-label').click();
    await page.waitForURL(`${readerUrl}/rubrics/${article.rubric.slug}`);
    await ready();
    expect(await page.locator('main h1').textContent()).toBe(article.rubric.name);
    expect(await page.locator('.cards .card h3').allTextContents()).toContain(article.title);
  });

  it('a tag opens the articles with that tag', async () => {
    await page.goto(`${readerUrl}/articles/${article.slug}`);
    await ready();
    const tag = page.locator('article .tags a').first();
    const name = await tag.textContent();
    await tag.click();
    await page.waitForURL(/\/tags\//);
    await ready();
    expect(await page.locator('main h1').textContent()).toBe(name);
    expect(await page.locator('.cards .card h3').allTextContents()).toContain(article.title);
  });

  it('search finds an article by another form of a word of its title', async () => {
    await page.goto(`${readerUrl}/`);
    await ready();
    // The title says "электробус"; the reader asks for "электробусом".
    expect(article.title).toContain('электробус ');
    await page.locator('#site-search input[name="q"]').fill('электробусом');
    await page.locator('#site-search button').click();
    await page.waitForURL(/\/search\?q=/);
    await ready();
    expect(await page.locator('[data-testid="search-results"] .card h3').allTextContents()).toContain(article.title);
    expect(await page.locator('[data-testid="search-results"] mark').count()).toBeGreaterThan(0);
  });

  it('GET /docs renders the API reference with its operations', async () => {
    await page.goto(`${apiUrl}/docs`);
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    const operations = await page.locator('.opblock').count();
    expect(operations).toBeGreaterThan(50);
    await page.screenshot({ path: join(screenshots, 'docs.png'), animations: 'disabled' });

    // "Try it out" calls the server the reference is served from.
    const rubrics = page
      .locator('.opblock', { has: page.locator('.opblock-summary-path', { hasText: /^\/v1\/rubrics$/ }) })
      .filter({ has: page.locator('.opblock-summary-method', { hasText: 'GET' }) })
      .first();
    await rubrics.locator('.opblock-summary').click();
    await rubrics.getByRole('button', { name: 'Try it out' }).click();
    await rubrics.getByRole('button', { name: 'Execute' }).click();
    const live = rubrics.locator('.live-responses-table');
    await expect.poll(() => live.locator('tbody .response-col_status').first().textContent(), { timeout: 10_000 }).toContain('200');
    expect(await live.locator('tbody .response-col_description').first().textContent()).toContain('"slug"');
  }, 90_000); // Swagger UI renders some 100 operations: 16 s on an idle 2-core machine

  it('a live blog shows its key events and entries, and new, edited and deleted ones and its end arrive without a reload', async () => {
    const editor = await t.signIn('editor');
    const live = await createLiveArticle(t, editor, { title: 'Городской марафон: прямой эфир' });
    const start = await postEntry(t, live.id, editor.headers, {
      title: 'Старт забега',
      body: [paragraph('Бегуны вышли на старт у центрального стадиона.')],
      isKeyEvent: true,
    }).expect(201);
    await page.goto(`${readerUrl}/articles/${live.slug}`);
    await ready();
    await page.locator('[data-testid="live-label"]').waitFor();
    expect(await page.locator('[data-testid="live-key-events"] a').getAttribute('href')).toBe(`#entry-${start.body.id}`);
    expect(await page.locator('[data-testid="live-entry"]').count()).toBe(1);
    // The page's stream is open before anything is posted (the first connection replays nothing).
    await expect.poll(() => t.container.stream.stats().clients, { timeout: 5000 }).toBeGreaterThan(0);

    const posted = await postEntry(t, live.id, editor.headers, { body: [paragraph('Лидер прошёл отметку в десять километров.')] }).expect(
      201,
    );
    const entry = page.locator(`#entry-${posted.body.id}`);
    await entry.waitFor({ timeout: 2000 });
    expect(await entry.textContent()).toContain('Лидер прошёл отметку в десять километров.');

    await t
      .http()
      .patch(`/v1/admin/articles/${live.id}/live-entries/${posted.body.id}`)
      .set(editor.headers)
      .set('If-Match', '"1"')
      .send({ body: [paragraph('Лидер прошёл отметку в пятнадцать километров.')] })
      .expect(200);
    await page.locator(`#entry-${posted.body.id}`, { hasText: 'пятнадцать километров' }).waitFor({ timeout: 2000 });

    await t
      .http()
      .delete(`/v1/admin/articles/${live.id}/live-entries/${posted.body.id}`)
      .set(editor.headers)
      .set('If-Match', '"2"')
      .expect(204);
    await entry.waitFor({ state: 'detached', timeout: 2000 });

    const read = await t.http().get(`/v1/admin/articles/${live.id}`).set(editor.headers).expect(200);
    await t.http().post(`/v1/admin/articles/${live.id}/end-coverage`).set(editor.headers).set('If-Match', read.headers.etag!).expect(200);
    await page.locator('[data-testid="live-label"]').waitFor({ state: 'detached', timeout: 2000 });
  });

  it("a live blog's feed item leads to it, labelled «Прямой эфир» while its coverage runs", async () => {
    const editor = await t.signIn('editor');
    const live = await createLiveArticle(t, editor, { title: 'Фестиваль огней: онлайн' });
    const item = () => page.locator('[data-testid="feed"] .feed-item', { hasText: 'Фестиваль огней: онлайн' });
    await page.goto(`${readerUrl}/`);
    await ready();
    expect(await item().locator('.headline').getAttribute('href')).toBe(`/articles/${live.slug}`);
    expect(await item().locator('.badge-live').textContent()).toBe('Прямой эфир');

    const read = await t.http().get(`/v1/admin/articles/${live.id}`).set(editor.headers).expect(200);
    await t.http().post(`/v1/admin/articles/${live.id}/end-coverage`).set(editor.headers).set('If-Match', read.headers.etag!).expect(200);
    // A fresh profile: the feed answer the browser holds may be kept for its max-age.
    const later = await browser.newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    try {
      const again = await later.newPage();
      await again.goto(`${readerUrl}/`);
      await again.waitForSelector('body[data-state="ready"]');
      const ended = again.locator('[data-testid="feed"] .feed-item', { hasText: 'Фестиваль огней: онлайн' });
      expect(await ended.locator('.headline').getAttribute('href')).toBe(`/articles/${live.slug}`);
      expect(await ended.locator('.badge-live').count()).toBe(0);
    } finally {
      await later.close();
    }
  });

  it('the page logged no errors', () => {
    expect(browserErrors).toEqual([]);
  });
});
