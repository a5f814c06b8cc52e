import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

/** An answer of the feed server: a status, headers and a body, after an optional delay. */
export interface FeedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

export type FeedResponder = (request: FeedRequest, index: number) => FeedAnswer;

/**
 * A feed on 127.0.0.1, port 0, that the test controls: `serve(path, body, etag)` publishes a document that
 * answers 304 to a matching If-None-Match, or `answerWith` takes over every answer. It keeps every request.
 */
export async function startFeedServer() {
  const requests: FeedRequest[] = [];
  const documents = new Map<string, { body: string; etag: string | null; contentType: string }>();
  let responder: FeedResponder | null = null;
  const server: Server = createServer((req, res) => {
    const request: FeedRequest = { path: req.url ?? '/', headers: req.headers };
    const index = requests.length;
    requests.push(request);
    const answer = responder ? responder(request, index) : fromDocuments(request);
    const finish = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    };
    if (answer.delayMs) setTimeout(finish, answer.delayMs);
    else finish();
  });

  function fromDocuments(request: FeedRequest): FeedAnswer {
    const document = documents.get(request.path);
    if (!document) return { status: 404, body: 'no such feed' };
    if (document.etag && request.headers['if-none-match'] === document.etag) return { status: 304, headers: { etag: document.etag } };
    return {
      status: 200,
      body: document.body,
      headers: { 'content-type': document.contentType, ...(document.etag ? { etag: document.etag } : {}) },
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    requests,
    /** The requests made for one path. */
    requestsFor: (path: string) => requests.filter((r) => r.path === path),
    serve(path: string, body: string, options: { etag?: string | null; contentType?: string } = {}): void {
      documents.set(path, { body, etag: options.etag ?? null, contentType: options.contentType ?? 'application/xml; charset=utf-8' });
    },
    answerWith(next: FeedResponder | null): void {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FeedServer = Awaited<ReturnType<typeof startFeedServer>>;

export interface SampleItem {
  guid: string;
  title: string;
  text: string;
  /** RFC 822 for RSS, ISO for Atom: made from this. */
  updatedAt: string;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An RSS 2.0 feed of our own writing, with the full text in content:encoded and a summary in description. */
export function rssFeed(items: SampleItem[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Городское агентство новостей</title>
    <link>https://agency.example/</link>
    <description>Лента агентства</description>
${items
  .map(
    (item) => `    <item>
      <title>${escapeXml(item.title)}</title>
      <link>https://agency.example/news/${item.guid}</link>
      <guid isPermaLink="false">${item.guid}</guid>
      <pubDate>${new Date(item.updatedAt).toUTCString()}</pubDate>
      <dc:creator>Дежурный редактор</dc:creator>
      <category>Город</category>
      <description>${escapeXml(`Коротко: ${item.title}`)}</description>
      <content:encoded><![CDATA[<p>${item.text}</p><p>Подробности позже.</p>]]></content:encoded>
    </item>`,
  )
  .join('\n')}
  </channel>
</rss>`;
}

/** An Atom feed of our own writing, with HTML content. */
export function atomFeed(items: SampleItem[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Областное информбюро</title>
  <id>urn:example:informburo</id>
  <updated>2026-11-20T09:00:00Z</updated>
${items
  .map(
    (item) => `  <entry>
    <id>urn:example:informburo:${item.guid}</id>
    <title>${escapeXml(item.title)}</title>
    <link rel="alternate" href="https://informburo.example/${item.guid}"/>
    <updated>${new Date(item.updatedAt).toISOString()}</updated>
    <published>2026-11-20T08:00:00Z</published>
    <author><name>Служба новостей</name></author>
    <summary>${escapeXml(`Вкратце: ${item.title}`)}</summary>
    <content type="html">${escapeXml(`<p>${item.text}</p>`)}</content>
  </entry>`,
  )
  .join('\n')}
</feed>`;
}
