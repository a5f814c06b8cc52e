import sharp from 'sharp';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

// The smallest real files of each container that file-type recognises by their bytes.
const box = (type: string, payload: Buffer) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
};
const isoFile = (major: string, compatible: string[]) =>
  Buffer.concat([
    box('ftyp', Buffer.concat([Buffer.from(major, 'latin1'), Buffer.alloc(4), ...compatible.map((c) => Buffer.from(c, 'latin1'))])),
    box('free', Buffer.alloc(64)),
    box('mdat', Buffer.alloc(256)),
  ]);
const opusHead = Buffer.concat([Buffer.from('OpusHead', 'latin1'), Buffer.from([1, 2, 0x38, 1, 0x80, 0xbb, 0, 0, 0, 0, 0])]);
// An Ogg page: 27 header bytes (capture, version, type, granule, serial, sequence, CRC, segments), one segment.
const ogg = Buffer.concat([
  Buffer.from('OggS', 'latin1'),
  Buffer.from([0, 2]),
  Buffer.alloc(20),
  Buffer.from([1, opusHead.length]),
  opusHead,
  Buffer.alloc(200),
]);
const ebml = Buffer.concat([
  Buffer.from([0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04, 0x42, 0xf3, 0x81, 0x08, 0x42, 0x82, 0x84]),
  Buffer.from('webm', 'latin1'),
  Buffer.from([0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02]),
]);
const webm = Buffer.concat([
  Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | ebml.length]),
  ebml,
  Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0, 0, 0, 0, 0, 0, 0x10]),
  Buffer.alloc(300),
]);

describeEachDialect('uploading each allowed type', (dialect) => {
  const { t, editor } = useTestApp(dialect, {
    mediaDir: true,
    env: { MEDIA_RENDITION_WIDTHS: '32', MEDIA_ASPECT_RATIOS: 'none' },
    roles: ['editor'],
  });

  it('when each allowed format is uploaded under a misleading name, then it is stored with the kind and type its bytes say', async () => {
    const image = (format: 'jpeg' | 'png' | 'webp' | 'avif' | 'gif') =>
      sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 90, g: 30, b: 160 } } })
        .toFormat(format)
        .toBuffer();
    const frame = Buffer.alloc(417);
    frame.set([0xff, 0xfb, 0x90, 0x64]);
    const cases: [string, Buffer, string, string][] = [
      ['JPEG', await image('jpeg'), 'image', 'image/jpeg'],
      ['PNG', await image('png'), 'image', 'image/png'],
      ['WebP', await image('webp'), 'image', 'image/webp'],
      ['AVIF', await image('avif'), 'image', 'image/avif'],
      ['GIF', await image('gif'), 'image', 'image/gif'],
      ['MP3', Buffer.concat(Array.from({ length: 8 }, () => frame)), 'audio', 'audio/mpeg'],
      ['M4A', isoFile('M4A ', ['M4A ', 'mp42', 'isom']), 'audio', 'audio/mp4'],
      ['OGG', ogg, 'audio', 'audio/ogg'],
      ['MP4', isoFile('isom', ['isom', 'iso2', 'avc1', 'mp41']), 'video', 'video/mp4'],
      ['WebM', webm, 'video', 'video/webm'],
      [
        'PDF',
        Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'),
        'document',
        'application/pdf',
      ],
    ];
    for (const [name, data, kind, mimeType] of cases) {
      const res = await t
        .http()
        .post('/v1/admin/media/upload')
        .set(editor.headers)
        .attach('file', data, { filename: 'upload.bin', contentType: 'application/octet-stream' });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(201);
      expect({ kind: res.body.kind, mimeType: res.body.mimeType }, name).toEqual({ kind, mimeType });
      if (kind === 'image') expect(res.body.renditions.length, name).toBeGreaterThan(0);
      else
        await t
          .http()
          .get(res.body.url.replace(/^https?:\/\/[^/]+/, ''))
          .expect(200)
          .expect('content-type', mimeType);
    }
  });
});
