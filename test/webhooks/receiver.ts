import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; timestamp: string; data: Record<string, unknown> & { id: string } };
  path: string;
}

/** How the receiver answers the n-th request (0-based): a status, after an optional delay. */
export type Responder = (
  received: Received,
  index: number,
) => { status: number; delayMs?: number } | Promise<{ status: number; delayMs?: number }>;

/** A real HTTP receiver on 127.0.0.1, port 0: it keeps every request and answers as told. */
export async function startReceiver(respond: Responder = () => ({ status: 200 })) {
  const requests: Received[] = [];
  let inFlightByPath = new Map<string, number>();
  let mostInFlightForOnePath = 0;
  let responder = respond;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const received: Received = { headers: req.headers, body, json: JSON.parse(body), path: req.url ?? '/' };
      const index = requests.length;
      requests.push(received);
      const inFlight = (inFlightByPath.get(received.path) ?? 0) + 1;
      inFlightByPath.set(received.path, inFlight);
      mostInFlightForOnePath = Math.max(mostInFlightForOnePath, inFlight);
      const answer = await responder(received, index);
      const finish = () => {
        inFlightByPath.set(received.path, (inFlightByPath.get(received.path) ?? 1) - 1);
        if (!res.destroyed) res.writeHead(answer.status, { 'content-type': 'text/plain' }).end('ok');
      };
      if (answer.delayMs) setTimeout(finish, answer.delayMs);
      else finish();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    requests,
    /** The most requests to one path in flight at once: 1 when deliveries to a subscription never overlap. */
    mostInFlightForOnePath: () => mostInFlightForOnePath,
    answerWith: (next: Responder) => {
      responder = next;
    },
    reset: () => {
      requests.length = 0;
      inFlightByPath = new Map();
      mostInFlightForOnePath = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
