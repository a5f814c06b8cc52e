import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createNdjsonWriter, type NdjsonLine, ReaderGoneError, readNdjsonLines } from '../../src/modules/interchange/ndjson.ts';

async function linesOf(chunks: (string | Buffer)[], maxLineBytes?: number): Promise<NdjsonLine[]> {
  async function* source() {
    yield* chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  }
  const lines: NdjsonLine[] = [];
  for await (const line of readNdjsonLines(source(), maxLineBytes ? { maxLineBytes } : {})) lines.push(line);
  return lines;
}

describe('the NDJSON line reader', () => {
  it('when lines are split across chunks (inside a letter too), then each comes whole, numbered, CR and blank lines dropped', async () => {
    const text = Buffer.from('{"a":"ёж"}\r\n\n{"b":2}\n{"c":3}');
    const cut = text.indexOf(Buffer.from('ж')) + 1;
    expect(await linesOf([text.subarray(0, cut), text.subarray(cut, cut + 5), text.subarray(cut + 5)])).toEqual([
      { line: 1, text: '{"a":"ёж"}' },
      { line: 3, text: '{"b":2}' },
      { line: 4, text: '{"c":3}' },
    ]);
  });

  it('when a line is longer than the cap, then it is reported as too long and the next line is read', async () => {
    expect(await linesOf(['short\n', 'x'.repeat(10), 'y'.repeat(10), '\nafter\n', 'z'.repeat(30)], 16)).toEqual([
      { line: 1, text: 'short' },
      { line: 2, tooLong: true },
      { line: 3, text: 'after' },
      { line: 4, tooLong: true },
    ]);
  });

  it('when the source fails in the middle, then the lines before it were given and the reading throws', async () => {
    const source = new PassThrough();
    const lines = readNdjsonLines(source)[Symbol.asyncIterator]();
    source.write('{"a":1}\n{"b":');
    expect((await lines.next()).value).toEqual({ line: 1, text: '{"a":1}' });
    source.destroy(new Error('aborted'));
    await expect(lines.next()).rejects.toThrow('aborted');
  });
});

describe('the NDJSON writer', () => {
  /** A stream that takes one chunk and holds the next until `release`. */
  function slowReader() {
    const received: string[] = [];
    let release: (() => void) | undefined;
    const out = new Writable({
      // Room for one line of the tests: the second waits.
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk.toString());
        release = done;
      },
    });
    return { out, received, release: () => release?.() };
  }

  it('when the reader is slow, then a write waits for it (backpressure)', async () => {
    const { out, received, release } = slowReader();
    const writer = createNdjsonWriter(out);
    await writer.write({ n: 1 });
    let isSecondDone = false;
    const second = writer.write({ n: 2 }).then(() => {
      isSecondDone = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(isSecondDone).toBe(false);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await second;
    expect(received.join('')).toBe('{"n":1}\n{"n":2}\n');
  });

  it('when the reader goes away, then a waiting write and the next ones throw ReaderGoneError', async () => {
    const { out } = slowReader();
    const writer = createNdjsonWriter(out);
    await writer.write({ n: 1 });
    const waiting = writer.write({ n: 2 });
    out.destroy();
    await expect(waiting).rejects.toBeInstanceOf(ReaderGoneError);
    await expect(writer.write({ n: 3 })).rejects.toBeInstanceOf(ReaderGoneError);
    expect(writer.isGone()).toBe(true);
  });

  it('when lines are chunked, then they are sent together once the chunk is full and the rest at the end', async () => {
    const received: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk.toString());
        done();
      },
    });
    const writer = createNdjsonWriter(out, { chunkBytes: 20 });
    for (const n of [1, 2, 3, 4]) await writer.write({ n });
    await writer.end();
    expect(received).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n', '{"n":4}\n']);
  });
});
