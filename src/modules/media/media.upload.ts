import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import { AppError, ValidationError } from '../../errors.ts';
import type { MediaKind } from '../../generated/sqlite/client.ts';
import { detectAllowedType, sniffLength, type AllowedType } from './media.types.ts';

/**
 * A file read from an upload request, with what was said about it. Its bytes are in a temporary file
 * (or, for the demo's pictures, in memory): never held whole, whatever its size.
 */
export interface ReceivedFile {
  sizeBytes: number;
  /** sha256 of the bytes, hex, computed while they streamed in. */
  contentHash: string;
  type: AllowedType;
  /** The client's name for it: informational only, never used to decide the type. */
  fileName: string | null;
  /** Metadata form fields (multipart); the raw upload takes them from the query. */
  fields: Record<string, string>;
  /** The bytes as a new stream, from the start. */
  read(): Readable;
  /** What the image library reads an image from: the temporary file's path, or the bytes. */
  imageSource: string | Buffer;
  /** Removes the temporary file; called once the upload is done, stored or refused. */
  dispose(): Promise<void>;
}

export type MaxBytes = Record<MediaKind, number>;

export interface UploadLimits {
  /** Largest accepted file per kind. */
  maxBytes: MaxBytes;
  /** Where an upload's bytes wait, in a temporary file, until they are stored. */
  tempDir: string;
}

/** A file received into a temporary file. */
interface TemporaryFile {
  path: string;
  sizeBytes: number;
  contentHash: string;
  type: AllowedType;
}

const maxFormFields = 20;
const maxFieldBytes = 4000;
// Temporary files carry this prefix, so an operator (and a test) can tell them apart in a shared folder.
export const temporaryFilePrefix = 'cms-upload-';

export function unsupportedType(): AppError {
  return new AppError(
    415,
    'unsupported_media_type',
    'Unsupported media type',
    'The file is not one of the accepted types, judged by its content: JPEG, PNG, WebP, AVIF, GIF, MP3, M4A, OGG, MP4, WebM or PDF.',
  );
}

function tooLarge(kind: MediaKind | undefined, limit: number): AppError {
  return new AppError(
    413,
    'payload_too_large',
    'Payload too large',
    `The file is larger than the ${limit} bytes accepted${kind ? ` for ${kind} files` : ''}.`,
    { limitBytes: limit, ...(kind ? { kind } : {}) },
  );
}

const emptyFile = () => new ValidationError('The upload has no file content.', [{ field: 'body.file', message: 'Empty file' }]);
const aborted = () => new AppError(400, 'request_aborted', 'Request aborted', 'The upload was cut off before its end.');

/**
 * Streams the file of a stream into a temporary file while hashing it, deciding its type from the
 * first bytes: refused as soon as it is of a type not accepted (415, before any file is made) or longer
 * than the limit of its kind (413); nothing more is read then. A refused, failed or aborted file leaves
 * no temporary file behind. Memory holds the first bytes and the chunks in flight, whatever the size.
 */
function receiveFileStream(stream: Readable, limits: UploadLimits, abort: AbortSignal): Promise<TemporaryFile> {
  const { maxBytes, tempDir } = limits;
  const overall = Math.max(...Object.values(maxBytes));
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let length = 0;
    let type: AllowedType | undefined;
    let out: WriteStream | undefined;
    let path: string | undefined;
    let settled = false;

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      stream.removeListener('data', onData);
      stream.pause();
      abort.removeEventListener('abort', onAbort);
      // Closed before removed: a file still being opened would otherwise appear after the removal.
      const closed = out ? finished(out.destroy()).catch(() => undefined) : Promise.resolve();
      const removed = closed.then(() => (path ? rm(path, { force: true }) : undefined));
      removed.then(
        () => reject(error),
        () => reject(error),
      );
    };
    const onAbort = () => fail(aborted());
    const limitOf = () => (type ? maxBytes[type.kind] : overall);
    let accepting: Promise<void> | undefined;
    // The first bytes decide, once: an accepted type gets its temporary file, which they start.
    const accept = () => (accepting ??= startFile());
    const startFile = async () => {
      const detected = await detectAllowedType(Buffer.concat(head).subarray(0, sniffLength));
      if (!detected) throw unsupportedType();
      type = detected;
      if (length > limitOf()) throw tooLarge(type.kind, limitOf());
      await mkdir(tempDir, { recursive: true });
      if (settled) return;
      path = join(tempDir, `${temporaryFilePrefix}${randomBytes(12).toString('hex')}.part`);
      out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      out.once('error', fail);
      for (const chunk of head.splice(0)) out.write(chunk);
    };
    function onData(chunk: Buffer): void {
      if (settled) return;
      length += chunk.length;
      if (length > limitOf()) {
        fail(tooLarge(type?.kind, limitOf()));
        return;
      }
      hash.update(chunk);
      if (!out) {
        head.push(chunk);
        if (accepting || length < sniffLength) return;
        // Wait for the verdict before reading on, so that a refused file is not read further.
        stream.pause();
        accept().then(() => !settled && stream.resume(), fail);
        return;
      }
      // The disk is slower than the network: stop reading until the file has taken what it was given.
      if (!out.write(chunk)) {
        stream.pause();
        out.once('drain', () => !settled && stream.resume());
      }
    }
    const onEnd = async () => {
      if (settled) return;
      if (length === 0) return fail(emptyFile());
      // 'end' may come while the verdict on the first bytes is still awaited (a body shorter than a chunk).
      await accept();
      if (settled) return;
      out!.end();
      await finished(out!);
      if (settled) return;
      settled = true;
      abort.removeEventListener('abort', onAbort);
      resolve({ path: path!, sizeBytes: length, contentHash: hash.digest('hex'), type: type! });
    };

    if (abort.aborted) return fail(aborted());
    abort.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData);
    stream.once('error', fail);
    stream.once('end', () => onEnd().catch(fail));
  });
}

