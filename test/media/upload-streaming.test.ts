import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestApp, type TestApp } from '../support/test-app.ts';

const MiB = 1024 * 1024;
// An MP4's first box (ftyp, brand isom): enough for the type to be sniffed as video/mp4.
const ftyp = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

/** A video of `sizeBytes` made while it is sent (one 1 MiB block repeated, a unique start): never held whole. */
function generatedVideo(sizeBytes: number, block: Buffer): { body: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  async function* chunks() {
    const start = Buffer.concat([ftyp, randomBytes(40)]);
    hash.update(start);
    yield start;
    for (let sent = start.length; sent < sizeBytes; sent += block.length) {
      const chunk = block.subarray(0, Math.min(block.length, sizeBytes - sent));
      hash.update(chunk);
      yield chunk;
    }
  }
  return { body: Readable.from(chunks(), { objectMode: false }), sha256: () => hash.digest('hex') };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** Sends a raw upload over a real socket; the request is handed out so a test can hold or cut it. */
function startUpload(port: number, headers: Record<string, string>, contentLength: number, contentType = 'video/mp4') {
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/v1/admin/media/upload?filename=clip.mp4',
    headers: { ...headers, 'Content-Type': contentType, 'Content-Length': String(contentLength) },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
  });
  return { req, answer };
}

function listen(t: TestApp): Promise<{ server: Server; port: number }> {
  const server = createServer(t.container.app);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })));
}

const temporaryFiles = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('cms-upload-'));
const storedFiles = (dir: string) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => name.includes('.'));

// One dialect: what is measured is the process's memory, the same on either database.
describe('uploads are streamed, not held in memory', () => {
  const uploadTemp = join(tmpdir(), `cms-upload-temp-${randomBytes(6).toString('hex')}`);
  const { t, editor } = useTestApp('sqlite', {
    mediaDir: true,
    roles: ['editor'],
    env: { MEDIA_UPLOAD_TEMP_DIR: uploadTemp, MEDIA_MAX_VIDEO_BYTES: String(256 * MiB) },
  });
  let server: Server;
  let port: number;
  beforeAll(async () => {
    mkdirSync(uploadTemp, { recursive: true });
    ({ server, port } = await listen(t));
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    rmSync(uploadTemp, { recursive: true, force: true });
  });

  it('when three 200 MB uploads arrive at once, then the process grows by less than 100 MB and each file is stored whole', async () => {
    const block = randomBytes(MiB);
    const size = 200 * MiB;
    // A first upload, so that what is measured is the uploads, not the first use of the code paths.
    const warmUp = generatedVideo(4 * MiB, block);
    const first = startUpload(port, editor.headers, 4 * MiB);
    await pipeline(warmUp.body, first.req);
    expect((await first.answer).status).toBe(201);

    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      const videos = [0, 1, 2].map(() => generatedVideo(size, block));
      const answers = await Promise.all(
        videos.map(async (video) => {
          const upload = startUpload(port, editor.headers, size);
          await pipeline(video.body, upload.req);
          return upload.answer;
        }),
      );
      peak = Math.max(peak, process.memoryUsage().rss);
      const grewMiB = Math.round((peak - before) / MiB);
      console.info(`three parallel 200 MB uploads: RSS ${Math.round(before / MiB)} MiB → peak ${Math.round(peak / MiB)} MiB (+${grewMiB})`);
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
      expect(grewMiB).toBeLessThan(100);
      for (const [i, answer] of answers.entries()) {
        expect(answer.body).toMatchObject({ kind: 'video', mimeType: 'video/mp4', sizeBytes: size, contentHash: videos[i]!.sha256() });
        const row = await t.container.db.prisma.media.findUniqueOrThrow({ where: { id: answer.body.id as string } });
        expect(statSync(join(t.container.config.mediaDir, row.storageKey!)).size).toBe(size);
      }
      expect(temporaryFiles(uploadTemp)).toEqual([]);
    } finally {
      clearInterval(sampler);
    }
  }, 180_000);
});

