import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import sharp from 'sharp';
import type { RunningServer } from './servers.ts';

/** A seeded CMS database; scenarios name the one they need and each is started once per run. */
export interface Dataset {
  /** Published articles. */
  articles: number;
  /** Server configuration on top of the production defaults. */
  env?: Record<string, string>;
  /** What sets the server apart, for the report. */
  description?: string;
}

/** Bare express (once per run), the stack-limit server or a CMS (once per database each). */
export type ServerTarget = { server: 'baseline' } | { server: 'limit' } | { server: 'cms'; dataset: string };

/** What a scenario is measured against besides bare express: a scenario of the same database. */
export interface Reference {
  scenario: string;
  /** Requests per second as a share of the reference's, or p99 as a multiple of the reference's. */
  by: 'throughput' | 'p99';
  /** How the report names the reference. */
  label: string;
}

export interface PreparedLoad {
  requests: autocannon.Request[];
  /** Shown in the report's notes column. */
  note?: string;
  /**
   * A load sent at the same time as the measured one and not measured itself (a flood the measured requests
   * must get through). The measured requests are then run alone first too, for their idle figures.
   */
  background?: { requests: autocannon.Request[]; connections: number; what: string };
}

export interface Scenario {
  id: string;
  title: string;
  target: ServerTarget;
  reference?: Reference;
  /** Overrides of the run's connections and duration, for scenarios far slower than the rest. */
  load?: { connections?: number; minDurationSeconds?: number };
  /** Makes what the scenario needs (an upload, a key) and returns its requests, or why it cannot run. */
  prepare: (server: RunningServer) => Promise<PreparedLoad | { skip: string }>;
}

/** A request cycling through paths, one per request. */
function rotatingGet(paths: string[], headers: Record<string, string> = {}): autocannon.Request {
  let next = 0;
  return {
    method: 'GET',
    path: paths[0]!,
    headers,
    setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }),
  };
}

