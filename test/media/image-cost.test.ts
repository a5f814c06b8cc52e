import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createImageWork } from '../../src/modules/media/media.image-work.ts';
import { decodeImage, renditionWidths, type ImageDecoder } from '../../src/modules/media/media.images.ts';
import { createMediaModule, receiveBytes } from '../../src/modules/media/index.ts';
import { createLocalStorage } from '../../src/storage/storage.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const maxBytes = { image: 20 * 1024 * 1024, audio: 1024, video: 1024, document: 1024 };
const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 10, g: 80, b: 200 } } })
    .png({ compressionLevel: 9 })
    .toBuffer();

/** The real decoder, counting its calls and how many run at once; `gate` holds each call until opened. */
function countingDecoder(gate?: Promise<void>) {
  const counts = { calls: 0, running: 0, mostAtOnce: 0 };
  const decode: ImageDecoder = async (source, options) => {
    counts.calls++;
    counts.running++;
    counts.mostAtOnce = Math.max(counts.mostAtOnce, counts.running);
    try {
      await gate;
      return await decodeImage(source, options);
    } finally {
      counts.running--;
    }
  };
  return { decode, counts };
}

describeEachDialect('the cost of an image upload', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'] });
  let storageDir: string;
  beforeAll(() => {
    storageDir = mkdtempSync(join(tmpdir(), 'cms-image-cost-'));
  });
  afterAll(() => rmSync(storageDir, { recursive: true, force: true }));

  // The media module as the container builds it, on the app's database, with a decoder that counts.
  const mediaModule = (decode: ImageDecoder, settings: { maxImagePixels?: number; processingConcurrency?: number } = {}) =>
    createMediaModule({
      prisma: t.container.db.prisma,
      now: t.clock.now,
      storage: createLocalStorage(storageDir),
      renditionWidths: [320, 640, 1024, 1600],
      aspectRatios: ['16:9', '1:1'],
      decodeImage: decode,
      ...settings,
    });
  const actor = () => ({ type: 'user' as const, userId: editor.user.id, role: 'editor' as const });
  const storedFiles = () => readdirSync(storageDir, { recursive: true }).filter((name) => String(name).includes('.'));

  it('when a 4000×4000 PNG is uploaded, then it is decoded once and no rendition is wider than the largest configured width', async () => {
    const { decode, counts } = countingDecoder();
    const media = mediaModule(decode);
    const file = await png(4000, 4000);
    const cpuBefore = process.cpuUsage();
    const { created, media: stored } = await media.service.upload(await receiveBytes(file, maxBytes), {}, actor());
    const cpu = process.cpuUsage(cpuBefore);
    expect(created).toBe(true);
    expect(counts.calls).toBe(1);
    expect(stored).toMatchObject({ width: 4000, height: 4000, dominantColor: expect.stringMatching(/^#[0-9a-f]{6}$/) });
    // 320, 640, 1024 and 1600 of the whole picture and of each crop, in AVIF, WebP and PNG: 36, never 4000 wide.
    expect(stored.renditions).toHaveLength(36);
    expect(Math.max(...stored.renditions.map((r) => r.width))).toBe(1600);
    expect(stored.renditions.filter((r) => r.aspectRatio === '16:9').map((r) => `${r.width}x${r.height}`)).toContain('1600x900');
    // Measured for the record (11.4 s before: every rendition decoded the original, and 4000-wide ones were made).
    console.info(`4000×4000 PNG: ${Math.round((cpu.user + cpu.system) / 1000)} ms of CPU for ${stored.renditions.length} renditions`);
    // Seconds of CPU by design (36 encodes), more in wall time on a busy machine.
  }, 120_000);

  it('when an image has more pixels than allowed, then 422 image_too_large, before any decoding, and nothing is stored', async () => {
    const { decode, counts } = countingDecoder();
    const media = mediaModule(decode, { maxImagePixels: 1_000_000 });
    const before = { media: await t.container.db.prisma.media.count(), files: storedFiles() };
    await expect(media.service.upload(await receiveBytes(await png(1001, 1000), maxBytes), {}, actor())).rejects.toMatchObject({
      status: 422,
      code: 'image_too_large',
      extra: { width: 1001, height: 1000, maxPixels: 1_000_000 },
    });
    expect(counts.calls).toBe(0);
    expect({ media: await t.container.db.prisma.media.count(), files: storedFiles() }).toEqual(before);
    // At the limit it is accepted.
    await media.service.upload(await receiveBytes(await png(1000, 1000), maxBytes), {}, actor());
    expect(counts.calls).toBe(1);
  });

  it('when more images arrive than may be processed at once, then they wait their turn: at most K decode and encode at once', async () => {
    let open!: () => void;
    const { decode, counts } = countingDecoder(new Promise<void>((resolve) => (open = resolve)));
    const media = mediaModule(decode, { processingConcurrency: 2 });
    const files = await Promise.all([301, 302, 303, 304, 305].map((width) => png(width, 200)));
    const uploads = files.map(async (file) => media.service.upload(await receiveBytes(file, maxBytes), {}, actor()));
    // Two are decoding (held at the gate), three wait for a slot; without the bound all five would be decoding.
    await vi.waitFor(() => expect(counts.calls + media.images.load().waiting).toBe(5));
    expect({ decoding: counts.running, ...media.images.load() }).toEqual({ decoding: 2, running: 2, waiting: 3 });
    open();
    const done = await Promise.all(uploads);
    expect(done.every((upload) => upload.created)).toBe(true);
    expect({ calls: counts.calls, mostAtOnce: counts.mostAtOnce, ...media.images.load() }).toEqual({
      calls: 5,
      mostAtOnce: 2,
      running: 0,
      waiting: 0,
    });
  });
});

describeEachDialect('the pixel limit over HTTP', (dialect) => {
  const { t, editor } = useTestApp(dialect, {
    mediaDir: true,
    roles: ['editor'],
    env: { MEDIA_MAX_IMAGE_PIXELS: '10000', MEDIA_RENDITION_WIDTHS: '50', MEDIA_ASPECT_RATIOS: 'none' },
  });

  it('when an image over MEDIA_MAX_IMAGE_PIXELS is uploaded, then 422 problem+json image_too_large, and no row and no file', async () => {
    const files = () => readdirSync(t.container.config.mediaDir, { recursive: true });
    const before = { media: await t.container.db.prisma.media.count(), files: files() };
    const res = await t
      .http()
      .post('/v1/admin/media/upload')
      .set(editor.headers)
      .attach('file', await png(101, 100), { filename: 'wide.png', contentType: 'image/png' })
      .expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'image_too_large', width: 101, height: 100, maxPixels: 10000 });
    expect({ media: await t.container.db.prisma.media.count(), files: files() }).toEqual(before);
    await t
      .http()
      .post('/v1/admin/media/upload')
      .set(editor.headers)
      .attach('file', await png(100, 100), { filename: 'square.png', contentType: 'image/png' })
      .expect(201);
  });
});

