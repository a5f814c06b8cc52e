/** Where uploaded media files live; keys are relative paths such as `originals/<sha256>.jpg`. */
export interface MediaStorage {
  /** Writes atomically: the object is visible whole or not at all. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The object and the content type given to `put`; null when there is none. */
  get(key: string): Promise<{ data: Buffer; contentType: string } | null>;
  /** Removes the object; a missing one is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

// Every method of every driver throws InvalidStorageKeyError for a key outside [a-z0-9/._-], with "..", or absolute.
export { assertValidKey, InvalidStorageKeyError } from './storage-key.ts';
export { createLocalStorage, type LocalStorageOptions } from './local-storage.ts';
export { createS3Storage, type S3StorageOptions } from './s3-storage.ts';
