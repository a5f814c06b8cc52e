import { createServer, get as httpGet, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { byteRange } from '../../src/modules/media/media.routes.ts';
import { useTestApp } from '../support/test-app.ts';

// Audio players (Safari above all) fetch narration in byte ranges; photos are embedded by other origins.
describe('serving a media file', () => {
  let url: string;
  let etag: string;
  const logLines: string[] = [];
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  const mp3 = Buffer.concat(Array.from({ length: 8 }, (_, i) => Buffer.from(frame.map((b, j) => (j < 4 ? b : (i * 31 + j) % 256)))));

  const { t } = useTestApp('sqlite', { mediaDir: true, logStream: { write: (line: string) => void logLines.push(line) } });
  beforeAll(async () => {
    const editor = await t.signIn('editor');
    const uploaded = await t
      .http()
      .post('/v1/admin/media/upload')
      .query({ filename: 'voice.mp3' })
      .set(editor.headers)
      .set('Content-Type', 'audio/mpeg')
      .send(mp3)
      .expect(201);
    url = uploaded.body.url;
    etag = (await t.http().get(url).expect(200)).headers.etag!;
  });

  const get = (headers: Record<string, string> = {}) =>
    t
      .http()
      .get(url)
      .set(headers)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('answers whole, saying it takes ranges and may be embedded by any origin', async () => {
    const res = await get().expect(200);
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(Buffer.compare(res.body, mp3)).toBe(0);
  });

  it('answers a byte range with 206 and exactly those bytes', async () => {
    for (const [range, start, end] of [
      ['bytes=0-99', 0, 99],
      ['bytes=100-', 100, mp3.length - 1],
      ['bytes=-50', mp3.length - 50, mp3.length - 1],
      ['bytes=3000-999999', 3000, mp3.length - 1],
    ] as const) {
      const res = await get({ Range: range }).expect(206);
      expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${mp3.length}`);
      expect(Buffer.compare(res.body, mp3.subarray(start, end + 1))).toBe(0);
    }
  });

  it('answers a range past the end with 416 and the size', async () => {
    const res = await t.http().get(url).set('Range', `bytes=${mp3.length}-`).expect(416);
    expect(res.headers['content-range']).toBe(`bytes */${mp3.length}`);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 416, code: 'range_not_satisfiable' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).not.toBe(etag);
  });

  it('sends the whole file for a range it does not take: several, malformed, or an If-Range of another version', async () => {
    for (const headers of <Record<string, string>[]>[
      { Range: 'bytes=0-1,5-6' },
      { Range: 'items=0-1' },
      { Range: 'bytes=9-3' },
      { Range: 'bytes=0-9', 'If-Range': '"other"' },
    ]) {
      const res = await get(headers).expect(200);
      expect(res.body.length).toBe(mp3.length);
    }
    await get({ Range: 'bytes=0-9', 'If-Range': etag }).expect(206);
  });

  it('answers HEAD with the headers of the same GET and no body, for the whole file, a range and one past the end', async () => {
    const whole = await t.http().head(url).expect(200);
    expect(whole.headers['content-length']).toBe(String(mp3.length));
    const part = await t.http().head(url).set('Range', 'bytes=2-4').expect(206);
    expect(part.headers).toMatchObject({
      'content-length': '3',
      'content-range': `bytes 2-4/${mp3.length}`,
      'cross-origin-resource-policy': 'cross-origin',
    });
    const past = await t.http().head(url).set('Range', `bytes=${mp3.length}-`).expect(416);
    expect(past.headers['content-range']).toBe(`bytes */${mp3.length}`);
  });

  it('lets any origin embed a part or a not-modified answer too, and serves If-Range only on the exact strong ETag', async () => {
    expect((await get({ Range: 'bytes=0-9' }).expect(206)).headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect((await t.http().get(url).set('If-None-Match', etag).expect(304)).headers['cross-origin-resource-policy']).toBe('cross-origin');
    for (const ifRange of [`W/${etag}`, 'Wed, 25 Nov 2026 10:00:00 GMT'])
      expect((await get({ Range: 'bytes=0-9', 'If-Range': ifRange }).expect(200)).body.length).toBe(mp3.length);
  });

  it('when a player goes away in the middle of a long file, then nothing is logged as an error and the next request is served', async () => {
    const editor = await t.signIn('editor');
    const long = Buffer.concat(Array.from({ length: 20_000 }, (_, i) => Buffer.from(frame.map((b, j) => (j < 4 ? b : (i * 7 + j) % 256)))));
    const uploaded = await t
      .http()
      .post('/v1/admin/media/upload')
      .query({ filename: 'long.mp3' })
      .set(editor.headers)
      .set('Content-Type', 'audio/mpeg')
      .send(long)
      .expect(201);
    const server: Server = createServer(t.container.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    // The app is done with the request once the file it pipes into the response has closed (and the
    // promises that settles have run): an error it would log is logged by then.
    const isFileClosed = new Promise<void>((resolve) =>
      server.once('request', (_req, res: ServerResponse) =>
        res.once('pipe', (file: Readable) => file.once('close', () => setImmediate(resolve))),
      ),
    );
    try {
      const { port } = server.address() as AddressInfo;
      const received = await new Promise<number>((resolve, reject) => {
        const request = httpGet({ host: '127.0.0.1', port, path: new URL(uploaded.body.url, 'http://localhost').pathname }, (res) => {
          res.once('data', (chunk: Buffer) => {
            request.destroy();
            resolve(chunk.length);
          });
        });
        request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
      });
      expect(received).toBeLessThan(long.length);
      await isFileClosed;
      expect((await get({ Range: 'bytes=0-9' }).expect(206)).body.length).toBe(10);
      expect(logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reads ranges as RFC 9110 says', () => {
    expect(byteRange('bytes=0-0', undefined, '"e"', 10)).toEqual({ start: 0, end: 0 });
    expect(byteRange('bytes=-0', undefined, '"e"', 10)).toBe('unsatisfiable');
    expect(byteRange('bytes=-20', undefined, '"e"', 10)).toEqual({ start: 0, end: 9 });
    expect(byteRange('bytes=-', undefined, '"e"', 10)).toBeUndefined();
    expect(byteRange(undefined, undefined, '"e"', 10)).toBeUndefined();
  });
});