describe('bounds on renditions', () => {
  it('when an image is wider than the largest configured width, then its renditions stop at that width', () => {
    expect(renditionWidths(4000, [320, 640, 1024, 1600])).toEqual([320, 640, 1024, 1600]);
    expect(renditionWidths(1200, [320, 640, 1024, 1600])).toEqual([320, 640, 1024, 1200]);
    expect(renditionWidths(100, [320, 640])).toEqual([100]);
  });

  it('when the widths and aspect ratios would make more renditions than the cap, then start-up is refused', () => {
    const env = { NODE_ENV: 'test', DATABASE_URL: 'file:./x.db', MEDIA_RENDITION_WIDTHS: '200,400,800,1200,1600' };
    // 5 widths × (the whole picture + 16:9 + 1:1) × 3 formats = 45, over the default 36.
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/45 renditions.*MEDIA_MAX_RENDITIONS_PER_IMAGE \(36\)/);
    expect(loadConfig({ ...env, MEDIA_MAX_RENDITIONS_PER_IMAGE: '45' }).mediaUploads.maxRenditionsPerImage).toBe(45);
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'file:./x.db' }).mediaUploads).toEqual({
      maxImagePixels: 40_000_000,
      processingConcurrency: 2,
      maxRenditionsPerImage: 36,
      maxUploadsInFlight: 4,
    });
    expect(() =>
      createImageWork({ maxPixels: 1e6, concurrency: 1, renditionWidths: [100, 200], aspectRatios: ['1:1'], maxRenditions: 11 }),
    ).toThrow(/12 renditions/);
  });
});
