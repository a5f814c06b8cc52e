import { z } from '../../shared/zod.ts';
import { IsoDateTime } from '../../shared/common.schemas.ts';
import { streamEventTypes } from '../../shared/stream-events.ts';
import { PublicLiveEntrySchema } from '../articles/articles.live.schemas.ts';

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

const topic = z.string().openapi({ description: 'The topic the event belongs to.', example: 'live:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80' });

/** The `data:` of each event type, documented as components (the stream itself is one text body). */
export const streamEventDataSchemas = {
  StreamLiveEntryData: z
    .object({
      topic,
      articleId: z.string(),
      entry: PublicLiveEntrySchema,
      unpinnedIds: z.array(z.string()).openapi({ description: 'Entries this one unpinned (pinning one unpins the other).' }),
    })
    .openapi('StreamLiveEntryData', { description: '`live_entry.created` and `live_entry.updated`, on `live:{articleId}`.' }),
  StreamLiveEntryDeletedData: z
    .object({ topic, articleId: z.string(), id: z.string() })
    .openapi('StreamLiveEntryDeletedData', { description: '`live_entry.deleted`, on `live:{articleId}`.' }),
  StreamCoverageData: z
    .object({ topic, articleId: z.string(), coverageEndedAt: IsoDateTime.nullable() })
    .openapi('StreamCoverageData', { description: '`live.ended` and `live.resumed`, on `live:{articleId}`.' }),
  StreamFeedChangedData: z
    .object({
      topic,
      articleId: z.string().optional().openapi({ description: 'The live blog whose coverage ended or resumed, when that is the change.' }),
      at: IsoDateTime.optional().openapi({ description: 'The scheduled time at which content became public, when that is the change.' }),
    })
    .openapi('StreamFeedChangedData', { description: '`feed.changed`, on `feed`: refetch the feed.' }),
  StreamArticleUpdatedData: z
    .object({ topic, articleId: z.string() })
    .openapi('StreamArticleUpdatedData', { description: '`article.updated`, on `article:{articleId}`: refetch the article.' }),
};

// JSON Schema's way to say what a string holds (2020-12 `contentSchema`): the `data:` of its events is one of these.
const eventsContent = {
  contentMediaType: 'text/event-stream',
  contentSchema: { anyOf: Object.keys(streamEventDataSchemas).map((name) => ({ $ref: `#/components/schemas/${name}` })) },
};

export const StreamBodySchema = z.string().openapi('ServerSentEvents', {
  ...eventsContent,
  description: [
    'Server-Sent Events, UTF-8. Each event has an `id:` (to resume from with Last-Event-ID), an `event:` type and a JSON `data:` line',
    'whose `topic` names the topic it belongs to. Types, with the component describing their data:',
    '`live_entry.created` and `live_entry.updated` (StreamLiveEntryData), `live_entry.deleted` (StreamLiveEntryDeletedData),',
    '`live.ended` and `live.resumed` (StreamCoverageData) on `live:{articleId}`; `feed.changed` (StreamFeedChangedData) on `feed`;',
    '`article.updated` (StreamArticleUpdatedData) on `article:{articleId}`.',
    'Only public changes are sent; a scheduled or embargoed change when it becomes public.',
    '`event: reset` means the events since Last-Event-ID are no longer kept (after STREAM_RETENTION_MINUTES): refetch what you show.',
    'A comment line (`: heartbeat`) comes every STREAM_HEARTBEAT_SECONDS; `retry:` advises the reconnection delay.',
  ].join(' '),
  example: `retry: 2000\n\nid: 42\nevent: live_entry.created\ndata: {"topic":"live:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80","articleId":"0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80","entry":{}}\n\n`,
});

export const documentedEventTypes = streamEventTypes;
export type StreamQueryInput = z.infer<typeof StreamQuery>;
