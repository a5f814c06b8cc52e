import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { assertValidKey, InvalidStorageKeyError } from './storage-key.ts';
import type { MediaStorage } from './media-storage.ts';

// Internal files carry a `~`, which no valid key may contain, so get/exists/put can never reach them.
const typeSuffix = '~type';
const chunkBytes = 1024 * 1024;

export const extensionTypes: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  mp4: 'video/mp4',
  webm: 'video/webm',
  pdf: 'application/pdf',
};

export interface LocalStorageOptions {
  /** Opens the temporary file; tests pass one whose writes fail midway. */
  openFile?: typeof open;
}

// A folder where a file was asked for is no object either (S3 has no folders).
const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR', 'EISDIR'].includes((error as { code?: string }).code ?? '');

/** The content type for a file without a sidecar (written by hand, or by an older version). */
function typeFromExtension(key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1);
  return extensionTypes[ext] ?? 'application/octet-stream';
}

/**
 * Files under a folder. Each object is written to a temporary file in its final directory, fsynced,
 * then renamed over the final name (atomic on POSIX), so readers see the whole object or none.
 * The content type is kept in a sidecar `<file>~type`, written (atomically too) before the data;
 * a file without a sidecar gets the type of its extension.
 */
export function createLocalStorage(rootDir: string, options: LocalStorageOptions = {}): MediaStorage {
  const root = resolve(rootDir);
  const openFile = options.openFile ?? open;

  const pathOf = (key: string) => {
    assertValidKey(key);
    const path = resolve(root, key);
    // Belt and braces: the key pattern already keeps paths under the root.
    if (!path.startsWith(root + sep)) throw new InvalidStorageKeyError(key);
    return path;
  };

  /** Writes the chunks to a temporary file beside `path`, fsyncs it and renames it over `path`. */
  async function writeAtomically(
    path: string,
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    sizeBytes?: number,
  ): Promise<void> {
    const directory = dirname(path);
    await mkdir(directory, { recursive: true });
    const temporary = join(directory, `${basename(path)}~${randomBytes(8).toString('hex')}.tmp`);
    try {
      const file = await openFile(temporary, 'wx', 0o644);
      try {
        let position = 0;
        for await (const chunk of chunks) {
          let written = 0;
          while (written < chunk.length) {
            written += (await file.write(chunk, written, chunk.length - written, position + written)).bytesWritten;
          }
          position += chunk.length;
        }
        if (sizeBytes !== undefined && position !== sizeBytes) {
          throw new Error(`The stream for ${basename(path)} had ${position} bytes, not the ${sizeBytes} announced.`);
        }
        // Durable before visible: without the fsync a crash after the rename could leave an empty file.
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await syncDirectory(directory);
  }

  return {
    async put(key, data, contentType) {
      const path = pathOf(key);
      await writeAtomically(`${path}${typeSuffix}`, [Buffer.from(contentType, 'utf8')]);
      await writeAtomically(path, chunksOf(data));
    },

    async putStream(key, body, contentType, sizeBytes) {
      const path = pathOf(key);
      try {
        await writeAtomically(`${path}${typeSuffix}`, [Buffer.from(contentType, 'utf8')]);
        await writeAtomically(path, body, sizeBytes);
      } finally {
        // Stopped early (a failed write): the source is closed, not left open.
        body.destroy();
      }
    },

    async get(key) {
      const path = pathOf(key);
      let data: Buffer;
      try {
        data = await readFile(path);
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
      const contentType = await readFile(`${path}${typeSuffix}`, 'utf8').catch((error: unknown) => {
        if (isMissing(error)) return typeFromExtension(key);
        throw error;
      });
      return { data, contentType };
    },

    async open(key) {
      const path = pathOf(key);
      let size: number;
      try {
        const facts = await stat(path);
        if (!facts.isFile()) return null;
        size = facts.size;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
      // Files are written once under their content's hash, so the size read now is the size read later.
      return { size, read: async (span) => createReadStream(path, span ? { start: span.start, end: span.end } : {}) };
    },

    async delete(key) {
      const path = pathOf(key);
      // Data first: a crash in between leaves an orphan sidecar, which is invisible, never a typeless file.
      await rm(path, { force: true });
      await rm(`${path}${typeSuffix}`, { force: true });
    },

    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}

// 1 MiB writes: a large object is not written in one call.
function* chunksOf(data: Buffer): Iterable<Buffer> {
  for (let offset = 0; offset < data.length; offset += chunkBytes) yield data.subarray(offset, offset + chunkBytes);
}

// Makes the rename itself durable; some platforms cannot open a directory, which is then left as is.
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // Best effort: the data file itself is already fsynced.
  } finally {
    await handle?.close();
  }
}
