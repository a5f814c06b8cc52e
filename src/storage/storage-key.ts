/** Thrown for a key that could escape the storage root or that a driver could not store as named. */
export class InvalidStorageKeyError extends Error {
  constructor(key: string) {
    super(`Invalid storage key: ${JSON.stringify(key)} (use relative paths of [a-z0-9/._-], no "..", no empty segments)`);
    this.name = 'InvalidStorageKeyError';
  }
}

// Lower-case segments of [a-z0-9._-] joined by single slashes: no absolute paths, no backslashes, no empty segments.
const keyPattern = /^[a-z0-9._-]+(\/[a-z0-9._-]+)*$/;

/** Throws unless the key is a safe relative path; `..` is refused anywhere, even inside a name. */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key.length > 1024 || !keyPattern.test(key) || key.includes('..') || key.split('/').includes('.')) {
    throw new InvalidStorageKeyError(String(key));
  }
}
