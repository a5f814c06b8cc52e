import sharp from 'sharp';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

interface Rendition {
  url: string;
  aspectRatio: string;
  width: number;
  height: number;
  format: string;
}

/** A 600×300 grey picture with a red 100×100 square whose centre is at (500, 150). */
async function pictureWithRedSquare(): Promise<Buffer> {
  const square = await sharp({ create: { width: 100, height: 100, channels: 3, background: { r: 255, g: 0, b: 0 } } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 600, height: 300, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .composite([{ input: square, left: 450, top: 100 }])
    .jpeg({ quality: 95 })
    .toBuffer();
}

describeEachDialect('cropping images to aspect ratios', (dialect) => {
  const { t, editor } = useTestApp(dialect, {
    mediaDir: true,
    env: { MEDIA_RENDITION_WIDTHS: '150,300', MEDIA_ASPECT_RATIOS: '1:1,16:9' },
    roles: ['editor'],
  });

  it('when an image is uploaded with a focal point, then each aspect ratio is cropped around it, in every width and format', async () => {
    const res = await t
      .http()
      .post('/v1/admin/media/upload')
      .set(editor.headers)
      .field('focalX', '0.8333')
      .field('focalY', '0.5')
      .attach('file', await pictureWithRedSquare(), { filename: 'square.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const renditions = res.body.renditions as Rendition[];
    const square = renditions.filter((r) => r.aspectRatio === '1:1');
    // The 1:1 window is 300×300 (the picture's height), centred on x = 500 and pushed back inside: x 300..600.
    expect(square.map((r) => `${r.format} ${r.width}x${r.height}`).sort()).toEqual([
      'avif 150x150',
      'avif 300x300',
      'jpeg 150x150',
      'jpeg 300x300',
      'webp 150x150',
      'webp 300x300',
    ]);
    const wide = renditions.filter((r) => r.aspectRatio === '16:9');
    expect(wide.every((r) => Math.abs(r.width / r.height - 16 / 9) < 0.02)).toBe(true);
    // 150 and 300 × 3 formats: not the picture's own 600, wider than the largest configured width.
    expect(renditions.filter((r) => r.aspectRatio === 'original').length).toBe(6);

    // The red square sits at x 450..550 of the picture: in the crop (300..600) that is x 150..250 of 300.
    const largest = square.find((r) => r.format === 'jpeg' && r.width === 300)!;
    const file = await t
      .http()
      .get(largest.url)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const pixel = async (x: number, y: number) => {
      const { data } = await sharp(file.body as Buffer)
        .extract({ left: x, top: y, width: 1, height: 1 })
        .raw()
        .toBuffer({ resolveWithObject: true });
      return [...data];
    };
    const [r, g] = await pixel(200, 150);
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(60);
    const [greyR] = await pixel(50, 150);
    expect(greyR).toBeLessThan(160);
  });

  it('when no focal point is given, then the crop is centred', async () => {
    const picture = await sharp({ create: { width: 400, height: 200, channels: 3, background: { r: 10, g: 90, b: 10 } } })
      .jpeg()
      .toBuffer();
    const res = await t
      .http()
      .post('/v1/admin/media/upload')
      .set(editor.headers)
      .attach('file', picture, { filename: 'green.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const square = (res.body.renditions as Rendition[]).filter((r) => r.aspectRatio === '1:1' && r.format === 'webp');
    expect(square.map((r) => `${r.width}x${r.height}`)).toEqual(['150x150', '200x200']);
  });
});

describeEachDialect('moving the focal point', (dialect) => {
  const { t, editor } = useTestApp(dialect, {
    mediaDir: true,
    env: { MEDIA_RENDITION_WIDTHS: '150,300', MEDIA_ASPECT_RATIOS: '1:1' },
    roles: ['editor'],
  });

  it('when an editor moves the focal point, then the crops are made again around it and the old crop files go', async () => {
    const uploaded = await t
      .http()
      .post('/v1/admin/media/upload')
      .set(editor.headers)
      .field('focalX', '0.1')
      .field('focalY', '0.5')
      .attach('file', await pictureWithRedSquare(), { filename: 'square.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const cropUrls = (body: { renditions: Rendition[] }) =>
      body.renditions
        .filter((r) => r.aspectRatio === '1:1')
        .map((r) => r.url)
        .sort();
    const before = cropUrls(uploaded.body);
    const patched = await t
      .http()
      .patch(`/v1/admin/media/${uploaded.body.id}`)
      .set(editor.headers)
      .set('If-Match', `"${uploaded.body.version}"`)
      .send({ focalX: 0.8333 })
      .expect(200);
    const after = cropUrls(patched.body);
    expect(after).toHaveLength(before.length);
    expect(after.some((url) => before.includes(url))).toBe(false);
    for (const url of before) await t.http().get(url).expect(404);
    expect(patched.body.renditions.filter((r: Rendition) => r.aspectRatio === 'original')).toHaveLength(6);
  });
});
