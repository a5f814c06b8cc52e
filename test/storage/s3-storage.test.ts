import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage, type MediaStorage } from '../../src/storage/storage.ts';
import { describeStorageContract } from './storage-contract.ts';

// A real S3-compatible server (s3rver) on a free port of 127.0.0.1, its buckets in a temporary folder.
let server: S3rver;
let serverDir: string;
let endpoint: string;
let storage: MediaStorage;
let rawClient: S3Client;
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const bucket = 'cms-media-test';

beforeAll(async () => {
  serverDir = mkdtempSync(join(tmpdir(), 'cms-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: serverDir });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  rawClient = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await rawClient.send(new CreateBucketCommand({ Bucket: bucket }));
  storage = createS3Storage({ endpoint, region: 'us-east-1', bucket, forcePathStyle: true, ...credentials });
});
afterAll(async () => {
  rawClient?.destroy();
  await server?.close();
  if (serverDir) rmSync(serverDir, { recursive: true, force: true });
});

describeStorageContract('S3 driver on s3rver', () => storage, { isStoreAtomicUnderRace: false });

describe('S3 driver: what lands in the bucket', () => {
  it('when an object is put, then the bucket holds it under the same key with its content type and length', async () => {
    const key = `originals/${randomBytes(8).toString('hex')}.png`;
    await storage.put(key, randomBytes(1234), 'image/png');
    const head = await rawClient.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentType).toBe('image/png');
    expect(head.ContentLength).toBe(1234);
  });

  it('when the bucket does not exist, then get and put fail loudly instead of reporting a missing object', async () => {
    const misconfigured = createS3Storage({
      endpoint,
      region: 'us-east-1',
      bucket: 'no-such-bucket',
      forcePathStyle: true,
      ...credentials,
    });
    await expect(misconfigured.get('originals/x.jpg')).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(misconfigured.put('originals/x.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});
