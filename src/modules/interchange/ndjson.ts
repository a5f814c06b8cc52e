import type { Writable } from 'node:stream';

// NDJSON in and out, for the streamed imports and exports: a line reader with a length cap and a writer that
// waits for the reader on the other side (backpressure) and notices when it has gone away.

/** One line of the input: its 1-based number and text, or `tooLong` when it passed the cap (its text is dropped). */
export type NdjsonLine = { line: number; text: string } | { line: number; tooLong: true };

export const defaultMaxLineBytes = 5 * 1024 * 1024;

/**
 * Splits a byte stream into lines (LF, with an optional CR before it), skipping blank ones. A line longer than
 * `maxLineBytes` is reported as `tooLong` and skipped to the next newline, holding at most the cap in memory.
 * The last line needs no newline. A stream that fails (a client that went away) throws from the iteration.
 */
export async function* readNdjsonLines(
  source: AsyncIterable<Buffer | string>,
  { maxLineBytes = defaultMaxLineBytes }: { maxLineBytes?: number } = {},
): AsyncGenerator<NdjsonLine> {
  let pieces: Buffer[] = [];
  let pending = 0;
  let isSkipping = false;
  let line = 0;
  const take = (): NdjsonLine | undefined => {
    line++;
    if (isSkipping) {
      isSkipping = false;
      return { line, tooLong: true };
    }
    const whole = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces, pending);
    pieces = [];
    pending = 0;
    const end = whole.length > 0 && whole[whole.length - 1] === 0x0d ? whole.length - 1 : whole.length;
    const text = whole.toString('utf8', 0, end);
    return text.trim() === '' ? undefined : { line, text };
  };
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let newline = bytes.indexOf(0x0a, start); newline !== -1; newline = bytes.indexOf(0x0a, start)) {
      if (!isSkipping) add(bytes.subarray(start, newline));
      start = newline + 1;
      const next = take();
      if (next) yield next;
    }
    if (!isSkipping && start < bytes.length) add(bytes.subarray(start));
  }
  if (pending > 0 || isSkipping) {
    const last = take();
    if (last) yield last;
  }

  function add(part: Buffer): void {
    if (pending + part.length > maxLineBytes) {
      pieces = [];
      pending = 0;
      isSkipping = true;
      return;
    }
    // A copy: the source may reuse its buffer for the next chunk.
    pieces.push(Buffer.from(part));
    pending += part.length;
  }
}

/** Thrown by a write once the reader has gone away: the producer stops. */
export class ReaderGoneError extends Error {
  override name = 'ReaderGoneError';
  constructor() {
    super('the reader of the stream went away');
  }
}

export interface NdjsonWriter {
  /** Writes one value as a line; resolves once it may write more (after 'drain' when the buffer is full). */
  write(value: unknown): Promise<void>;
  /** Sends what is buffered and ends the stream. */
  end(): Promise<void>;
  /** Whether the reader went away (the connection closed before the end). */
  isGone(): boolean;
}

/**
 * Writes NDJSON to a stream (an HTTP response), in chunks of about `chunkBytes` (0: each line at once, for
 * answers that should arrive as they are made), waiting for 'drain' whenever the stream's buffer is full so
 * memory stays flat however slow the reader. A write after the reader went away throws ReaderGoneError.
 */
export function createNdjsonWriter(out: Writable, { chunkBytes = 0 }: { chunkBytes?: number } = {}): NdjsonWriter {
  let buffered = '';
  let isGone = false;
  const markGone = () => {
    if (!out.writableFinished) isGone = true;
  };
  out.once('close', markGone);
  out.once('error', markGone);

  async function flush(): Promise<void> {
    if (isGone || out.destroyed) throw new ReaderGoneError();
    const chunk = buffered;
    buffered = '';
    if (out.write(chunk)) return;
    // The buffer is full: wait for the reader, or for the connection to close.
    await new Promise<void>((resolve) => {
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
    });
    if (isGone || out.destroyed) throw new ReaderGoneError();
  }

  return {
    async write(value) {
      buffered += `${JSON.stringify(value)}\n`;
      if (buffered.length >= chunkBytes) await flush();
    },
    async end() {
      if (buffered) await flush();
      if (isGone || out.destroyed) throw new ReaderGoneError();
      await new Promise<void>((resolve) => out.end(resolve));
    },
    isGone: () => isGone || out.destroyed,
  };
}
