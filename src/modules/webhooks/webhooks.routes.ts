import { IdParams } from '../../shared/common.schemas.ts';
import { defineRoute, HttpResult, type AnyRoute } from '../../http/route.ts';
import { adminsOnly } from '../../http/access.ts';
import type { WebhooksService } from './webhooks.service.ts';
import {
  CreateWebhookBody,
  CreatedWebhookSchema,
  DeliveryParams,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  ReplayBody,
  ReplayResultSchema,
  UpdateWebhookBody,
  WebhookDeliveryPage,
  WebhookDeliverySchema,
  WebhookPage,
  WebhookSchema,
} from './webhooks.schemas.ts';

const tag = 'Webhooks';
const inactive = { 409: 'The webhook is turned off (code `webhook_inactive`).' };

export function webhookAdminRoutes(service: WebhooksService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/webhooks',
      operationId: 'listWebhooks',
      summary: 'List webhook subscriptions (never their secrets)',
      tag,
      access: adminsOnly,
      query: ListWebhooksQuery,
      response: WebhookPage,
      handler: ({ query }) => service.list(query.limit, query.cursor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/webhooks/{id}',
      operationId: 'getWebhook',
      summary: 'Get a webhook subscription',
      tag,
      access: adminsOnly,
      params: IdParams,
      response: WebhookSchema,
      handler: ({ params }) => service.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/webhooks',
      operationId: 'createWebhook',
      summary: 'Subscribe a URL to events; the signing secret is returned only now',
      tag,
      access: adminsOnly,
      description:
        'Deliveries are signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature`); verify them with the secret and any Standard Webhooks library. A URL whose host is or resolves to a private, loopback or link-local address is refused.',
      body: CreateWebhookBody,
      status: 201,
      response: CreatedWebhookSchema,
      audit: { action: 'webhook.create', targetType: 'webhook' },
      secretResponseFields: ['secret'],
      handler: ({ body, actor }) => service.create(body, actor),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/admin/webhooks/{id}',
      operationId: 'updateWebhook',
      summary: 'Change a webhook subscription, or turn it on or off',
      tag,
      access: adminsOnly,
      params: IdParams,
      body: UpdateWebhookBody,
      response: WebhookSchema,
      ifMatch: true,
      audit: { action: 'webhook.update', targetType: 'webhook' },
      handler: ({ params, body, expectedVersion }) => service.update(params.id, body, expectedVersion),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/admin/webhooks/{id}',
      operationId: 'deleteWebhook',
      summary: 'Delete a webhook subscription and its delivery log',
      tag,
      access: adminsOnly,
      params: IdParams,
      status: 204,
      ifMatch: true,
      audit: { action: 'webhook.delete', targetType: 'webhook' },
      handler: ({ params, expectedVersion }) => service.delete(params.id, expectedVersion),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/webhooks/{id}/ping',
      operationId: 'pingWebhook',
      summary: 'Send a test event (`webhook.ping`)',
      tag,
      access: adminsOnly,
      description: "Queued at the end of the subscription's queue; follow it in the delivery log.",
      params: IdParams,
      status: 202,
      response: WebhookDeliverySchema,
      errors: inactive,
      audit: { action: 'webhook.ping', targetType: 'webhook_delivery' },
      handler: async ({ params, actor, addAuditDetails }) => {
        addAuditDetails({ webhookId: params.id });
        return new HttpResult(202, await service.ping(params.id, actor));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/webhooks/{id}/deliveries',
      operationId: 'listWebhookDeliveries',
      summary: 'The delivery log of a subscription, newest first',
      tag,
      access: adminsOnly,
      description:
        'Finished deliveries (succeeded or failed) are deleted `WEBHOOK_RETENTION_DAYS` days (30 by default) after they ended; a pending one stays, whatever its age.',
      params: IdParams,
      query: ListDeliveriesQuery,
      response: WebhookDeliveryPage,
      handler: ({ params, query }) => service.listDeliveries(params.id, query),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/webhooks/{id}/deliveries/{deliveryId}',
      operationId: 'getWebhookDelivery',
      summary: 'Get a delivery',
      tag,
      access: adminsOnly,
      description: 'A delivery deleted by retention (`WEBHOOK_RETENTION_DAYS` after it ended) answers 404.',
      params: DeliveryParams,
      response: WebhookDeliverySchema,
      handler: ({ params }) => service.getDelivery(params.id, params.deliveryId),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/webhooks/{id}/deliveries/{deliveryId}/replay',
      operationId: 'replayWebhookDelivery',
      summary: "Send a delivery's event again",
      tag,
      access: adminsOnly,
      description:
        'A new delivery of the same event (same `webhook-id`) at the end of the queue. A delivery deleted by retention (`WEBHOOK_RETENTION_DAYS` after it ended) answers 404.',
      params: DeliveryParams,
      status: 202,
      response: WebhookDeliverySchema,
      errors: inactive,
      audit: { action: 'webhook.replay', targetType: 'webhook_delivery' },
      handler: async ({ params, addAuditDetails }) => {
        addAuditDetails({ webhookId: params.id, replayOf: params.deliveryId });
        return new HttpResult(202, await service.replayDelivery(params.id, params.deliveryId));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/webhooks/{id}/replay',
      operationId: 'replayWebhookEvents',
      summary: 'Send again every event since a time',
      tag,
      access: adminsOnly,
      description:
        'Every event since `since` that the subscription wants now (its events and rubric), oldest first, at the end of its queue: to catch up after the receiver was down or the subscription was off. An event is deleted once it is older than `WEBHOOK_RETENTION_DAYS` and no delivery of it is left, so a `since` further back brings only the events still kept.',
      params: IdParams,
      body: ReplayBody,
      status: 202,
      response: ReplayResultSchema,
      errors: inactive,
      audit: { action: 'webhook.replay', targetType: 'webhook' },
      handler: async ({ params, body }) => new HttpResult(202, await service.replaySince(params.id, body.since)),
    }),
  ];
}
