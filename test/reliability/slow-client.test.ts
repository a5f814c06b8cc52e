import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../webhooks/server-process.ts';

const headersTimeoutMs = 500;
const requestTimeoutMs = 1000;
const keepAliveTimeoutMs = 300;
// Node's own defaults (60 s, 300 s, 5 s, checked every 30 s) would keep every one of these connections open far longer.
const slack = 1500;

interface Closed {
  ms: number;
  /** Since the server's first bytes. */
  msAfterAnswer: number;
  received: string;
}

/** Opens a connection, writes `first`, then `drip` every 100 ms, until the server closes it (or `giveUpMs` passes). */
function whenServerCloses(port: number, first: string, drip?: string, giveUpMs = 8000): Promise<Closed | 'still open'> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    let started = 0;
    let answeredAt = 0;
    let dripping: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve('still open');
    }, giveUpMs);
    socket.on('connect', () => {
      started = Date.now();
      socket.write(first);
      if (drip) dripping = setInterval(() => socket.write(drip), 100);
    });
    socket.on('data', (chunk) => {
      answeredAt ||= Date.now();
      received += chunk.toString();
    });
    socket.on('error', () => undefined); // the server cutting us off is the point
    socket.on('close', () => {
      clearInterval(dripping);
      clearTimeout(giveUp);
      resolve({ ms: Date.now() - started, msAfterAnswer: Date.now() - (answeredAt || started), received });
    });
  });
}

describe('a slow or idle client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cms-slow-client-'));
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer(`file:${join(dir, 'slow-client.db')}`, dir, {
      HTTP_HEADERS_TIMEOUT_MS: String(headersTimeoutMs),
      HTTP_REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: String(keepAliveTimeoutMs),
    });
  });

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a client sends its headers a line at a time, never ending them, then it is cut off after HTTP_HEADERS_TIMEOUT_MS', async () => {
    const closed = await whenServerCloses(server.port, 'GET /health HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: a\r\n');
    expect(closed).not.toBe('still open');
    const { ms, received } = closed as Closed;
    expect(ms).toBeGreaterThanOrEqual(headersTimeoutMs - 50);
    expect(ms).toBeLessThan(headersTimeoutMs + slack);
    if (received) expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('when a client trickles its body, never finishing it, then it is cut off after HTTP_REQUEST_TIMEOUT_MS', async () => {
    const headers = 'POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{';
    const closed = await whenServerCloses(server.port, headers, ' ');
    expect(closed).not.toBe('still open');
    const { ms, received } = closed as Closed;
    expect(ms).toBeLessThan(requestTimeoutMs + slack);
    expect(received).toMatch(/^HTTP\/1\.1 (408|400) /);
  });

  it('when a keep-alive connection idles after its answer, then the server closes it after HTTP_KEEP_ALIVE_TIMEOUT_MS', async () => {
    const closed = await whenServerCloses(server.port, 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(closed).not.toBe('still open');
    const { msAfterAnswer, received } = closed as Closed;
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(msAfterAnswer).toBeGreaterThanOrEqual(keepAliveTimeoutMs - 50);
    expect(msAfterAnswer).toBeLessThan(keepAliveTimeoutMs + slack);
  });
});
