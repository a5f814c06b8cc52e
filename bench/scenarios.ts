import type autocannon from 'autocannon';
import sharp from 'sharp';
import type { RunningServer } from './servers.ts';

/** A seeded CMS database; scenarios name the one they need and each is started once per run. */
export interface Dataset {
  /** Published articles. */
  articles: number;
}

export type ServerTarget = { server: 'baseline' } | { server: 'cms'; dataset: string };

export interface PreparedLoad {
  requests: autocannon.Request[];
  /** Shown in the report's notes column. */
  note?: string;
}

export interface Scenario {
  id: string;
  title: string;
  target: ServerTarget;
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
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
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
async function uploadOnce(server: RunningServer, data: Buffer): Promise<{ media: { renditions?: Array<{ url: string; width: number; mimeType: string }> } } | { skip: string }> {
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

export const datasets: Record<string, Dataset> = {
  // The read-API work can add e.g. `'ten-thousand': { articles: 10_000 }` (with a bulk seeder) and scenarios using it.
  'few-hundred': { articles: 300 },
};

export const scenarios: Scenario[] = [
  {
    id: 'baseline',
    title: 'Baseline: bare express, GET /hello',
    target: { server: 'baseline' },
    prepare: async () => ({ requests: [{ method: 'GET', path: '/hello' }] }),
  },
  {
    id: 'article-by-slug',
    title: 'Public article by slug',
    target: { server: 'cms', dataset: 'few-hundred' },
    prepare: async (server) => ({
      requests: [rotatingGet(server.seeded!.articleSlugs.map((slug) => `/v1/articles/${slug}`))],
      note: `GET /v1/articles/{slug}, cycling through ${server.seeded!.articleSlugs.length} published articles`,
    }),
  },
  {
    id: 'article-list',
    title: 'Public article list, first page',
    target: { server: 'cms', dataset: 'few-hundred' },
    prepare: async () => ({ requests: [{ method: 'GET', path: '/v1/articles' }], note: 'GET /v1/articles (default page size)' }),
  },
  {
    id: 'feed',
    title: 'Public feed',
    target: { server: 'cms', dataset: 'few-hundred' },
    prepare: async () => ({ requests: [{ method: 'GET', path: '/v1/feed' }], note: 'GET /v1/feed (default page size)' }),
  },
  {
    id: 'media-upload',
    title: 'Media upload (640×480 JPEG)',
    target: { server: 'cms', dataset: 'few-hundred' },
    // An upload takes about a second of CPU (AVIF, WebP and JPEG renditions, three crops each): ten at once
    // for 5 s would finish none, so fewer connections and a longer run give a figure.
    load: { connections: 2, minDurationSeconds: 15 },
    prepare: async (server) => {
      const probe = await uploadOnce(server, await nextUniqueJpeg());
      if ('skip' in probe) return probe;
      const headers = { Authorization: `Bearer ${server.seeded!.adminApiKey}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` };
      const file = await benchJpeg();
      return {
        requests: [
          {
            method: 'POST',
            path: uploadPath,
            headers,
            // A different file each time (a numbered JPEG comment), so no upload is answered from the dedup by hash.
            setupRequest: (request) => ({ ...request, body: multipartFile(withComment(file, `bench upload ${process.pid}-${uploadNumber++}`)) }),
          },
        ],
        note: `multipart POST with an admin API key, ${Math.round(file.length / 1024)} kB, a new file each time (no dedup); ${probe.media.renditions?.length ?? 0} renditions made within the request; 2 connections`,
      };
    },
  },
  {
    id: 'rendition',
    title: 'Rendition serving',
    target: { server: 'cms', dataset: 'few-hundred' },
    prepare: async (server) => {
      const uploaded = await uploadOnce(server, await nextUniqueJpeg());
      if ('skip' in uploaded) return uploaded;
      const webp = (uploaded.media.renditions ?? []).filter((r) => r.mimeType === 'image/webp').sort((a, b) => a.width - b.width);
      const rendition = webp.find((r) => r.width >= 640) ?? webp.at(-1) ?? uploaded.media.renditions?.[0];
      if (!rendition) return { skip: 'the uploaded image has no renditions' };
      const path = new URL(rendition.url, server.url).pathname;
      return { requests: [{ method: 'GET', path }], note: `GET ${path.replace(/[0-9a-f]{64}/, '<sha256>')} (${rendition.width} px ${rendition.mimeType}), from local storage` };
    },
  },
];
