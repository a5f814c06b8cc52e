// The real-time stream's fan-out: many SSE clients on one instance, the time from an entry's POST until
// each client has it, and the memory each connection costs the server.
import { readFileSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import type { RunningServer } from './servers.ts';

export interface FanoutResult {
  clients: number;
  entries: number;
  /** Over every client and entry: from the POST's start until the client read the event. */
  p50Ms: number;
  p99Ms: number;
  /** The slowest client of each entry, the worst of them. */
  lastClientMaxMs: number;
  /** The server's resident memory grown per open stream. */
  bytesPerConnection: number;
  /** Clients that missed an entry within the wait. */
  missed: number;
}

const rssOf = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(server: RunningServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${server.seeded!.adminApiKey}`, 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return { body: (await res.json()) as { id: string; version: number }, etag: res.headers.get('etag') ?? '' };
}

interface StreamClient {
  request: ClientRequest;
  isOpen: boolean;
  /** When each `live_entry.created` arrived, in order. */
  arrivals: number[];
}

function openClient(url: string): StreamClient {
  const client: StreamClient = { request: undefined as unknown as ClientRequest, isOpen: false, arrivals: [] };
  client.request = request(url, { headers: { Accept: 'text/event-stream' }, agent: false }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (chunk.includes('retry:')) client.isOpen = true;
      const at = performance.now();
      for (let i = chunk.indexOf('event: live_entry.created'); i !== -1; i = chunk.indexOf('event: live_entry.created', i + 1)) {
        client.arrivals.push(at);
      }
    });
  });
  client.request.on('error', () => undefined);
  client.request.end();
  return client;
}

/** Opens `clients` streams on a live article, posts `entries` entries one after another, and measures. */
export async function measureStreamFanout(server: RunningServer, options: { clients: number; entries: number }): Promise<FanoutResult> {
  const created = await call(server, 'POST', '/v1/admin/articles', {
    title: 'Нагрузочный прямой эфир',
    format: 'live',
    body: [{ type: 'paragraph', text: 'Трансляция для замера рассылки.' }],
  });
  await call(server, 'POST', `/v1/admin/articles/${created.body.id}/publish`, {}, { 'If-Match': created.etag });
  const articleId = created.body.id;

  await sleep(500);
  const rssBefore = server.pid ? rssOf(server.pid) : 0;
  const clients: StreamClient[] = [];
  for (let i = 0; i < options.clients; i++) {
    clients.push(openClient(`${server.url}/v1/stream?topics=live:${articleId}`));
    // A few hundred at a time, so that the listen backlog is not overrun.
    if (i % 200 === 199) await sleep(50);
  }
  const openDeadline = Date.now() + 60_000;
  while (clients.some((c) => !c.isOpen) && Date.now() < openDeadline) await sleep(20);
  await sleep(500);
  const open = clients.filter((c) => c.isOpen).length;
  const rssAfter = server.pid ? rssOf(server.pid) : 0;

  const delays: number[] = [];
  let lastClientMaxMs = 0;
  let missed = 0;
  for (let n = 0; n < options.entries; n++) {
    const startedAt = performance.now();
    await call(server, 'POST', `/v1/admin/articles/${articleId}/live-entries`, {
      body: [{ type: 'paragraph', text: `Запись номер ${n + 1} для замера рассылки.` }],
    });
    const deadline = Date.now() + 10_000;
    while (clients.some((c) => c.isOpen && c.arrivals.length <= n) && Date.now() < deadline) await sleep(2);
    for (const client of clients) {
      const at = client.arrivals[n];
      if (!client.isOpen) continue;
      if (at === undefined) missed++;
      else delays.push(at - startedAt);
    }
    lastClientMaxMs = Math.max(
      lastClientMaxMs,
      ...clients.flatMap((c) => (c.arrivals[n] === undefined ? [] : [c.arrivals[n]! - startedAt])),
    );
    await sleep(200);
  }
  for (const client of clients) client.request.destroy();
  const sorted = delays.sort((a, b) => a - b);
  return {
    clients: open,
    entries: options.entries,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    lastClientMaxMs,
    bytesPerConnection: open ? Math.max(0, Math.round((rssAfter - rssBefore) / open)) : 0,
    missed,
  };
}
