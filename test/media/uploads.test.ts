import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { focalCropWindow, renditionWidths } from '../../src/modules/media/media.images.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

// Real files, made here: a photo with EXIF (GPS, a rotated orientation), a PNG, a GIF, a WebP, an MP3 and a PDF.
const solid = (width: number, height: number, background: { r: number; g: number; b: number; alpha?: number }) =>
  sharp({ create: { width, height, channels: background.alpha === undefined ? 3 : 4, background } });

async function fixtures() {
  // 480×300 stored, orientation 6: shown upright as 300×480.
  const photo = await solid(480, 300, { r: 200, g: 40, b: 30 })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Copyright: 'Городские новости', Artist: 'Анна Смирнова' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '55/1 45/1 2100/100', GPSLongitudeRef: 'E', GPSLongitude: '37/1 37/1 1200/100' },
    })
    .toBuffer();
  const png = await solid(200, 100, { r: 20, g: 120, b: 220, alpha: 0.5 }).png().toBuffer();
  const gif = await solid(120, 80, { r: 10, g: 200, b: 10 }).gif().toBuffer();
  const webp = await solid(400, 200, { r: 250, g: 250, b: 0 }).webp().toBuffer();
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  const mp3 = Buffer.concat(Array.from({ length: 8 }, () => frame));
  const pdf = Buffer.from(
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  );
  return { photo, png, gif, webp, mp3, pdf };
}

type Fixtures = Awaited<ReturnType<typeof fixtures>>;

