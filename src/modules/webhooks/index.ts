import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Logger } from 'pino';
import type { Prisma, PrismaTx } from '../../db/database.ts';
import type { Dialect } from '../../db/dialect.ts';
import type { AnyRoute } from '../../http/route.ts';
import type { AuditTrail } from '../../shared/audit-intent.ts';
import { z } from '../../shared/zod.ts';
import { domainEventTypes } from '../../shared/domain-events.ts';
import { pingEventType } from './webhooks.events.ts';
import { createWebhooksRepository } from './webhooks.repository.ts';
import { webhookAdminRoutes } from './webhooks.routes.ts';
import { WebhookEventSchema } from './webhooks.schemas.ts';
import { createWebhooksService } from './webhooks.service.ts';
import type { Config } from '../../config.ts';
import { createWebhookWorker } from './webhooks.worker.ts';

// The Standard Webhooks headers every delivery carries.
const deliveryHeaders = z.object({
  'webhook-id': z.string().openapi({ description: 'The event id: the same on every attempt and replay.' }),
  'webhook-timestamp': z.string().openapi({ description: 'Unix seconds of this attempt; refuse one far from now.', example: '1795683000' }),
  'webhook-signature': z
    .string()
    .openapi({ description: '`v1,` and the base64 HMAC-SHA256 signature.', example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' }),
});

const nouns: Record<string, string> = {
  article: 'an article',
  rubric: 'a rubric',
  tag: 'a tag',
  feed_item: 'a feed item',
  media: 'a media item',
  live_entry: 'an entry of a live blog (`data.articleId` names the article)',
};
const describeEvent = (type: string) => `${nouns[type.slice(0, type.indexOf('.'))]} is ${type.slice(type.indexOf('.') + 1)}`;

export interface WebhooksModuleDeps {
  prisma: Prisma;
  dialect: Dialect;
  now: () => Date;
  logger: Logger;
  settings: Config['webhooks'];
  rubricExists: (id: string) => Promise<boolean>;
  /** Writes the request's audit entry in the transaction of each change to a subscription or its queue. */
  audit: AuditTrail;
  /** Records in the audit log, in the transaction that does it, that the worker turned a subscription off. */
  recordAuditIn: (
    tx: PrismaTx,
    event: {
      actor: string;
      action: string;
      targetType: string;
      targetId: string;
      details: Record<string, unknown>;
    },
  ) => Promise<void>;
}

export function createWebhooksModule(deps: WebhooksModuleDeps) {
  const repo = createWebhooksRepository({ prisma: deps.prisma, dialect: deps.dialect });
  const worker = deps.settings.isWorkerEnabled
    ? createWebhookWorker({
        repo,
        now: deps.now,
        logger: deps.logger,
        settings: deps.settings,
        onDisabled: (tx, subscriptionId, consecutiveFailures) =>
          deps.recordAuditIn(tx, {
            actor: 'system',
            action: 'webhook.disable',
            targetType: 'webhook',
            targetId: subscriptionId,
            details: { reason: 'repeated delivery failures', consecutiveFailures },
          }),
        // The process that delivers also prunes: an instance with WEBHOOK_WORKER=off does neither.
        pruneOld: (signal) => service.pruneOld({ signal }),
      })
    : undefined;
  const service = createWebhooksService({
    repo,
    now: deps.now,
    allowPrivateAddresses: deps.settings.allowPrivateAddresses,
    retentionMs: deps.settings.retentionMs,
    rubricExists: deps.rubricExists,
    wakeWorker: () => worker?.wake(),
    audit: deps.audit,
  });
  return {
    service,
    events: service.events,
    worker,
    adminRoutes: webhookAdminRoutes(service),
    publicRoutes: [] as AnyRoute[],
    /** Documents each delivery as an OpenAPI 3.1 webhook. */
    registerOpenApi(registry: OpenAPIRegistry): void {
      for (const type of [...domainEventTypes, pingEventType]) {
        registry.registerWebhook({
          method: 'post',
          path: type,
          operationId: `webhook_${type.replace('.', '_')}`,
          summary: type === pingEventType ? 'A test event sent by POST /v1/admin/webhooks/{id}/ping' : `Sent when ${describeEvent(type)}`,
          tags: ['Webhooks'],
          // A delivery carries no credentials of the API: the receiver checks its signature instead.
          security: [],
          description:
            'Signed the Standard Webhooks way: `webhook-signature` is `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">` keyed with the secret. Answer 2xx within WEBHOOK_TIMEOUT_MS; anything else is retried with exponential back-off for WEBHOOK_RETRY_FOR_SECONDS. The same event may arrive more than once: drop duplicates by `webhook-id`.',
          request: {
            headers: deliveryHeaders,
            body: { content: { 'application/json': { schema: WebhookEventSchema } } },
          },
          responses: { 200: { description: 'Received (any 2xx).' } },
        });
      }
    },
  };
}

export type { PruneResult, WebhooksService } from './webhooks.service.ts';
export type { WebhookWorker } from './webhooks.worker.ts';
// The address guard, for every outgoing fetch of a URL an admin gave (wire feeds, photos).
export { assertLiteralHostAllowed, guardedLookup, refusalOf, RefusedAddressError } from './webhooks.addresses.ts';
