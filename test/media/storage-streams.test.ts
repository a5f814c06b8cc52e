import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage, createS3Storage, type MediaStorage } from '../../src/storage/storage.ts';

const MiB = 1024 * 1024;

/** `blocks` MiB made while read, and their sha256 once read; `failAfter` blocks, the stream errors instead. */
function blocksOf(blocks: number, failAfter?: number): { body: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  const block = randomBytes(MiB);
  async function* generate() {
    for (let i = 0; i < blocks; i++) {
      if (i === failAfter) throw new Error('the client went away');
      hash.update(block);
      yield block;
    }
  }
  return { body: Readable.from(generate(), { objectMode: false }), sha256: () => hash.digest('hex') };
}

const sha256Of = async (body: Readable) => {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

/**
 * `isStoreAtomic`: false for s3rver, which writes an object in place as it arrives (S3 stores nothing of a
 * PUT cut short), so what it keeps of a failed put says nothing about the driver.
 */
function describeStreamedPuts(name: string, storage: () => MediaStorage, leftovers: () => string[], isStoreAtomic = true) {
  describe(`${name}: streamed puts`, () => {
    const key = () => `originals/${randomBytes(8).toString('hex')}.mp4`;

    it('when a stream of 24 MiB is put, then the object holds every byte, with its type and size', async () => {
      const stored = key();
      const source = blocksOf(24);
      await storage().putStream(stored, source.body, 'video/mp4', 24 * MiB);
      const opened = await storage().open(stored);
      expect(opened?.size).toBe(24 * MiB);
      expect(await sha256Of(await opened!.read())).toBe(source.sha256());
    });

    it('when the stream fails midway, then the put fails with its error at once, and nothing is stored or left behind', async () => {
      const stored = key();
      await expect(storage().putStream(stored, blocksOf(8, 3).body, 'video/mp4', 8 * MiB)).rejects.toThrow('the client went away');
      if (isStoreAtomic) expect(await storage().exists(stored)).toBe(false);
      expect(leftovers()).toEqual([]);
    });
  });
}

let localRoot: string;
beforeAll(() => {
  localRoot = mkdtempSync(join(tmpdir(), 'cms-storage-streams-'));
});
afterAll(() => rmSync(localRoot, { recursive: true, force: true }));

describeStreamedPuts(
  'local driver',
  () => createLocalStorage(localRoot),
  () =>
    readdirSync(localRoot, { recursive: true })
      .map(String)
      .filter((name) => name.endsWith('.tmp')),
);

describe('local driver: a stream shorter than announced', () => {
  it('when the stream ends before its announced size, then nothing is stored', async () => {
    const storage = createLocalStorage(localRoot);
    await expect(storage.putStream('originals/short.mp4', blocksOf(2).body, 'video/mp4', 3 * MiB)).rejects.toThrow(/not the/);
    expect(await storage.exists('originals/short.mp4')).toBe(false);
  });
});

// A real S3-compatible server (s3rver) on a free port of 127.0.0.1.
let server: S3rver;
let serverDir: string;
let s3: MediaStorage;
let rawClient: S3Client;
const bucket = 'cms-media-streams';
beforeAll(async () => {
  serverDir = mkdtempSync(join(tmpdir(), 'cms-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: serverDir });
  const { port } = await server.run();
  const options = { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true };
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  rawClient = new S3Client({ ...options, credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
  await rawClient.send(new CreateBucketCommand({ Bucket: bucket }));
  s3 = createS3Storage({ ...options, bucket, ...credentials });
});
afterAll(async () => {
  rawClient?.destroy();
  await server?.close();
  if (serverDir) rmSync(serverDir, { recursive: true, force: true });
});

describeStreamedPuts(
  'S3 driver on s3rver',
  () => s3,
  () => [],
  false,
);

describe('S3 driver: a streamed put', () => {
  it('when a stream is put, then the bucket holds it with its content type and length', async () => {
    const key = `originals/${randomBytes(8).toString('hex')}.pdf`;
    await s3.putStream(key, blocksOf(3).body, 'application/pdf', 3 * MiB);
    const head = await rawClient.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect({ type: head.ContentType, length: head.ContentLength }).toEqual({ type: 'application/pdf', length: 3 * MiB });
  });
});