// A photo-like pattern, 640×480 (about 10 kB): every upload makes renditions at 320 and 640 px.
async function generatedJpeg(): Promise<Buffer> {
  const width = 640;
  const height = 480;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = ((x ^ y) & 0xff) / 2;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** The JPEG with a comment segment right after its start marker: a new file (new hash) for each number. */
function withComment(jpeg: Buffer, text: string): Buffer {
  const comment = Buffer.from(text, 'latin1');
  const header = Buffer.from([0xff, 0xfe, (comment.length + 2) >> 8, (comment.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), header, comment, jpeg.subarray(2)]);
}

const boundary = 'bench-boundary-7d9f0c';

function multipartFile(data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

const uploadPath = '/v1/admin/media/upload';

/** Uploads one file over HTTP; a skip reason when the route is missing or refuses it. */
async function uploadOnce(
  server: RunningServer,
  data: Buffer,
): Promise<{ media: { renditions?: Array<{ url: string; width: number; mimeType: string }> } } | { skip: string }> {
  const response = await fetch(`${server.url}${uploadPath}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.seeded!.adminApiKey}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    body: multipartFile(data),
  });
  if (response.status === 404) return { skip: `POST ${uploadPath} is not there (404)` };
  if (!response.ok) return { skip: `POST ${uploadPath} answered ${response.status}: ${(await response.text()).slice(0, 200)}` };
  return { media: (await response.json()) as { renditions?: Array<{ url: string; width: number; mimeType: string }> } };
}

let jpeg: Promise<Buffer> | undefined;
const benchJpeg = () => (jpeg ??= generatedJpeg());
let uploadNumber = 0;
const nextUniqueJpeg = async () => withComment(await benchJpeg(), `bench upload ${process.pid}-${uploadNumber++}`);

// The same 10,000 articles (seeded once, then copied), served with the public response cache and without it.
const articles = 10_000;
export const datasets: Record<string, Dataset> = {
  'ten-thousand': { articles },
  'ten-thousand-uncached': {
    articles,
    env: { PUBLIC_CACHE: 'off' },
    description: 'served with the in-process public cache off (PUBLIC_CACHE=off)',
  },
  // The content does not matter to a sign-in flood: a small seed starts fast.
  'sign-in-flood': {
    articles: 100,
    env: { PUBLIC_CACHE: 'off', RATE_LIMIT_LOGIN: 'off', RATE_LIMIT_LOGIN_PER_ADDRESS: 'off' },
    description: 'sign-in rate limits off (RATE_LIMIT_LOGIN=off, RATE_LIMIT_LOGIN_PER_ADDRESS=off), so that every wrong password is hashed',
  },
};

// A front page's worth of recent articles: where the traffic of a news site goes.
const hotSet = (slugs: string[]) => slugs.slice(-100);

const searchQueries = [
  'бюджет',
  'бюджета дороги',
  'ремонте',
  'матчи',
  'выставку фотографий',
  'похолодание',
  'горячей воды',
  'школам',
  'турнирной таблице',
  'водителей',
];

/** What a front end asks for: the newest articles, the rubric pages, the feed and searches. */
function mixedReads(seeded: { articleSlugs: string[]; rubricSlugs: string[] }): string[] {
  return [
    ...hotSet(seeded.articleSlugs)
      .slice(-mixedArticles)
      .map((slug) => `/v1/articles/${slug}`),
    ...seeded.rubricSlugs.map((slug) => `/v1/articles?rubric=${slug}&limit=20`),
    ...Array(20).fill('/v1/feed'),
    ...searchQueries.map((q) => `/v1/search?q=${encodeURIComponent(q)}`),
  ];
}

const mixedArticles = 60;

/**
 * The mixed reads in a fixed order; with `writeEvery`, every n-th request instead saves one of the articles read
 * (their rubrics take turns, so the saves spread over all of them). The reads keep their order whatever the writes.
 */
function mixedLoad(
  seeded: { articleSlugs: string[]; rubricSlugs: string[]; adminApiKey: string },
  articleIds: string[],
  writeEvery?: number,
) {
  const reads = mixedReads(seeded);
  let request = 0;
  let read = 0;
  let write = 0;
  return {
    method: 'GET',
    path: reads[0]!,
    setupRequest: (r) => {
      if (!writeEvery || ++request % writeEvery !== 0) return { ...r, method: 'GET', path: reads[read++ % reads.length]!, body: undefined };
      const id = articleIds[write++ % articleIds.length]!;
      return {
        ...r,
        method: 'PATCH',
        path: `/v1/admin/articles/${id}`,
        headers: { Authorization: `Bearer ${seeded.adminApiKey}`, 'Content-Type': 'application/json', 'If-Match': '*' },
        body: JSON.stringify({ lead: `Обновлено в ${new Date().toISOString()}` }),
      };
    },
  } satisfies autocannon.Request;
}

/** A mixed scenario on the cached server; with writes, measured against the reads alone. */
function mixedScenario(id: string, writePercent: number): Scenario {
  return {
    id,
    title: writePercent ? `Mixed reads with ${writePercent} % writes, cached` : 'Mixed reads, no writes, cached',
    target: { server: 'cms', dataset: 'ten-thousand' },
    ...(writePercent ? { reference: { scenario: 'mixed-reads', by: 'throughput' as const, label: 'mix without writes' } } : {}),
    prepare: async (server) => {
      const seeded = server.seeded!;
      const ids = writePercent ? await idsOf(server, hotSet(seeded.articleSlugs).slice(-mixedArticles)) : [];
      return {
        requests: [mixedLoad(seeded, ids, writePercent ? 100 / writePercent : undefined)],
        note:
          `${mixedArticles} of the newest articles, the ${seeded.rubricSlugs.length} rubric pages, the feed (20 of each 96 reads) ` +
          `and ${searchQueries.length} searches` +
          (writePercent
            ? `; every ${100 / writePercent}th request saves one of those articles (PATCH of its lead with an API key, rubrics in turn)`
            : '; the reads of the mixes with writes, in the same order'),
      };
    },
  };
}

/** The ids of the hot set, looked up once through the public API. */
async function idsOf(server: RunningServer, slugs: string[]): Promise<string[]> {
  return Promise.all(slugs.map(async (slug) => ((await (await fetch(`${server.url}/v1/articles/${slug}`)).json()) as { id: string }).id));
}

/** The seeded admin's e-mail (bench/seed.ts), with a wrong password: each try costs a full scrypt hash. */
const wrongSignIn: autocannon.Request = {
  method: 'POST',
  path: '/v1/auth/login',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ email: 'bench-admin@bench.example', password: 'not-the-bench-password' }),
};
const floodConnections = 20;

const articleLimit: Reference = { scenario: 'limit-article', by: 'throughput', label: 'article limit' };
const listLimit: Reference = { scenario: 'limit-list', by: 'throughput', label: 'list limit' };
// A search answers a list of hits: its tail latency is compared with the list's.
const searchLimit: Reference = { scenario: 'limit-list', by: 'p99', label: 'list limit' };

export const scenarios: Scenario[] = [
  {
    id: 'baseline',
    title: 'Baseline: bare express, GET /hello',
    target: { server: 'baseline' },
    prepare: async () => ({ requests: [{ method: 'GET', path: '/hello' }] }),
  },
  {
    id: 'limit-article',
    title: 'Stack limit: article by slug, one prepared statement',
    target: { server: 'limit' },
    prepare: async (server) => ({
      requests: [rotatingGet(server.seeded!.articleSlugs.map((slug) => `/v1/articles/${slug}`))],
      note:
        'express 5 and the driver alone (better-sqlite3 or pg): the article with rubric, authors, tags and cover ' +
        'as JSON built by one prepared JOIN, all 10,000 articles in turn',
    }),
  },
  {
    id: 'limit-list',
    title: 'Stack limit: list of 20, one prepared statement',
    target: { server: 'limit' },
    prepare: async (server) => ({
      requests: [rotatingGet(server.seeded!.rubricSlugs.map((slug) => `/v1/articles?rubric=${slug}&limit=20`))],
      note: "a rubric's 20 newest articles with rubric, authors, tags and cover, one prepared statement, 6 rubrics",
    }),
  },
  {
    id: 'article-cached',
    title: 'Article by slug, cached',
    target: { server: 'cms', dataset: 'ten-thousand' },
    reference: articleLimit,
    prepare: async (server) => ({
      requests: [rotatingGet(hotSet(server.seeded!.articleSlugs).map((slug) => `/v1/articles/${slug}`))],
      note: 'GET /v1/articles/{slug}, cycling through the 100 newest of 10,000 articles, from the in-process cache',
    }),
  },
  {
    id: 'article-uncached',
    title: 'Article by slug, uncached',
    target: { server: 'cms', dataset: 'ten-thousand-uncached' },
    reference: articleLimit,
    prepare: async (server) => ({
      requests: [rotatingGet(server.seeded!.articleSlugs.map((slug) => `/v1/articles/${slug}`))],
      note: 'GET /v1/articles/{slug}, cycling through all 10,000 articles, cache off',
    }),
  },
  {
    id: 'rubric-page',
    title: 'Rubric page, cached',
    target: { server: 'cms', dataset: 'ten-thousand' },
    reference: listLimit,
    prepare: async (server) => ({
      requests: [rotatingGet(server.seeded!.rubricSlugs.map((slug) => `/v1/articles?rubric=${slug}&limit=20`))],
      note: 'GET /v1/articles?rubric={slug}&limit=20 (with rubric, authors, tags, cover), 6 rubrics',
    }),
  },
  {
    id: 'rubric-page-uncached',
    title: 'Rubric page, uncached',
    target: { server: 'cms', dataset: 'ten-thousand-uncached' },
    reference: listLimit,
    prepare: async (server) => ({
      requests: [rotatingGet(server.seeded!.rubricSlugs.map((slug) => `/v1/articles?rubric=${slug}&limit=20`))],
      note: 'the same, cache off',
    }),
  },
  {
    id: 'feed',
    title: 'Feed, cached',
    target: { server: 'cms', dataset: 'ten-thousand' },
    reference: listLimit,
    prepare: async () => ({ requests: [{ method: 'GET', path: '/v1/feed' }], note: 'GET /v1/feed (default page size)' }),
  },
  {
    id: 'feed-uncached',
    title: 'Feed, uncached',
    target: { server: 'cms', dataset: 'ten-thousand-uncached' },
    reference: listLimit,
    prepare: async () => ({ requests: [{ method: 'GET', path: '/v1/feed' }], note: 'the same, cache off' }),
  },
  {
    id: 'search',
    title: 'Search, uncached',
    target: { server: 'cms', dataset: 'ten-thousand-uncached' },
    reference: searchLimit,
    prepare: async () => ({
      requests: [rotatingGet(searchQueries.map((q) => `/v1/search?q=${encodeURIComponent(q)}`))],
      note: `GET /v1/search over 10,000 articles, ${searchQueries.length} queries in other word forms than the text's, cache off`,
    }),
  },
  {
    id: 'search-cached',
    title: 'Search, cached',
    target: { server: 'cms', dataset: 'ten-thousand' },
    reference: searchLimit,
    prepare: async () => ({
      requests: [rotatingGet(searchQueries.map((q) => `/v1/search?q=${encodeURIComponent(q)}`))],
      note: 'the same queries with the in-process cache: what repeated popular searches cost',
    }),
  },
  mixedScenario('mixed-reads', 0),
  mixedScenario('mixed-writes-1', 1),
  mixedScenario('mixed-writes-5', 5),
  {
    id: 'media-upload',
    title: 'Media upload (640×480 JPEG)',
    target: { server: 'cms', dataset: 'ten-thousand-uncached' },
    // An upload takes about a second of CPU (AVIF, WebP and JPEG renditions, three crops each): ten at once
    // for 5 s would finish none, so fewer connections and a longer run give a figure.
    load: { connections: 2, minDurationSeconds: 15 },
    prepare: async (server) => {
      const probe = await uploadOnce(server, await nextUniqueJpeg());
      if ('skip' in probe) return probe;
      const headers = {
        Authorization: `Bearer ${server.seeded!.adminApiKey}`,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
      };
      const file = await benchJpeg();
      return {
        requests: [
          {
            method: 'POST',
            path: uploadPath,
            headers,
            // A different file each time (a numbered JPEG comment), so no upload is answered from the dedup by hash.
            setupRequest: (request) => ({
              ...request,
              body: multipartFile(withComment(file, `bench upload ${process.pid}-${uploadNumber++}`)),
            }),
          },
        ],
        note:
          `multipart POST with an admin API key, ${Math.round(file.length / 1024)} kB, a new file each time (no dedup); ` +
          `${probe.media.renditions?.length ?? 0} renditions made within the request; 2 connections`,
      };
    },
  },
  {
    id: 'rendition',
    title: 'Rendition serving',
    target: { server: 'cms', dataset: 'ten-thousand-uncached' },
    prepare: async (server) => {
      const uploaded = await uploadOnce(server, await nextUniqueJpeg());
      if ('skip' in uploaded) return uploaded;
      const webp = (uploaded.media.renditions ?? []).filter((r) => r.mimeType === 'image/webp').sort((a, b) => a.width - b.width);
      const rendition = webp.find((r) => r.width >= 640) ?? webp.at(-1) ?? uploaded.media.renditions?.[0];
      if (!rendition) return { skip: 'the uploaded image has no renditions' };
      const path = new URL(rendition.url, server.url).pathname;
      return {
        requests: [{ method: 'GET', path }],
        note: `GET ${path.replace(/[0-9a-f]{64}/, '<sha256>')} (${rendition.width} px ${rendition.mimeType}), from local storage`,
      };
    },
  },
  {
    id: 'video-range',
    title: 'Video seeking (1 MB ranges of a 256 MB file)',
    target: { server: 'cms', dataset: 'ten-thousand-uncached' },
    prepare: async (server) => {
      if (!server.mediaDir) return { skip: 'the server did not say where its media folder is' };
      // Placed in the store directly: an upload would check and hash 256 MB for nothing the scenario measures.
      const name = `${'b'.repeat(64)}.mp4`;
      const size = videoMegabytes * 1024 * 1024;
      mkdirSync(join(server.mediaDir, 'originals'), { recursive: true });
      const chunk = randomBytes(1024 * 1024);
      writeFileSync(join(server.mediaDir, 'originals', name), Buffer.alloc(0));
      for (let i = 0; i < videoMegabytes; i++) appendFileSync(join(server.mediaDir, 'originals', name), chunk);
      let seek = 0;
      return {
        requests: [
          {
            method: 'GET',
            path: `/v1/media/files/originals/${name}`,
            // A player seeking through the file: each request a different megabyte.
            setupRequest: (request) => {
              const start = ((seek++ * 7919) % videoMegabytes) * 1024 * 1024;
              return { ...request, headers: { ...request.headers, Range: `bytes=${start}-${Math.min(start + 1024 * 1024, size) - 1}` } };
            },
          },
        ],
        note: `GET /v1/media/files/originals/<sha256>.mp4 with Range: 1 MB at a different offset each time (206), from local storage`,
      };
    },
  },
  {
    id: 'login-flood',
    title: 'Media file during a sign-in flood',
    target: { server: 'cms', dataset: 'sign-in-flood' },
    load: { connections: 4 },
    prepare: async (server) => {
      const uploaded = await uploadOnce(server, await nextUniqueJpeg());
      if ('skip' in uploaded) return uploaded;
      const rendition = (uploaded.media.renditions ?? []).find((r) => r.mimeType === 'image/webp') ?? uploaded.media.renditions?.[0];
      if (!rendition) return { skip: 'the uploaded image has no renditions' };
      const path = new URL(rendition.url, server.url).pathname;
      return {
        requests: [{ method: 'GET', path }],
        background: { requests: [wrongSignIn], connections: floodConnections, what: `${floodConnections} connections of wrong passwords` },
        note:
          `GET ${path.replace(/[0-9a-f]{64}/, '<sha256>')} (${rendition.width} px ${rendition.mimeType}) with 4 connections, ` +
          `while ${floodConnections} connections send wrong passwords for a real account (POST /v1/auth/login, 401)`,
      };
    },
  },
];

const videoMegabytes = 256;
