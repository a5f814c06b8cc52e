import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { assertValidKey } from './storage-key.ts';
import type { MediaStorage } from './media-storage.ts';

export interface S3StorageOptions {
  /** S3-compatible endpoint (MinIO, R2…); unset for AWS S3 itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `endpoint/bucket/key` addressing, as most self-hosted stores need. */
  forcePathStyle?: boolean;
}

// Only a missing key means "absent"; a missing bucket (NoSuchBucket, also a 404) must fail loudly.
const isMissingKey = (error: unknown) => (error as { name?: string }).name === 'NoSuchKey';
// A HEAD answer has no body, so the SDK can only name it by its status.
const isMissingHead = (error: unknown) => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NotFound' || name === 'NoSuchKey' || $metadata?.httpStatusCode === 404;
};

/** Objects in an S3-compatible bucket: a PutObject is atomic there, readers never see half an object. */
export function createS3Storage(options: S3StorageOptions): MediaStorage {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Checksums only where S3 demands them: many S3-compatible stores reject or mangle the newer default ones.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;

  return {
    async put(key, data, contentType) {
      assertValidKey(key);
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: data, ContentType: contentType, ContentLength: data.length }));
    },

    // One PutObject streamed with its length: S3 takes up to 5 GB so, far above any upload limit, and stores
    // nothing of a body cut short. (@aws-sdk/lib-storage's multipart upload is not a dependency here.)
    async putStream(key, body, contentType, sizeBytes) {
      assertValidKey(key);
      // The SDK does not notice a body that fails: the request would wait for the rest forever. It is cut off instead.
      const abort = new AbortController();
      let bodyError: unknown;
      const onBodyError = (error: unknown) => {
        bodyError = error;
        abort.abort(error);
      };
      body.once('error', onBodyError);
      try {
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType, ContentLength: sizeBytes }), {
          abortSignal: abort.signal,
        });
      } catch (error) {
        throw bodyError ?? error;
      } finally {
        body.off('error', onBodyError);
        body.destroy();
      }
    },

    async get(key) {
      assertValidKey(key);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        const data = Buffer.from(await object.Body!.transformToByteArray());
        return { data, contentType: object.ContentType ?? 'application/octet-stream' };
      } catch (error) {
        if (isMissingKey(error)) return null;
        throw error;
      }
    },

    async open(key) {
      assertValidKey(key);
      let size: number;
      try {
        size = (await client.send(new HeadObjectCommand({ Bucket, Key: key }))).ContentLength ?? 0;
      } catch (error) {
        if (isMissingHead(error)) return null;
        throw error;
      }
      return {
        size,
        // Only the span is downloaded; in Node the SDK's body is a Readable.
        read: async (span) =>
          (await client.send(new GetObjectCommand({ Bucket, Key: key, ...(span ? { Range: `bytes=${span.start}-${span.end}` } : {}) })))
            .Body as Readable,
      };
    },

    async delete(key) {
      assertValidKey(key);
      // S3 answers 204 for a missing key too, so deleting twice is fine.
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async exists(key) {
      assertValidKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (error) {
        if (isMissingHead(error)) return false;
        throw error;
      }
    },
  };
}
