import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container } from '../../src/container.ts';

export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
  retry?: string;
}

/** Serves a container's app on a free port; close() ends it. */
export async function listen(container: Container): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(container.app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A stream client that records every event, comment and `retry:` it reads, and when. */
export async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const received: (SseEvent & { at: number })[] = [];
  const waiters: (() => void)[] = [];
  let isDone = false;
  const reading = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent & { at: number } = { at: Date.now() };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) event.comment = line.slice(1).trim();
            else {
              const colon = line.indexOf(':');
              const field = line.slice(0, colon) as keyof SseEvent;
              event[field] = line.slice(colon + 1).trimStart();
            }
          }
          received.push(event);
          for (const wake of waiters.splice(0)) wake();
        }
      }
    } catch {
      // Aborted by close().
    } finally {
      isDone = true;
      for (const wake of waiters.splice(0)) wake();
    }
  })();

  /** Waits until `count` events (with an `event:` line) have arrived, or the timeout. */
  async function events(count: number, timeoutMs = 5000): Promise<(SseEvent & { at: number })[]> {
    const deadline = Date.now() + timeoutMs;
    const named = () => received.filter((e) => e.event);
    while (named().length < count && !isDone && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, Math.max(0, deadline - Date.now())).unref();
      });
    }
    return named();
  }

  async function until(predicate: (all: (SseEvent & { at: number })[]) => boolean, timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(received) && !isDone && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, Math.max(0, deadline - Date.now())).unref();
      });
    }
    return predicate(received);
  }

  return {
    res,
    received,
    events,
    until,
    isDone: () => isDone,
    finished: reading,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}
