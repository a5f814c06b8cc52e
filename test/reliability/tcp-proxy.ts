import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** The database stops answering: bytes stop flowing both ways and new connections are accepted but never answered. */
  pause(): void;
  /** The database is back: held bytes flow on and held connections reach it. */
  resume(): void;
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream?: Socket;
}

/** A TCP proxy to a server (PostgreSQL) that a test can cut off as a network partition would: silently, with no reset. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const links = new Set<Link>();
  let isPaused = false;

  const flow = (link: Link) => {
    if (!link.upstream) {
      const upstream = connect(target.port, target.host);
      link.upstream = upstream;
      upstream.on('error', () => link.client.destroy());
      upstream.on('close', () => link.client.destroy());
    }
    link.client.pipe(link.upstream);
    link.upstream.pipe(link.client);
  };
  const hold = (link: Link) => {
    link.client.unpipe();
    link.client.pause();
    link.upstream?.unpipe();
    link.upstream?.pause();
  };

  const server = createServer((client) => {
    const link: Link = { client };
    links.add(link);
    client.on('error', () => link.upstream?.destroy());
    client.on('close', () => {
      link.upstream?.destroy();
      links.delete(link);
    });
    if (isPaused) client.pause();
    else flow(link);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    port,
    pause: () => {
      isPaused = true;
      for (const link of links) hold(link);
    },
    resume: () => {
      isPaused = false;
      for (const link of links) flow(link);
    },
    close: async () => {
      for (const link of links) {
        link.client.destroy();
        link.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
