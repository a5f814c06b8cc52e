import { z } from '../../shared/zod.ts';
import { streamEventTypes } from '../../shared/stream-events.ts';

const topicPattern = /^(feed|live:[\w-]{1,64}|article:[\w-]{1,64})$/;

export const StreamQuery = z.strictObject({
  topics: z
    .string()
    .min(1)
    .max(2000)
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().regex(topicPattern, 'A topic is `feed`, `live:{articleId}` or `article:{articleId}`')).min(1).max(50))
    .openapi({
      param: {
        description:
          'Comma-separated, up to 50: `feed` (the news feed changed: refetch it), `live:{articleId}` (a live blog: its entries and coverage), ' +
          '`article:{articleId}` (an article page changed).',
      },
      example: 'feed,live:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80',
    }),
  lastEventId: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ param: { description: 'The `Last-Event-ID` header, for clients that cannot send it: the last event id received.' } }),
});

export const LastEventIdHeader = z
  .string()
  .regex(/^\d{1,15}$/)
  .optional()
  .openapi({ description: 'Sent by EventSource on reconnection: the id of the last event received. What came after it is sent first.' });

export const StreamBodySchema = z.string().openapi('ServerSentEvents', {
  description: [
    'Server-Sent Events, UTF-8. Each event has an `id:` (to resume from with Last-Event-ID), an `event:` type and a JSON `data:` line',
    'whose `topic` names the topic it belongs to. Types:',
    '`live_entry.created` and `live_entry.updated` (`data.entry`: the PublicLiveEntry; `data.unpinnedIds`: entries this one unpinned),',
    '`live_entry.deleted` (`data.id`), `live.ended` and `live.resumed` (`data.coverageEndedAt`) on `live:{articleId}`;',
    '`feed.changed` on `feed` (refetch the feed); `article.updated` on `article:{articleId}`.',
    'Only public changes are sent; a scheduled or embargoed change when it becomes public.',
    '`event: reset` means the events since Last-Event-ID are no longer kept (after STREAM_RETENTION_MINUTES): refetch what you show.',
    'A comment line (`: heartbeat`) comes every STREAM_HEARTBEAT_SECONDS; `retry:` advises the reconnection delay.',
  ].join(' '),
  example: `retry: 2000\n\nid: 42\nevent: live_entry.created\ndata: {"topic":"live:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80","articleId":"0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80","entry":{}}\n\n`,
});

export const documentedEventTypes = streamEventTypes;
export type StreamQueryInput = z.infer<typeof StreamQuery>;
