import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage, type MediaStorage } from '../../src/storage/storage.ts';
import { describeStorageContract } from './storage-contract.ts';

let rootDir: string;
let storage: MediaStorage;
beforeAll(() => {
  rootDir = mkdtempSync(join(tmpdir(), 'cms-storage-'));
  storage = createLocalStorage(rootDir);
});
afterAll(() => rmSync(rootDir, { recursive: true, force: true }));

const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();

describeStorageContract('local driver', () => storage, { isStoreAtomicUnderRace: true });

/**
 * An open() whose file handle writes the first chunk and then fails, as a full disk or a crash would;
 * `duringWrite` runs at the moment of failure, with half the object already on disk.
 */
function failingMidway(duringWrite: () => Promise<void>): typeof open {
  return (async (...args: Parameters<typeof open>) => {
    const handle = await open(...args);
    let writes = 0;
    const write = async (...writeArgs: unknown[]) => {
      if (++writes > 1) {
        await duringWrite();
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return (handle.write as (...a: unknown[]) => ReturnType<FileHandle['write']>)(...writeArgs);
    };
    return { write, sync: () => handle.sync(), close: () => handle.close() } as unknown as FileHandle;
  }) as typeof open;
}

describe('local driver: crash safety and layout', () => {
  const bigObject = () => randomBytes(2 * 1024 * 1024 + 5); // three 1 MiB chunks: the write fails after the first

  it('when a write fails midway, then the half-written object is never visible and its temporary file is removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cms-storage-crash-'));
    try {
      const observed: Array<{ exists: boolean; get: unknown; temporaryFiles: string[] }> = [];
      const crashing = createLocalStorage(dir, {
        openFile: failingMidway(async () => {
          observed.push({
            exists: await crashing.exists('originals/half.jpg'),
            get: await crashing.get('originals/half.jpg'),
            temporaryFiles: filesUnder(dir).filter((f) => f.endsWith('.tmp')),
          });
        }),
      });

      await expect(crashing.put('originals/half.jpg', bigObject(), 'image/jpeg')).rejects.toThrow(/ENOSPC/);

      // At the moment of failure the partial data sat in a temporary file, unreachable through the API.
      expect(observed).toHaveLength(1);
      expect(observed[0]!.temporaryFiles).toHaveLength(1);
      expect(observed[0]).toMatchObject({ exists: false, get: null });
      // Afterwards: nothing under the key, no temporary file left behind.
      expect(await crashing.exists('originals/half.jpg')).toBe(false);
      expect(filesUnder(dir).filter((f) => f.endsWith('.tmp') || f === 'originals/half.jpg')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a write over an existing object fails midway, then the old object stays whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cms-storage-crash-'));
    try {
      const original = randomBytes(5000);
      await createLocalStorage(dir).put('originals/kept.jpg', original, 'image/jpeg');
      const seenDuringWrite: Array<Buffer | undefined> = [];
      const crashing = createLocalStorage(dir, {
        openFile: failingMidway(async () => void seenDuringWrite.push((await crashing.get('originals/kept.jpg'))?.data)),
      });

      await expect(crashing.put('originals/kept.jpg', bigObject(), 'image/jpeg')).rejects.toThrow(/ENOSPC/);

      expect(seenDuringWrite.map((d) => d?.equals(original))).toEqual([true]);
      const after = await crashing.get('originals/kept.jpg');
      expect(after?.data.equals(original)).toBe(true);
      expect(after?.contentType).toBe('image/jpeg');
      expect(filesUnder(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the rename cannot happen, then the temporary file is removed and the error surfaces', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cms-storage-crash-'));
    try {
      // A non-empty folder where the file should go: the rename fails after the data was fully written.
      mkdirSync(join(dir, 'originals', 'taken.jpg', 'inside'), { recursive: true });
      await expect(createLocalStorage(dir).put('originals/taken.jpg', randomBytes(100), 'image/jpeg')).rejects.toThrow();
      expect(filesUnder(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when an object is stored, then it is a plain file at root/key with its content type in a sidecar', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cms-storage-layout-'));
    try {
      await createLocalStorage(dir).put('renditions/abc.webp', Buffer.from('webp bytes'), 'image/webp');
      expect(filesUnder(dir)).toEqual(['renditions/abc.webp', 'renditions/abc.webp~type']);
      expect(readFileSync(join(dir, 'renditions/abc.webp'), 'utf8')).toBe('webp bytes');
      expect(readFileSync(join(dir, 'renditions/abc.webp~type'), 'utf8')).toBe('image/webp');
      await createLocalStorage(dir).delete('renditions/abc.webp');
      expect(filesUnder(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a file was placed without a sidecar, then its content type comes from its extension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cms-storage-layout-'));
    try {
      mkdirSync(join(dir, 'originals'));
      writeFileSync(join(dir, 'originals', 'by-hand.pdf'), '%PDF-1.4');
      writeFileSync(join(dir, 'originals', 'by-hand.xyz'), 'x');
      const local = createLocalStorage(dir);
      expect((await local.get('originals/by-hand.pdf'))?.contentType).toBe('application/pdf');
      expect((await local.get('originals/by-hand.xyz'))?.contentType).toBe('application/octet-stream');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the root folder does not exist yet, then the first put creates it', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'cms-storage-root-'));
    try {
      const local = createLocalStorage(join(parent, 'not', 'yet'));
      expect(await local.exists('originals/x.jpg')).toBe(false);
      await local.put('originals/x.jpg', Buffer.from('x'), 'image/jpeg');
      expect(existsSync(join(parent, 'not', 'yet', 'originals', 'x.jpg'))).toBe(true);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('when a key names a folder rather than a file, then get returns null and exists is false', async () => {
    await storage.put('originals/folder/inside.jpg', Buffer.from('x'), 'image/jpeg');
    expect(await storage.exists('originals/folder')).toBe(false);
    await expect(storage.get('originals/folder')).resolves.toBeNull();
  });
});
