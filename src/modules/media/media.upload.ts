import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { AppError, ValidationError } from '../../errors.ts';
import type { MediaKind } from '../../generated/sqlite/client.ts';
import { detectAllowedType, sniffLength, type AllowedType } from './media.types.ts';

/** A file read from an upload request, whole, with what was said about it. */
export interface ReceivedFile {
  data: Buffer;
  /** sha256 of the bytes, hex. */
  contentHash: string;
  type: AllowedType;
  /** The client's name for it: informational only, never used to decide the type. */
  fileName: string | null;
  /** Metadata form fields (multipart); the raw upload takes them from the query. */
  fields: Record<string, string>;
}

export type MaxBytes = Record<MediaKind, number>;

const maxFormFields = 20;
const maxFieldBytes = 4000;

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

/**
 * Reads the file of a stream, deciding its type from the first bytes and refusing it as soon as it
 * is of a type not accepted (415) or longer than the limit of its kind (413): nothing more is read.
 */
function readFileStream(stream: Readable, maxBytes: MaxBytes): Promise<{ data: Buffer; contentHash: string; type: AllowedType }> {
  const overall = Math.max(...Object.values(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const hash = createHash('sha256');
    let length = 0;
    let type: AllowedType | undefined;
    let detecting: Promise<void> | undefined;
    let settled = false;

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      stream.removeAllListeners('data');
      stream.pause();
      reject(error);
    };
    const limitOf = () => (type ? maxBytes[type.kind] : overall);
    const detect = () => {
      detecting ??= detectAllowedType(Buffer.concat(chunks).subarray(0, sniffLength)).then((detected) => {
        if (!detected) throw unsupportedType();
        type = detected;
        if (length > limitOf()) throw tooLarge(type.kind, limitOf());
      });
      return detecting;
    };

    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      length += chunk.length;
      if (length > limitOf()) return fail(tooLarge(type?.kind, limitOf()));
      chunks.push(chunk);
      hash.update(chunk);
      if (!detecting && length >= sniffLength) {
        // Wait for the verdict before reading on, so that a refused file is not read further.
        stream.pause();
        detect().then(() => !settled && stream.resume(), fail);
      }
    });
    stream.once('error', fail);
    stream.once('end', () => {
      if (settled) return;
      if (length === 0)
        return fail(new ValidationError('The upload has no file content.', [{ field: 'body.file', message: 'Empty file' }]));
      detect().then(() => {
        if (settled) return;
        settled = true;
        resolve({ data: Buffer.concat(chunks, length), contentHash: hash.digest('hex'), type: type! });
      }, fail);
    });
  });
}

function declaredLength(req: Request): number | undefined {
  const value = req.get('content-length');
  return value === undefined ? undefined : Number(value);
}

// A refused upload: the rest of the body is not read, and the connection is not kept for another request.
function stopReading(req: Request): void {
  req.unpipe();
  req.res?.set('Connection', 'close');
  req.resume();
}

/**
 * The file of an upload request: `multipart/form-data` with a `file` part and metadata fields, or
 * the file itself as the body (any Content-Type) with metadata in the query.
 */
export async function receiveUpload(req: Request, maxBytes: MaxBytes): Promise<ReceivedFile> {
  const overall = Math.max(...Object.values(maxBytes));
  // Multipart overhead aside, a body declared longer than any accepted file is refused unread.
  if ((declaredLength(req) ?? 0) > overall + 64 * 1024) {
    stopReading(req);
    throw tooLarge(undefined, overall);
  }
  try {
    return req.is('multipart/form-data') ? await receiveMultipart(req, maxBytes) : await receiveRaw(req, maxBytes);
  } catch (error) {
    stopReading(req);
    throw error;
  }
}

/** A file already in memory (the demo content's), read as an upload's body is: typed by its content, within the limits. */
export async function receiveBytes(data: Buffer, maxBytes: MaxBytes, fileName: string | null = null): Promise<ReceivedFile> {
  const file = await readFileStream(Readable.from([data]), maxBytes);
  return { ...file, fileName, fields: {} };
}

async function receiveRaw(req: Request, maxBytes: MaxBytes): Promise<ReceivedFile> {
  const file = await readFileStream(req, maxBytes);
  const fileName = typeof req.query.filename === 'string' ? req.query.filename : null;
  return { ...file, fileName, fields: {} };
}

function receiveMultipart(req: Request, maxBytes: MaxBytes): Promise<ReceivedFile> {
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
          fileSize: Math.max(...Object.values(maxBytes)) + 1,
        },
      });
    } catch {
      reject(new AppError(400, 'bad_request', 'Bad request', 'The multipart body has no boundary.'));
      return;
    }
    const fields: Record<string, string> = {};
    let file: Promise<{ data: Buffer; contentHash: string; type: AllowedType }> | undefined;
    let fileName: string | null = null;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      reject(error);
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
      file = readFileStream(stream, maxBytes);
      file.catch((error) => {
        stream.resume();
        fail(error);
      });
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
      file.then((received) => {
        if (settled) return;
        settled = true;
        resolve({ ...received, fileName, fields });
      }, fail);
    });
    req.pipe(parser);
  });
}
