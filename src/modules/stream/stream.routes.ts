import { anyone } from '../../http/access.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { StreamHub } from './stream.hub.ts';
import { LastEventIdHeader, StreamBodySchema, StreamQuery } from './stream.schemas.ts';

export function streamPublicRoutes(hub: StreamHub): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/stream',
      operationId: 'streamEvents',
      summary: 'Real-time changes as Server-Sent Events',
      tag: 'Live coverage',
      access: anyone,
      description: [
        'A `text/event-stream` that stays open: live blog entries as they are posted, edited and deleted, the end of coverage, feed changes.',
        'Every instance streams every event. Reconnect with `Last-Event-ID` (EventSource does) to get, in order and once, what was missed;',
        'beyond the kept window (STREAM_RETENTION_MINUTES) the stream says `event: reset`. Not cached, not compressed.',
        'An instance holding STREAM_MAX_CLIENTS streams answers 503 with Retry-After.',
      ].join(' '),
      query: StreamQuery,
      requestHeaders: { 'Last-Event-ID': LastEventIdHeader },
      mediaType: 'text/event-stream',
      response: StreamBodySchema,
      responseDescription: 'The stream; it ends only when the server shuts down or drops a client that does not read.',
      errors: { 503: 'This instance holds STREAM_MAX_CLIENTS streams (`server_busy`); retry after Retry-After.' },
      cache: false,
      handler: async ({ query, req, res }) => {
        const header = req.get('last-event-id');
        const fromHeader = header && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
        await hub.connect(res, query.topics, fromHeader ?? query.lastEventId ?? null);
      },
    }),
  ];
}