function declaredLength(req: Request): number | undefined {
  const value = req.get('content-length');
  return value === undefined ? undefined : Number(value);
}

// A refused upload: the rest of the body is not read, and the connection is not kept for another request.
export function stopReading(req: Request): void {
  req.unpipe();
  req.res?.set('Connection', 'close');
  req.resume();
}

// The client went away mid-body: whatever reads the body stops and removes what it wrote.
function abortSignalOf(req: Request): AbortSignal {
  const controller = new AbortController();
  const onClose = () => {
    if (!req.complete) controller.abort();
  };
  req.once('close', onClose);
  req.once('error', () => controller.abort());
  return controller.signal;
}

function fromTemporaryFile(file: TemporaryFile, fileName: string | null, fields: Record<string, string>): ReceivedFile {
  return {
    sizeBytes: file.sizeBytes,
    contentHash: file.contentHash,
    type: file.type,
    fileName,
    fields,
    read: () => createReadStream(file.path),
    imageSource: file.path,
    dispose: () => rm(file.path, { force: true }),
  };
}

/**
 * The file of an upload request: `multipart/form-data` with a `file` part and metadata fields, or
 * the file itself as the body (any Content-Type) with metadata in the query. The caller disposes of it.
 */
export async function receiveUpload(req: Request, limits: UploadLimits): Promise<ReceivedFile> {
  const overall = Math.max(...Object.values(limits.maxBytes));
  // Multipart overhead aside, a body declared longer than any accepted file is refused unread.
  if ((declaredLength(req) ?? 0) > overall + 64 * 1024) {
    stopReading(req);
    throw tooLarge(undefined, overall);
  }
  const abort = abortSignalOf(req);
  try {
    if (req.is('multipart/form-data')) return await receiveMultipart(req, limits, abort);
    const file = await receiveFileStream(req, limits, abort);
    return fromTemporaryFile(file, typeof req.query.filename === 'string' ? req.query.filename : null, {});
  } catch (error) {
    stopReading(req);
    throw error;
  }
}

/** A file already in memory (the demo content's), checked as an upload's body is: typed by its content, within the limits. */
export async function receiveBytes(data: Buffer, maxBytes: MaxBytes, fileName: string | null = null): Promise<ReceivedFile> {
  if (data.length === 0) throw emptyFile();
  const type = await detectAllowedType(data.subarray(0, sniffLength));
  if (!type) throw unsupportedType();
  if (data.length > maxBytes[type.kind]) throw tooLarge(type.kind, maxBytes[type.kind]);
  return {
    sizeBytes: data.length,
    contentHash: createHash('sha256').update(data).digest('hex'),
    type,
    fileName,
    fields: {},
    read: () => Readable.from([data]),
    imageSource: data,
    // In memory: nothing to remove.
    dispose: async () => undefined,
  };
}

function receiveMultipart(req: Request, limits: UploadLimits, abort: AbortSignal): Promise<ReceivedFile> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: {
          files: 1,
          fields: maxFormFields,
          fieldSize: maxFieldBytes,
          parts: maxFormFields + 1,
          fileSize: Math.max(...Object.values(limits.maxBytes)) + 1,
        },
      });
    } catch {
      reject(new AppError(400, 'bad_request', 'Bad request', 'The multipart body has no boundary.'));
      return;
    }
    const fields: Record<string, string> = {};
    let file: Promise<TemporaryFile> | undefined;
    let received: TemporaryFile | undefined;
    let fileName: string | null = null;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      // A file already received (the form failed after it) goes too; one still streaming removes itself.
      const removed = received ? rm(received.path, { force: true }) : Promise.resolve();
      removed.then(
        () => reject(error),
        () => reject(error),
      );
    };
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return fail(
          new ValidationError('The upload has an unknown file field.', [
            { field: `body.${name}`, message: 'Unknown field; send the file as `file`' },
          ]),
        );
      }
      fileName = info.filename ?? null;
      file = receiveFileStream(stream, limits, abort);
      file.then(
        (done) => {
          received = done;
          // The form failed while the file was still coming in.
          if (settled) void rm(done.path, { force: true });
        },
        (error) => {
          stream.resume();
          fail(error);
        },
      );
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated)
        return fail(
          new ValidationError('A form field is too long.', [{ field: `body.${name}`, message: `At most ${maxFieldBytes} bytes` }]),
        );
      fields[name] = value;
    });
    parser.on('fieldsLimit', () => fail(new ValidationError(`The form has more than ${maxFormFields} fields.`)));
    parser.on('partsLimit', () => fail(new ValidationError(`The form has more than ${maxFormFields + 1} parts.`)));
    parser.on('filesLimit', () =>
      fail(new ValidationError('Send one file per upload.', [{ field: 'body.file', message: 'Only one file' }])),
    );
    parser.on('error', () => fail(new AppError(400, 'bad_request', 'Bad request', 'The multipart body is malformed.')));
    parser.on('close', () => {
      if (settled) return;
      if (!file) return fail(new ValidationError('The upload has no file.', [{ field: 'body.file', message: 'Required' }]));
      file.then((done) => {
        if (settled) return;
        settled = true;
        resolve(fromTemporaryFile(done, fileName, fields));
      }, fail);
    });
    // Cut off mid-form: busboy would wait for the rest forever.
    abort.addEventListener('abort', () => fail(aborted()), { once: true });
    req.pipe(parser);
  });
}
