import type { Logger } from 'pino';
import type { PrismaTx } from '../../db/database.ts';
import { eventBody } from './webhooks.events.ts';
import type { HeadDelivery, WebhooksRepository } from './webhooks.repository.ts';
import { sendDelivery } from './webhooks.sender.ts';
import type { PruneResult } from './webhooks.service.ts';
import { signedHeaders } from './webhooks.signing.ts';
import type { WebhookWorkerSettings } from '../../config.ts';
import { backoffMs, createLeasedWorker, type LeasedWorker } from '../../shared/leased-worker.ts';

export interface WebhookWorkerDeps {
  repo: WebhooksRepository;
  /** The clock of every scheduling decision (retries, leases); signatures use the real time receivers check against. */
  now: () => Date;
  logger: Logger;
  settings: WebhookWorkerSettings;
  /** Told, in the transaction that turns a subscription off, that the worker does (the audit log records it). */
  onDisabled: (tx: PrismaTx, subscriptionId: string, consecutiveFailures: number) => Promise<void>;
  /** Deletes what is past retention (the service's pruneOld); stops between batches once `signal` is aborted. */
  pruneOld: (signal: AbortSignal) => Promise<PruneResult>;
  random?: () => number;
}

// Subscriptions delivered side by side by one worker; each one's own queue goes strictly in order.
const parallelQueues = 4;
// A worker lets go of a queue after this many deliveries, so that the others get their turn.
const deliveriesPerClaim = 100;
// Old deliveries and events are pruned at start, then at most this often.
const pruneEveryMs = 3_600_000;

/**
 * Delivers the outbox: claims a subscription's queue with a lease (a conditional update, so one
 * worker of many instances holds it), sends its oldest waiting delivery, and the next only when that
 * one succeeded or finally failed.
 */
export function createWebhookWorker(deps: WebhookWorkerDeps): LeasedWorker {
  const { repo, now, logger, settings } = deps;
  const random = deps.random ?? Math.random;
  // Longer than any attempt, so that a live worker never loses its queue in the middle of one; short
  // enough that the queue of a killed worker is taken over soon.
  const leaseMs = 2 * settings.timeoutMs + 5_000;
  let nextPruneAt = -Infinity;

  const retryDelayMs = (attempts: number) =>
    backoffMs(attempts, { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxDelayMs, jitter: 0.25, random });

  async function attempt(head: HeadDelivery, workerId: string, signal: AbortSignal): Promise<'done' | 'aborted'> {
    const body = eventBody(head.event);
    const headers = signedHeaders(head.subscription.secret, head.event.id, Math.floor(Date.now() / 1000), body);
    const sent = await sendDelivery({
      url: head.subscription.url,
      headers,
      body,
      timeoutMs: settings.timeoutMs,
      allowPrivate: settings.allowPrivateAddresses,
      signal,
    });
    if (sent.isAborted) return 'aborted';
    const at = now();
    const attempts = head.attempts + 1;
    const isSuccess = sent.status !== null && sent.status >= 200 && sent.status < 300;
    const retryAt = new Date(at.getTime() + retryDelayMs(attempts));
    const isFinal = !isSuccess && retryAt.getTime() - head.createdAt.getTime() > settings.retryForMs;
    const status = isSuccess ? 'succeeded' : isFinal ? 'failed' : 'pending';
    const counts = await repo.recordAttempt(
      head,
      workerId,
      {
        status,
        attempts,
        nextAttemptAt: status === 'pending' ? retryAt : head.nextAttemptAt,
        lastAttemptAt: at,
        responseStatus: sent.status,
        responseTimeMs: sent.timeMs,
        lastError: isSuccess ? null : (sent.error ?? `answered ${sent.status}`),
        completedAt: status === 'pending' ? null : at,
      },
      { consecutiveFailures: isSuccess ? 'reset' : isFinal ? 'increment' : 'keep', lockedUntil: new Date(at.getTime() + leaseMs) },
    );
    if (!isSuccess)
      logger.warn(
        { deliveryId: head.id, subscriptionId: head.subscriptionId, status: sent.status, error: sent.error, final: isFinal },
        'webhook delivery failed',
      );
    const failures = counts?.consecutiveFailures ?? 0;
    if (isFinal && failures >= settings.disableAfterFailures) {
      if (await repo.disable(head.subscriptionId, at, (tx) => deps.onDisabled(tx, head.subscriptionId, failures))) {
        logger.warn(
          { subscriptionId: head.subscriptionId, consecutiveFailures: failures },
          'webhook subscription disabled after repeated failures',
        );
      }
    }
    return 'done';
  }

  /** Delivers one claimed subscription's queue in order while it holds the lease; answers whether it sent anything. */
  async function drain(subscriptionId: string, { workerId, signal }: { workerId: string; signal: AbortSignal }): Promise<boolean> {
    let blockedUntil: Date | null = null;
    let sent = 0;
    try {
      while (!signal.aborted && sent < deliveriesPerClaim) {
        const head = await repo.head(subscriptionId);
        if (!head?.subscription.isActive) break;
        if (head.nextAttemptAt > now()) {
          blockedUntil = head.nextAttemptAt;
          break;
        }
        if ((await attempt(head, workerId, signal)) === 'aborted') break;
        sent++;
      }
    } finally {
      await repo.release(subscriptionId, workerId, blockedUntil);
    }
    return sent > 0;
  }

  /** Pruning when due, beside delivery rather than in its way (a first run may have much to delete). */
  function pruneWhenDue(signal: AbortSignal): Promise<void> | undefined {
    const at = now().getTime();
    if (at < nextPruneAt) return undefined;
    nextPruneAt = at + pruneEveryMs;
    return deps.pruneOld(signal).then(
      (removed) => {
        if (removed.deliveries || removed.events)
          logger.info({ deletedDeliveries: removed.deliveries, deletedEvents: removed.events }, 'webhook log pruned');
      },
      (error: unknown) => {
        if (!signal.aborted) logger.error({ err: error }, 'webhook log pruning failed');
      },
    );
  }

  // Instances take queues in a random order, so they rarely reach for the same one.
  return createLeasedWorker({
    name: 'webhook',
    jobs: {
      dueIds: repo.claimableSubscriptionIds,
      claim: async (id, workerId, at, lease) => ((await repo.claim(id, workerId, at, lease)) ? id : null),
      run: drain,
    },
    now,
    logger,
    concurrency: parallelQueues,
    leaseMs,
    pollIntervalMs: settings.pollIntervalMs,
    batchSize: 50,
    isShuffled: true,
    random,
    besidePass: pruneWhenDue,
  });
}

export type WebhookWorker = LeasedWorker;
