import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidStorageKeyError, type MediaStorage } from '../../src/storage/storage.ts';

/** Keys that every driver must refuse, each with why. */
export const invalidKeys: [string, string][] = [
  ['../escape.jpg', 'a parent segment'],
  ['originals/../../escape.jpg', 'a parent segment inside'],
  ['originals/a..b.jpg', '".." inside a name'],
  ['/etc/passwd', 'an absolute path'],
  ['originals\\x.jpg', 'a backslash'],
  ['Originals/X.JPG', 'upper case'],
  ['originals//x.jpg', 'an empty segment'],
  ['originals/', 'a trailing slash'],
  ['./x.jpg', 'a "." segment'],
  ['', 'nothing'],
  ['originals/x y.jpg', 'a space'],
  ['originals/x.jpg~type', 'a character outside [a-z0-9/._-]'],
  ['originals/фото.jpg', 'non-ASCII letters'],
  ['originals/x.jpg\0', 'a NUL byte'],
];

export interface ContractOptions {
  /**
   * Whether the store behind the driver can be raced against. False for s3rver, which writes objects
   * in place (real S3 swaps them atomically), so the race says nothing about our driver there.
   */
  isStoreAtomicUnderRace: boolean;
}

/** The behaviour every MediaStorage driver promises; `storage()` is read inside each test. */
export function describeStorageContract(name: string, storage: () => MediaStorage, options: ContractOptions) {
  describe(`${name}: the storage contract`, () => {
    const uniqueKey = (ext = 'jpg') => `originals/${randomBytes(8).toString('hex')}.${ext}`;

    it('when an object is put, then get returns the same bytes and content type, and exists is true', async () => {
      const key = uniqueKey();
      const data = randomBytes(4096);
      await storage().put(key, data, 'image/jpeg');
      const stored = await storage().get(key);
      expect(stored?.contentType).toBe('image/jpeg');
      expect(stored?.data.equals(data)).toBe(true);
      expect(await storage().exists(key)).toBe(true);
    });

    it('when a key was never put, then get returns null and exists is false', async () => {
      const key = uniqueKey();
      expect(await storage().get(key)).toBeNull();
      expect(await storage().exists(key)).toBe(false);
    });

    it('when a content type does not match the extension, then the one given to put is kept', async () => {
      const key = uniqueKey('bin');
      await storage().put(key, Buffer.from('x'), 'application/x-custom; charset=utf-8');
      expect((await storage().get(key))?.contentType).toBe('application/x-custom; charset=utf-8');
    });

    it('when every byte value and an empty object are stored, then both round-trip exactly', async () => {
      const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const full = uniqueKey('bin');
      const empty = uniqueKey('bin');
      await storage().put(full, allBytes, 'application/octet-stream');
      await storage().put(empty, Buffer.alloc(0), 'application/octet-stream');
      expect((await storage().get(full))?.data.equals(allBytes)).toBe(true);
      expect((await storage().get(empty))?.data.length).toBe(0);
      expect(await storage().exists(empty)).toBe(true);
    });

    it('when an object of several megabytes is put, then it comes back whole', async () => {
      const key = uniqueKey('mp4');
      const data = randomBytes(3 * 1024 * 1024 + 17);
      await storage().put(key, data, 'video/mp4');
      expect((await storage().get(key))?.data.equals(data)).toBe(true);
    });

    it('when an object is opened, then its size is known at once and its bytes are read whole or in any span', async () => {
      const key = uniqueKey('mp4');
      const data = randomBytes(2 * 1024 * 1024 + 5);
      await storage().put(key, data, 'video/mp4');
      const readAll = async (span?: { start: number; end: number }) => {
        const chunks: Buffer[] = [];
        for await (const chunk of await (await storage().open(key))!.read(span)) chunks.push(Buffer.from(chunk as Uint8Array));
        return Buffer.concat(chunks);
      };
      expect((await storage().open(key))?.size).toBe(data.length);
      expect((await readAll()).equals(data)).toBe(true);
      // Safari's first probe (0-1), a seek, the tail. (Not 0-0: s3rver reads an end of 0 as "to the end"; S3 does not.)
      for (const [start, end] of [
        [0, 1],
        [1_000_000, 1_000_099],
        [data.length - 7, data.length - 1],
      ] as const) {
        expect((await readAll({ start, end })).equals(data.subarray(start, end + 1))).toBe(true);
      }
      expect(await storage().open(uniqueKey())).toBeNull();
      await expect(storage().open('../escape.jpg')).rejects.toBeInstanceOf(InvalidStorageKeyError);
    });

    it('when keys are nested several folders deep, then they are stored and read like any other', async () => {
      const key = `renditions/ab/cd/${randomBytes(4).toString('hex')}_w-320.webp`;
      await storage().put(key, Buffer.from('nested'), 'image/webp');
      expect((await storage().get(key))?.data.toString()).toBe('nested');
    });

    it('when a key is put twice, then the second object replaces the first whole, type included', async () => {
      const key = uniqueKey('bin');
      await storage().put(key, randomBytes(10_000), 'image/png');
      const second = randomBytes(100);
      await storage().put(key, second, 'image/webp');
      const stored = await storage().get(key);
      expect(stored?.data.equals(second)).toBe(true);
      expect(stored?.contentType).toBe('image/webp');
    });

    it('when an object is deleted, then it is gone, and deleting it again is not an error', async () => {
      const key = uniqueKey();
      await storage().put(key, Buffer.from('bye'), 'image/jpeg');
      await storage().delete(key);
      expect(await storage().get(key)).toBeNull();
      expect(await storage().exists(key)).toBe(false);
      await expect(storage().delete(key)).resolves.toBeUndefined();
    });

    it.skipIf(!options.isStoreAtomicUnderRace)(
      'when puts race on one key, then a reader only ever sees one of the whole objects',
      async () => {
        const key = uniqueKey('bin');
        const versions = [randomBytes(512 * 1024), randomBytes(256 * 1024), randomBytes(768 * 1024)];
        await storage().put(key, versions[0]!, 'application/octet-stream');
        const reads: Array<Buffer | undefined> = [];
        const writing = Promise.all(versions.map((data) => storage().put(key, data, 'application/octet-stream')));
        for (let i = 0; i < 5; i++) reads.push((await storage().get(key))?.data);
        await writing;
        reads.push((await storage().get(key))?.data);
        for (const read of reads) expect(versions.some((v) => read?.equals(v))).toBe(true);
      },
    );

    describe('when a key is unsafe, then every method throws', () => {
      for (const [key, why] of invalidKeys) {
        it(`${JSON.stringify(key)} (${why})`, async () => {
          await expect(storage().put(key, Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(InvalidStorageKeyError);
          await expect(storage().get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
          await expect(storage().exists(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
          await expect(storage().delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
        });
      }
    });
  });
}
