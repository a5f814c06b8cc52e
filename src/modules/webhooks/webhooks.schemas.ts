import { IsoDateTime, PageQuery, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';
import { domainEventTypes } from '../../shared/domain-events.ts';
import { isEventPattern } from './webhooks.events.ts';

const url = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .openapi({
    description: 'Where deliveries are POSTed. Private, loopback and link-local addresses are refused (WEBHOOK_ALLOW_PRIVATE).',
    example: 'https://hooks.example.com/cms',
  });
const events = z
  .array(
    z
      .string()
      .max(60)
      .refine(isEventPattern, { message: `Not an event name: use one of ${domainEventTypes.join(', ')}, \`<entity>.*\` or *` }),
  )
  .min(1)
  .max(50)
  .openapi({
    description: 'Event names, `<entity>.*` (e.g. `article.*`), or `*` for all.',
    example: ['article.published', 'article.unpublished', 'rubric.*'],
  });
const rubricId = z.string().max(64).nullable().openapi({
  description: 'Only events about this rubric: its articles, feed items and itself (tag and media events have no rubric and are not sent).',
});
const description = z.string().trim().max(500).nullable().openapi({ example: 'Сброс кэша CDN' });

export const CreateWebhookBody = z
  .strictObject({ url, events, rubricId: rubricId.optional(), description: description.optional(), isActive: z.boolean().optional() })
  .openapi('CreateWebhookBody');

export const UpdateWebhookBody = z
  .strictObject({
    url: url.optional(),
    events: events.optional(),
    rubricId: rubricId.optional(),
    description: description.optional(),
    isActive: z
      .boolean()
      .optional()
      .openapi({ description: 'true turns a subscription back on (after it was turned off for failing) and resets its failure count.' }),
  })
  .openapi('UpdateWebhookBody');

const webhookFields = {
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  rubricId: z.string().nullable(),
  isActive: z.boolean(),
  consecutiveFailures: z
    .number()
    .int()
    .openapi({ description: 'Deliveries that finally failed in a row; at WEBHOOK_DISABLE_AFTER_FAILURES the subscription is turned off.' }),
  disabledAt: IsoDateTime.nullable().openapi({ description: 'When the worker turned the subscription off for failing.' }),
  version: z.number().int().openapi({ description: 'Goes up by one with each change; send it back as If-Match (the ETag).', example: 3 }),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
};

export const WebhookSchema = z.object(webhookFields).openapi('Webhook');
export const CreatedWebhookSchema = z
  .object({
    ...webhookFields,
    secret: z.string().optional().openapi({
      description:
        'The signing secret (`whsec_<base64>`), shown this once only: verify deliveries with it using any Standard Webhooks library. Absent from an Idempotency-Key replay.',
      example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }),
  })
  .openapi('CreatedWebhook');

export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string().openapi({
      description: 'The event id, also the `webhook-id` header: the same on every attempt and replay, for receivers to drop duplicates.',
    }),
    eventType: z.string().openapi({ example: 'article.published' }),
    status: z
      .enum(['pending', 'succeeded', 'failed'])
      .openapi({ description: 'pending: waiting for its turn or a retry; failed: retried for WEBHOOK_RETRY_FOR_SECONDS without success.' }),
    attempts: z.number().int(),
    responseStatus: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'The status the receiver answered the last attempt with; null when it did not answer.' }),
    responseTimeMs: z.number().int().nullable(),
    lastError: z.string().nullable().openapi({ example: 'answered 500' }),
    nextAttemptAt: IsoDateTime.nullable().openapi({
      description: 'When a pending delivery is tried next (once the ones before it are done); null when done.',
    }),
    lastAttemptAt: IsoDateTime.nullable(),
    createdAt: IsoDateTime,
    completedAt: IsoDateTime.nullable(),
  })
  .openapi('WebhookDelivery');

export const DeliveryParams = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { description: 'The id of the subscription.' } }),
  deliveryId: z
    .string()
    .regex(/^\d{1,15}$/)
    .openapi({ param: { description: 'The id of the delivery.' }, example: '42' }),
});

export const ListWebhooksQuery = PageQuery;
export const ListDeliveriesQuery = PageQuery.extend({
  status: z
    .enum(['pending', 'succeeded', 'failed'])
    .optional()
    .openapi({ param: { description: 'Only deliveries in this state.' } }),
});
export const ReplayBody = z
  .strictObject({
    since: IsoDateTime.openapi({ description: 'Queue again every event since this time that the subscription wants (at most 10,000).' }),
  })
  .openapi('ReplayWebhookBody');
export const ReplayResultSchema = z
  .object({ queued: z.number().int().openapi({ description: 'Deliveries queued, at the end of the queue.' }) })
  .openapi('WebhookReplayResult');

export const WebhookPage = pageOf(WebhookSchema, 'WebhookPage');
export const WebhookDeliveryPage = pageOf(WebhookDeliverySchema, 'WebhookDeliveryPage');

/** The body of every delivery (documented as the OpenAPI `webhooks`). */
export const WebhookEventSchema = z
  .object({
    id: z.string().openapi({ description: 'The event id, the same as the `webhook-id` header; stable across retries and replays.' }),
    type: z.string().openapi({ example: 'article.published' }),
    timestamp: IsoDateTime.openapi({ description: 'When the change was made.' }),
    data: z
      .object({
        id: z.string().openapi({ description: 'The id of the record changed.' }),
        slug: z.string().nullable().openapi({ description: 'Its slug; null for feed items and media.' }),
        version: z.number().int().openapi({ description: 'Its version after the change (before it, for a deletion).' }),
        rubricId: z.string().nullable().optional().openapi({ description: 'The rubric of an article, a feed item, or a rubric itself.' }),
        actor: z
          .string()
          .openapi({ description: '`user:<id>`, `apiKey:<id>` or `system`.', example: 'user:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c' }),
        surrogateKeys: z.array(z.string()).openapi({
          description:
            "The Surrogate-Key keys of the public answers this change makes stale: purge them from the CDN (the README's caching section gives the rule per write). " +
            "A saved public article names its own key, the unfiltered list `articles` and the lists its filters match before or after (`articles:rubric:<slug>` for its rubric and the rubric's ancestors, `articles:tag:<slug>`, `articles:author:<slug>`, `feed` when in it); " +
            'a draft names none. A tag event names `tag:<id>`, which every answer showing the tag carries, the `tags` list and `articles:tag:<slug>` under its old and new slugs.',
          example: [
            'article:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80',
            'articles',
            'articles:rubric:gorod',
            'articles:tag:byudzhet',
            'feed',
            'all',
          ],
        }),
        publishedAt: IsoDateTime.nullable()
          .optional()
          .openapi({ description: 'article.published and article.scheduled: the publication time.' }),
      })
      .passthrough(),
  })
  .openapi('WebhookEvent');

export type CreateWebhookInput = z.infer<typeof CreateWebhookBody>;
export type UpdateWebhookInput = z.infer<typeof UpdateWebhookBody>;
export type WebhookResponse = z.infer<typeof WebhookSchema>;
export type CreatedWebhookResponse = WebhookResponse & { secret: string };
export type WebhookDeliveryResponse = z.infer<typeof WebhookDeliverySchema>;