describeEachDialect('uploading media', (dialect) => {
  const { t, editor } = useTestApp(dialect, {
    mediaDir: true,
    env: {
      MEDIA_RENDITION_WIDTHS: '160,320',
      MEDIA_ASPECT_RATIOS: 'none', // crops are tested in crops.test.ts
      MEDIA_MAX_IMAGE_BYTES: String(200_000),
      MEDIA_MAX_DOCUMENT_BYTES: String(5_000),
    },
    roles: ['editor'],
  });
  let files: Fixtures;
  beforeAll(async () => {
    files = await fixtures();
  });

  const prisma = () => t.container.db.prisma;
  const storedFiles = () =>
    readdirSync(t.container.config.mediaDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .sort();
  const counts = async () => ({
    media: await prisma().media.count(),
    renditions: await prisma().mediaRendition.count(),
    files: storedFiles(),
  });
  const upload = (
    data: Buffer,
    name: string,
    contentType = 'application/octet-stream',
    fields: Record<string, string> = {},
    headers = editor.headers,
  ) => {
    const request = t.http().post('/v1/admin/media/upload').set(headers);
    for (const [field, value] of Object.entries(fields)) request.field(field, value);
    return request.attach('file', data, { filename: name, contentType });
  };
  const fetchFile = (url: string) =>
    t
      .http()
      .get(url)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('when a photo with EXIF and GPS is uploaded, then it is stored upright with renditions that carry no metadata', async () => {
    const input = await sharp(files.photo).metadata();
    expect([input.orientation, input.exif?.includes(Buffer.from('GPS')) || input.exif !== undefined]).toEqual([6, true]);
    const res = await upload(files.photo, 'stadium.jpg', 'image/jpeg', {
      caption: 'Трибуны',
      credit: 'Городские новости/Анна Смирнова',
      focalX: '0.25',
      focalY: '0.75',
    }).expect(201);
    expect(res.body).toMatchObject({
      kind: 'image',
      mimeType: 'image/jpeg',
      sizeBytes: files.photo.length,
      width: 300,
      height: 480,
      caption: 'Трибуны',
      credit: 'Городские новости/Анна Смирнова',
      focalX: 0.25,
      focalY: 0.75,
      createdById: editor.user.id,
      version: 1,
    });
    expect(res.body.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(res.headers.etag).toBe('"1"');
    // 160 and the original 300 (320 is wider than the photo), each as AVIF, WebP and JPEG, in srcset order.
    const renditions = res.body.renditions as {
      url: string;
      width: number;
      height: number;
      format: string;
      mimeType: string;
      sizeBytes: number;
    }[];
    expect(renditions.map((r) => `${r.format} ${r.width}x${r.height}`)).toEqual([
      'avif 160x256',
      'avif 300x480',
      'webp 160x256',
      'webp 300x480',
      'jpeg 160x256',
      'jpeg 300x480',
    ]);
    expect(res.body.url).toBe(renditions.at(-1)!.url);
    for (const rendition of renditions) {
      expect(rendition.url).toMatch(/^\/v1\/media\/files\/renditions\/[0-9a-f]{64}\.(avif|webp|jpg)$/);
      const file = await fetchFile(rendition.url).expect(200);
      expect(file.headers['content-type']).toBe(rendition.mimeType);
      expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const metadata = await sharp(file.body as Buffer).metadata();
      expect({ width: metadata.width, height: metadata.height, exif: metadata.exif, bytes: (file.body as Buffer).length }).toEqual({
        width: rendition.width,
        height: rendition.height,
        exif: undefined,
        bytes: rendition.sizeBytes,
      });
      expect(metadata.format).toBe(rendition.format === 'avif' ? 'heif' : rendition.format);
    }
    // The original keeps its EXIF, so it is stored but never served.
    const row = await prisma().media.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row.storageKey).toBe(`originals/${res.body.contentHash}.jpg`);
    await t.http().get(`/v1/media/files/${row.storageKey}`).expect(404);
    expect((await t.http().get(`/v1/media/${res.body.id}`).expect(200)).body.renditions).toEqual(renditions);
  });

  it('when a file is served, then it has a strong ETag and answers 304 to it; bad or unknown keys are 404', async () => {
    const res = await upload(files.webp, 'sun.webp', 'image/webp').expect(201);
    const url = res.body.renditions[0].url as string;
    const first = await fetchFile(url).expect(200);
    expect(first.headers.etag).toBe(`"${url.split('/').pop()!.split('.')[0]}"`);
    await t.http().get(url).set('If-None-Match', first.headers.etag!).expect(304);
    for (const bad of [
      '/v1/media/files/renditions/..%2f..%2fetc%2fpasswd',
      '/v1/media/files/renditions/abc.webp',
      `/v1/media/files/secrets/${'a'.repeat(64)}.webp`,
      `/v1/media/files/renditions/${'a'.repeat(64)}.webp`,
      `/v1/media/files/renditions/${'a'.repeat(64)}.pdf`,
    ]) {
      const answer = await t.http().get(bad);
      expect([400, 404], bad).toContain(answer.status);
    }
  });

  it('when a PNG, a GIF, an MP3 and a PDF are uploaded, then each is typed by its content; audio and documents are served as they are', async () => {
    const png = await upload(files.png, 'chart.png', 'image/png').expect(201);
    expect(png.body.renditions.map((r: { format: string; width: number }) => `${r.format} ${r.width}`)).toEqual([
      'avif 160',
      'avif 200',
      'webp 160',
      'webp 200',
      'png 160',
      'png 200',
    ]);
    const gif = await upload(files.gif, 'wave.gif', 'image/gif').expect(201);
    expect(gif.body).toMatchObject({ mimeType: 'image/gif', width: 120, height: 80 });
    expect(gif.body.renditions.map((r: { format: string }) => r.format)).toEqual(['avif', 'webp', 'png']);

    const mp3 = await t
      .http()
      .post('/v1/admin/media/upload')
      .query({ filename: 'voice.mp3', caption: 'Голос' })
      .set(editor.headers)
      .set('Content-Type', 'audio/mpeg')
      .send(files.mp3)
      .expect(201);
    expect(mp3.body).toMatchObject({
      kind: 'audio',
      mimeType: 'audio/mpeg',
      caption: 'Голос',
      width: null,
      renditions: [],
      dominantColor: null,
    });
    expect(mp3.body.url).toBe(`/v1/media/files/originals/${mp3.body.contentHash}.mp3`);
    const served = await fetchFile(mp3.body.url).expect(200);
    expect(Buffer.compare(served.body as Buffer, files.mp3)).toBe(0);
    expect(served.headers['content-type']).toBe('audio/mpeg');

    const pdf = await upload(files.pdf, 'report.bin', 'application/octet-stream').expect(201);
    expect(pdf.body).toMatchObject({ kind: 'document', mimeType: 'application/pdf' });
    expect((await fetchFile(pdf.body.url).expect(200)).headers['content-type']).toBe('application/pdf');
  });

  it('when the same bytes are uploaded again, then the stored media is answered with 200 and nothing is added', async () => {
    const first = await upload(files.png, 'a.png').expect((r) => expect([200, 201]).toContain(r.status));
    const before = await counts();
    const again = await t
      .http()
      .post('/v1/admin/media/upload')
      .query({ filename: 'copy.png' })
      .set(editor.headers)
      .set('Content-Type', 'image/png')
      .send(files.png)
      .expect(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await counts()).toEqual(before);
  });

  it('when a PNG is named .jpg and declared image/jpeg, then it is stored as the PNG it is', async () => {
    const spoofed = await solid(90, 60, { r: 1, g: 2, b: 3 }).png().toBuffer();
    const res = await upload(spoofed, 'holiday.jpg', 'image/jpeg').expect(201);
    expect(res.body).toMatchObject({ mimeType: 'image/png', width: 90, height: 60 });
    expect(res.body.renditions.at(-1).format).toBe('png');
  });

  describe('refused uploads leave no row and no file', () => {
    const refusals: [string, () => Promise<{ status: number; body: { code: string } }>, number, string][] = [
      [
        'a text file named .jpg',
        () => upload(Buffer.from('just some words, not a picture at all'), 'photo.jpg', 'image/jpeg'),
        415,
        'unsupported_media_type',
      ],
      [
        'an SVG',
        () => upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'logo.svg', 'image/svg+xml'),
        415,
        'unsupported_media_type',
      ],
      [
        'an SVG sent as the body',
        () =>
          t
            .http()
            .post('/v1/admin/media/upload')
            .set(editor.headers)
            .set('Content-Type', 'image/svg+xml')
            .send(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')),
        415,
        'unsupported_media_type',
      ],
      [
        'a truncated JPEG',
        () => upload(files.photo.subarray(0, Math.floor(files.photo.length * 0.6)), 'cut.jpg', 'image/jpeg'),
        422,
        'unreadable_media',
      ],
      [
        'a JPEG with a garbled body',
        () => {
          const garbled = Buffer.from(files.photo);
          garbled.fill(0x00, 700, garbled.length - 2);
          return upload(garbled, 'broken.jpg', 'image/jpeg');
        },
        422,
        'unreadable_media',
      ],
      [
        'an image over the image limit',
        async () =>
          upload(
            await sharp(Buffer.from(Array.from({ length: 400 * 400 * 3 }, () => Math.floor(Math.random() * 256))), {
              raw: { width: 400, height: 400, channels: 3 },
            })
              .png()
              .toBuffer(),
            'noise.png',
            'image/png',
          ),
        413,
        'payload_too_large',
      ],
      [
        'a PDF over the document limit, sent as the body',
        () =>
          t
            .http()
            .post('/v1/admin/media/upload')
            .set(editor.headers)
            .set('Content-Type', 'application/pdf')
            .send(Buffer.concat([files.pdf, Buffer.alloc(20_000, 0x20)])),
        413,
        'payload_too_large',
      ],
      [
        'a form without a file',
        () => t.http().post('/v1/admin/media/upload').set(editor.headers).field('caption', 'Нет файла'),
        422,
        'validation_failed',
      ],
      [
        'a form with an unknown field',
        () => upload(files.pdf, 'x.pdf', 'application/pdf', { photographer: 'Анна' }),
        422,
        'validation_failed',
      ],
      ['a focal point outside 0..1', () => upload(files.pdf, 'x.pdf', 'application/pdf', { focalX: '1.5' }), 422, 'validation_failed'],
    ];
    for (const [name, send, status, code] of refusals) {
      it(`when ${name} is uploaded, then ${status} ${code}`, async () => {
        const before = await counts();
        const res = await send();
        expect(res.status).toBe(status);
        expect(res.body.code).toBe(code);
        expect(await counts()).toEqual(before);
      });
    }

    it('when an API key without the media scope uploads, then 403', async () => {
      const reader = await t.apiKey(['read']);
      await upload(files.pdf, 'x.pdf', 'application/pdf', {}, reader.headers).expect(403);
      const mediaKey = await t.apiKey(['media']);
      const res = await upload(files.webp, 'x.webp', 'image/webp', {}, mediaKey.headers);
      expect([200, 201]).toContain(res.status);
    });
  });

  describe('deleting uploaded media', () => {
    it('when unused media is deleted, then its row, its renditions and its files are gone', async () => {
      const image = await solid(330, 220, { r: 90, g: 10, b: 200 }).jpeg().toBuffer();
      const before = await counts();
      const res = await upload(image, 'purple.jpg', 'image/jpeg').expect(201);
      expect((await counts()).files.length).toBeGreaterThan(before.files.length);
      await t.http().delete(`/v1/admin/media/${res.body.id}`).set(editor.headers).set('If-Match', '"1"').expect(204);
      expect(await counts()).toEqual(before);
      await t.http().get(res.body.renditions[0].url).expect(404);
    });

    it('when media is on a published or a draft article, then 409 listing the articles with their status', async () => {
      const image = await solid(250, 250, { r: 5, g: 90, b: 5 }).jpeg().toBuffer();
      const res = await upload(image, 'green.jpg', 'image/jpeg').expect(201);
      const published = await prisma().article.create({
        data: {
          title: 'Открытие сквера',
          slug: 'otkrytie-skvera',
          body: [],
          keyPoints: [],
          searchText: '',
          status: 'published',
          publishedAt: t.clock.now(),
          coverMediaId: res.body.id,
        },
      });
      const before = await counts();
      const conflict = await t.http().delete(`/v1/admin/media/${res.body.id}`).set(editor.headers).set('If-Match', '*').expect(409);
      expect(conflict.body).toMatchObject({
        code: 'media_in_use',
        articles: [{ id: published.id, title: published.title, status: 'published' }],
      });
      expect(await counts()).toEqual(before);
    });

    it("when an uploaded file's measured facts are patched, then 422; its caption and focal point may change", async () => {
      const res = await upload(await solid(180, 90, { r: 1, g: 1, b: 1 }).png().toBuffer(), 'black.png', 'image/png').expect(201);
      const refused = await t
        .http()
        .patch(`/v1/admin/media/${res.body.id}`)
        .set(editor.headers)
        .set('If-Match', '"1"')
        .send({ width: 999, url: 'https://elsewhere.example/x.png' })
        .expect(422);
      expect(refused.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.url', 'body.width']);
      const changed = await t
        .http()
        .patch(`/v1/admin/media/${res.body.id}`)
        .set(editor.headers)
        .set('If-Match', '"1"')
        .send({ caption: 'Чёрный квадрат', focalX: 0.1, focalY: 0.9 })
        .expect(200);
      expect(changed.body).toMatchObject({ caption: 'Чёрный квадрат', focalX: 0.1, focalY: 0.9, version: 2, width: 180 });
    });
  });
});

describe('rendition geometry', () => {
  it('when an image is narrower than some configured widths, then those are skipped and its own width is added', () => {
    expect(renditionWidths(1000, [320, 640, 1024, 1600])).toEqual([320, 640, 1000]);
    expect(renditionWidths(1600, [320, 640, 1024, 1600])).toEqual([320, 640, 1024, 1600]);
    expect(renditionWidths(200, [320, 640])).toEqual([200]);
  });

  it('when a crop is centred on the focal point, then it is as large as fits and stays inside the image', () => {
    const image = { width: 1200, height: 800 };
    expect(focalCropWindow(image, { width: 1, height: 1 }, { x: null, y: null })).toEqual({ left: 200, top: 0, width: 800, height: 800 });
    expect(focalCropWindow(image, { width: 1, height: 1 }, { x: 0.9, y: 0.5 })).toEqual({ left: 400, top: 0, width: 800, height: 800 });
    expect(focalCropWindow(image, { width: 1, height: 1 }, { x: 0.4, y: 0.5 })).toEqual({ left: 80, top: 0, width: 800, height: 800 });
    expect(focalCropWindow(image, { width: 16, height: 9 }, { x: 0.5, y: 0.05 })).toEqual({ left: 0, top: 0, width: 1200, height: 675 });
    expect(focalCropWindow(image, { width: 16, height: 9 }, { x: 0.5, y: 0.7 })).toEqual({ left: 0, top: 125, width: 1200, height: 675 });
  });
});