describe('uploads in flight, cut off or failing', () => {
  const uploadTemp = join(tmpdir(), `cms-upload-temp-${randomBytes(6).toString('hex')}`);
  const { t, editor } = useTestApp('sqlite', {
    mediaDir: true,
    roles: ['editor'],
    env: { MEDIA_UPLOAD_TEMP_DIR: uploadTemp, MEDIA_MAX_UPLOADS_IN_FLIGHT: '1', MEDIA_RENDITION_WIDTHS: '64', MEDIA_ASPECT_RATIOS: 'none' },
  });
  let server: Server;
  let port: number;
  beforeAll(async () => {
    mkdirSync(uploadTemp, { recursive: true });
    ({ server, port } = await listen(t));
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    rmSync(uploadTemp, { recursive: true, force: true });
  });
  const mediaCount = () => t.container.db.prisma.media.count();
  const uploadPdf = (data: Buffer) =>
    t.http().post('/v1/admin/media/upload').set(editor.headers).set('Content-Type', 'application/pdf').send(data);
  // A PDF whose first megabyte is sent and whose rest is held back until the test says.
  const heldPdf = (totalBytes: number) => {
    const upload = startUpload(port, editor.headers, totalBytes, 'application/pdf');
    upload.req.write(Buffer.concat([pdf, Buffer.alloc(MiB - pdf.length, 0x20)]));
    return upload;
  };

  it('when more uploads arrive than the instance takes at once, then 503 problem+json with Retry-After; nothing is stored', async () => {
    const held = heldPdf(2 * MiB);
    // The first upload is being received: its temporary file exists.
    await vi.waitFor(() => expect(temporaryFiles(uploadTemp)).toHaveLength(1));
    const before = { media: await mediaCount(), files: storedFiles(t.container.config.mediaDir) };
    const busy = await uploadPdf(Buffer.concat([pdf, randomBytes(100)])).expect(503);
    expect(busy.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(busy.headers['retry-after']).toBe('5');
    expect(busy.body).toMatchObject({ status: 503, code: 'too_many_uploads' });
    expect({ media: await mediaCount(), files: storedFiles(t.container.config.mediaDir) }).toEqual(before);

    held.req.end(Buffer.alloc(MiB, 0x20));
    expect((await held.answer).status).toBe(201);
    // The slot is free again.
    await uploadPdf(Buffer.concat([pdf, randomBytes(100)])).expect(201);
    expect(temporaryFiles(uploadTemp)).toEqual([]);
  });

  for (const form of ['raw', 'multipart'] as const) {
    it(`when a ${form} upload is cut off midway, then its temporary file is removed, nothing is stored and its slot is freed`, async () => {
      const before = { media: await mediaCount(), files: storedFiles(t.container.config.mediaDir) };
      let held: ReturnType<typeof startUpload>;
      if (form === 'raw') held = heldPdf(4 * MiB);
      else {
        const boundary = 'cut-off-boundary';
        held = startUpload(port, editor.headers, 4 * MiB, `multipart/form-data; boundary=${boundary}`);
        held.req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.pdf"\r\n`);
        held.req.write('Content-Type: application/pdf\r\n\r\n');
        held.req.write(Buffer.concat([pdf, Buffer.alloc(MiB, 0x20)]));
      }
      held.answer.catch(() => undefined);
      await vi.waitFor(() => expect(temporaryFiles(uploadTemp)).toHaveLength(1));
      held.req.destroy();
      await vi.waitFor(() => expect(temporaryFiles(uploadTemp)).toEqual([]));
      expect({ media: await mediaCount(), files: storedFiles(t.container.config.mediaDir) }).toEqual(before);
      // The server noticed the cut and let go of the upload: the next one is taken (no 503 once it has).
      await vi.waitFor(async () => expect((await uploadPdf(Buffer.concat([pdf, randomBytes(64)]))).status).toBe(201));
    });
  }

  it('when storing fails midway, then the answer is 500 and no stored file, no rendition and no temporary file is left', async () => {
    const image = await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 1, g: 2, b: 3 } } })
      .jpeg()
      .toBuffer();
    // Originals cannot be written (a file stands where their folder goes); renditions can, and are written first.
    const originals = join(t.container.config.mediaDir, 'originals');
    rmSync(originals, { recursive: true, force: true });
    mkdirSync(t.container.config.mediaDir, { recursive: true });
    writeFileSync(originals, 'not a folder');
    const before = { media: await mediaCount(), files: storedFiles(t.container.config.mediaDir) };
    try {
      const res = await t
        .http()
        .post('/v1/admin/media/upload')
        .set(editor.headers)
        .attach('file', image, { filename: 'x.jpg', contentType: 'image/jpeg' });
      expect(res.status).toBe(500);
      expect({ media: await mediaCount(), files: storedFiles(t.container.config.mediaDir) }).toEqual(before);
      expect(temporaryFiles(uploadTemp)).toEqual([]);
    } finally {
      rmSync(originals, { force: true });
    }
  });

  it('when a file arrives in one chunk longer than the bytes its type is judged by, then it is stored whole', async () => {
    for (const length of [1000, 5000, 70_000]) {
      const file = Buffer.concat([pdf, randomBytes(length - pdf.length)]);
      const res = await uploadPdf(file).expect(201);
      const served = await t
        .http()
        .get(res.body.url)
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect((served.body as Buffer).equals(file)).toBe(true);
    }
  });

  it('when an upload is refused for its type or size, then no temporary file is left', async () => {
    await uploadPdf(Buffer.from('plain words, not a PDF at all')).expect(415);
    const text = Buffer.alloc(9000, 0x41);
    await t.http().post('/v1/admin/media/upload').set(editor.headers).attach('file', text, 'words.pdf').expect(415);
    expect(temporaryFiles(uploadTemp)).toEqual([]);
  });
});
