import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError, type FieldError } from '../../errors.ts';
import type { PrismaNamespace, PrismaTx } from '../../db/database.ts';
import { actorLabel } from '../../shared/actor-label.ts';
import { userIdOf, type Actor } from '../../shared/actor.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import type { AuditTrail } from '../../shared/audit-intent.ts';
import type { DomainEvent, EventRecorder } from '../../shared/domain-events.ts';
import { refusalOf } from './webhooks.addresses.ts';
import { eventData, isWantedBy } from './webhooks.events.ts';
import type { DeliveryRow, SubscriptionRow, WebhooksRepository } from './webhooks.repository.ts';
import type {
  CreateWebhookInput,
  CreatedWebhookResponse,
  UpdateWebhookInput,
  WebhookDeliveryResponse,
  WebhookResponse,
} from './webhooks.schemas.ts';
import { newWebhookSecret } from './webhooks.signing.ts';

const maxReplayed = 10_000;
// Rows deleted per statement when pruning: each batch is a short transaction, never a long lock.
const pruneBatchSize = 1000;

export interface PruneResult {
  deliveries: number;
  events: number;
}

function toWebhookResponse(row: SubscriptionRow): WebhookResponse {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: Array.isArray(row.events) ? (row.events as string[]) : [],
    rubricId: row.rubricId,
    isActive: row.isActive,
    consecutiveFailures: row.consecutiveFailures,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toDeliveryResponse(row: DeliveryRow): WebhookDeliveryResponse {
  return {
    id: String(row.id),
    eventId: row.eventId,
    eventType: row.event.type,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    responseTimeMs: row.responseTimeMs,
    lastError: row.lastError,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

const isIdKey = (values: unknown[]): values is [number] => values.length === 1 && Number.isInteger(values[0]);

export interface WebhooksServiceDeps {
  repo: WebhooksRepository;
  now: () => Date;
  allowPrivateAddresses: boolean;
  /** How long a finished delivery, and an event with no delivery left, is kept. */
  retentionMs: number;
  rubricExists: (id: string) => Promise<boolean>;
  /** Tells the worker that there is something new to deliver. */
  wakeWorker: () => void;
  /** Writes the request's audit entry in the transaction of each change. */
  audit: AuditTrail;
}

export function createWebhooksService(deps: WebhooksServiceDeps) {
  const { repo, now } = deps;
  const audited =
    (type: 'webhook' | 'webhook_delivery') =>
    (tx: PrismaTx, id: string): Promise<void> =>
      deps.audit.record(tx, { type, id });

  async function findOrThrow(id: string): Promise<SubscriptionRow> {
    const row = await repo.findSubscription(id);
    if (!row) throw new NotFoundError('webhook');
    return row;
  }

  async function assertValid(input: { url?: string | undefined; rubricId?: string | null | undefined }): Promise<void> {
    const errors: FieldError[] = [];
    const refusal = input.url ? await refusalOf(new URL(input.url), deps.allowPrivateAddresses) : null;
    if (refusal) errors.push({ field: 'body.url', message: `Refused: ${refusal}` });
    if (input.rubricId && !(await deps.rubricExists(input.rubricId)))
      errors.push({ field: 'body.rubricId', message: 'No rubric has this id' });
    if (errors.length)
      throw new ValidationError(`The webhook is not valid: ${errors.length === 1 ? 'one field' : `${errors.length} fields`}.`, errors);
  }

  /** The outbox: each change's event, and a delivery for each active subscription that wants it. */
  const events: EventRecorder = {
    async record(tx: PrismaTx, event: DomainEvent): Promise<void> {
      const at = now();
      const rubricId = event.entity.rubricId ?? (event.type.startsWith('rubric.') ? event.entity.id : null);
      const subscriptions = await repo.activeSubscriptions(tx);
      const created = await repo.insertEvent(tx, {
        type: event.type,
        entityId: event.entity.id,
        rubricId,
        data: eventData(event) as PrismaNamespace.InputJsonValue,
        occurredAt: at,
      });
      const wanting = subscriptions.filter((s) => isWantedBy(s, { type: event.type, rubricId })).map((s) => s.id);
      await repo.insertDeliveries(tx, created.id, await repo.holdSubscriptions(tx, wanting), at);
    },
    committed: () => deps.wakeWorker(),
  };

  return {
    events,

    async list(limit: number, cursor?: string): Promise<Page<WebhookResponse>> {
      const key = cursor ? decodeCursor(cursor, isDateIdKey) : undefined;
      return toPage(await repo.listSubscriptions(limit + 1, key), limit, toWebhookResponse, (r) => [r.createdAt.toISOString(), r.id]);
    },

    async get(id: string): Promise<WebhookResponse> {
      return toWebhookResponse(await findOrThrow(id));
    },

    /** The secret is returned here once. */
    async create(input: CreateWebhookInput, actor: Actor): Promise<CreatedWebhookResponse> {
      await assertValid(input);
      const secret = newWebhookSecret();
      const row = await repo.createSubscription(
        {
          url: input.url,
          events: [...new Set(input.events)],
          rubricId: input.rubricId ?? null,
          description: input.description ?? null,
          isActive: input.isActive ?? true,
          secret,
          createdById: userIdOf(actor),
          at: now(),
        },
        audited('webhook'),
      );
      return { ...toWebhookResponse(row), secret };
    },

    async update(id: string, input: UpdateWebhookInput, expectedVersion: number | null = null): Promise<WebhookResponse> {
      const current = await findOrThrow(id);
      if (expectedVersion !== null && current.version !== expectedVersion) throw new PreconditionFailedError(toWebhookResponse(current));
      await assertValid(input);
      // Turned back on: its failures are forgotten and its queue is tried at once.
      const reactivated =
        input.isActive === true && !current.isActive ? { consecutiveFailures: 0, disabledAt: null, blockedUntil: null } : {};
      const isDone = await repo.updateSubscriptionAtVersion(
        id,
        expectedVersion,
        {
          ...input,
          ...(input.events ? { events: [...new Set(input.events)] } : {}),
          ...reactivated,
          updatedAt: now(),
        },
        audited('webhook'),
      );
      if (!isDone) throw new PreconditionFailedError(toWebhookResponse(await findOrThrow(id)));
      deps.wakeWorker();
      return toWebhookResponse(await findOrThrow(id));
    },

    async delete(id: string, expectedVersion: number | null = null): Promise<void> {
      if (await repo.deleteSubscriptionAtVersion(id, expectedVersion, audited('webhook'))) return;
      throw new PreconditionFailedError(toWebhookResponse(await findOrThrow(id)));
    },

    async listDeliveries(
      id: string,
      query: { limit: number; cursor?: string | undefined; status?: 'pending' | 'succeeded' | 'failed' | undefined },
    ): Promise<Page<WebhookDeliveryResponse>> {
      await findOrThrow(id);
      const key = query.cursor ? decodeCursor(query.cursor, isIdKey) : undefined;
      const rows = await repo.listDeliveries(id, query.limit + 1, key?.[0], query.status);
      return toPage(rows, query.limit, toDeliveryResponse, (r) => [r.id]);
    },

    async getDelivery(id: string, deliveryId: string): Promise<WebhookDeliveryResponse> {
      const row = await repo.findDelivery(id, Number(deliveryId));
      if (!row) throw new NotFoundError('delivery');
      return toDeliveryResponse(row);
    },

    /** Sends the delivery's event again, as a new delivery at the end of the queue, with the same event id. */
    async replayDelivery(id: string, deliveryId: string): Promise<WebhookDeliveryResponse> {
      const subscription = await findOrThrow(id);
      const row = await repo.findDelivery(id, Number(deliveryId));
      if (!row) throw new NotFoundError('delivery');
      if (!subscription.isActive)
        throw new ConflictError('The webhook is turned off; turn it on (isActive: true) first.', 'webhook_inactive');
      const queued = await repo.requeue(id, row.eventId, now(), audited('webhook_delivery'));
      // Pruned between the read and the insert: as if it had not been found.
      if (!queued) throw new NotFoundError('delivery');
      deps.wakeWorker();
      return toDeliveryResponse(queued);
    },

    /** Queues again every event since `since` that the subscription wants, oldest first. */
    async replaySince(id: string, since: string): Promise<{ queued: number }> {
      const subscription = await findOrThrow(id);
      if (!subscription.isActive)
        throw new ConflictError('The webhook is turned off; turn it on (isActive: true) first.', 'webhook_inactive');
      const events = (await repo.eventsSince(new Date(since), maxReplayed * 4))
        .filter((e) => isWantedBy(subscription, e))
        .slice(0, maxReplayed);
      const at = now();
      let queued = 0;
      for (let i = 0; i < events.length; i += 500) {
        const count = await repo.queueMany(
          id,
          events.slice(i, i + 500).map((e) => e.id),
          at,
          audited('webhook'),
        );
        if (count === null) throw new NotFoundError('webhook');
        queued += count;
      }
      deps.wakeWorker();
      return { queued };
    },

    /** Queues a `webhook.ping` event for this subscription alone. */
    async ping(id: string, actor: Actor): Promise<WebhookDeliveryResponse> {
      const subscription = await findOrThrow(id);
      if (!subscription.isActive)
        throw new ConflictError('The webhook is turned off; turn it on (isActive: true) first.', 'webhook_inactive');
      const at = now();
      const row = await repo.queuePing(
        id,
        { id, slug: null, version: subscription.version, actor: actorLabel(actor), surrogateKeys: [] },
        at,
        audited('webhook_delivery'),
      );
      if (!row) throw new NotFoundError('webhook');
      deps.wakeWorker();
      return toDeliveryResponse(row);
    },

    /**
     * Retention: deletes the deliveries that ended (succeeded or finally failed) more than `retentionMs`
     * ago, then the events older than that which no delivery refers to any more. A pending delivery and
     * its event are kept whatever their age. In batches of `batchSize` rows, each its own short
     * transaction; stops between batches once `signal` is aborted. Safe to run from several instances at once.
     */
    async pruneOld(options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<PruneResult> {
      const take = options.batchSize ?? pruneBatchSize;
      const cutoff = new Date(now().getTime() - deps.retentionMs);
      /** Batch after batch, each from where the last one ended, until one comes back short or the signal aborts; answers how many went. */
      async function inBatches<C>(
        prune: (cutoff: Date, take: number, after?: C) => Promise<{ seen: number; deleted: number; last?: C }>,
      ): Promise<number> {
        let deleted = 0;
        let after: C | undefined;
        while (!options.signal?.aborted) {
          const batch = await prune(cutoff, take, after);
          deleted += batch.deleted;
          if (batch.seen < take || !batch.last) break;
          after = batch.last;
        }
        return deleted;
      }
      const deliveries = await inBatches(repo.pruneFinishedDeliveries);
      // Events only once no delivery refers to them: after the deliveries' pass.
      const events = await inBatches(repo.pruneOrphanedEvents);
      return { deliveries, events };
    },
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
