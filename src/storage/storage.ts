// The storage contract lives in media-storage.ts so the drivers can implement it without importing this file back.
export type { ByteSpan, MediaStorage, OpenedObject } from './media-storage.ts';

// Every method of every driver throws InvalidStorageKeyError for a key outside [a-z0-9/._-], with "..", or absolute.
export { assertValidKey, InvalidStorageKeyError } from './storage-key.ts';
export { createLocalStorage, type LocalStorageOptions } from './local-storage.ts';
export { createS3Storage, type S3StorageOptions } from './s3-storage.ts';
