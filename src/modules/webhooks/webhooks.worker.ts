import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { PrismaTx } from '../../db/database.ts';
import { eventBody } from './webhooks.events.ts';
import type { HeadDelivery, WebhooksRepository } from './webhooks.repository.ts';
import { sendDelivery } from './webhooks.sender.ts';
import type { PruneResult } from './webhooks.service.ts';
import { signedHeaders } from './webhooks.signing.ts';
import type { WebhookWorkerSettings } from '../../config.ts';

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
export function createWebhookWorker(deps: WebhookWorkerDeps) {
  const { repo, now, logger, settings } = deps;
  const random = deps.random ?? Math.random;
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  // Longer than any attempt, so that a live worker never loses its queue in the middle of one; short
  // enough that the queue of a killed worker is taken over soon.
  const leaseMs = 2 * settings.timeoutMs + 5_000;
  const stopping = new AbortController();
  let isRunning = false;
  let loop: Promise<void> | undefined;
  let isWakeRequested = false;
  let wakeUp: (() => void) | undefined;
  let nextPruneAt = -Infinity;
  let pruning: Promise<void> | undefined;
  // Callers of nextPass(), told when a pass that started after they asked is over.
  let passWatchers: (() => void)[] = [];

  function retryDelayMs(attempts: number): number {
    const delay = Math.min(settings.retryMaxDelayMs, settings.retryBaseMs * 2 ** Math.min(attempts - 1, 30));
    return Math.round(delay * (0.75 + random() * 0.5));
  }

  async function attempt(head: HeadDelivery): Promise<'done' | 'aborted'> {
    const body = eventBody(head.event);
    const headers = signedHeaders(head.subscription.secret, head.event.id, Math.floor(Date.now() / 1000), body);
    const sent = await sendDelivery({
      url: head.subscription.url,
      headers,
      body,
      timeoutMs: settings.timeoutMs,
      allowPrivate: settings.allowPrivateAddresses,
      signal: stopping.signal,
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

  /** Delivers one subscription's queue in order while it holds the lease; answers whether it sent anything. */
  async function drain(subscriptionId: string): Promise<boolean> {
    if (!(await repo.claim(subscriptionId, workerId, now(), leaseMs))) return false;
    let blockedUntil: Date | null = null;
    let sent = 0;
    try {
      while (isRunning && sent < deliveriesPerClaim) {
        const head = await repo.head(subscriptionId);
        if (!head?.subscription.isActive) break;
        if (head.nextAttemptAt > now()) {
          blockedUntil = head.nextAttemptAt;
          break;
        }
        if ((await attempt(head)) === 'aborted') break;
        sent++;
      }
    } finally {
      await repo.release(subscriptionId, workerId, blockedUntil);
    }
    return sent > 0;
  }

  async function runOnce(): Promise<boolean> {
    const ids = await repo.claimableSubscriptionIds(now(), 50);
    // Instances take queues in different orders, so they rarely reach for the same one.
    const shuffled = ids
      .map((id) => ({ id, order: random() }))
      .sort((a, b) => a.order - b.order)
      .map((e) => e.id);
    let didWork = false;
    for (let i = 0; i < shuffled.length && isRunning; i += parallelQueues) {
      const results = await Promise.all(shuffled.slice(i, i + parallelQueues).map(drain));
      didWork ||= results.some(Boolean);
    }
    return didWork;
  }

  function sleep(ms: number): Promise<void> {
    if (isWakeRequested || !isRunning) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  }

  /** Starts pruning when due, beside delivery rather than in its way (a first run may have much to delete). */
  function pruneWhenDue(): void {
    const at = now().getTime();
    if (pruning || at < nextPruneAt) return;
    nextPruneAt = at + pruneEveryMs;
    pruning = deps
      .pruneOld(stopping.signal)
      .then(
        (removed) => {
          if (removed.deliveries || removed.events)
            logger.info({ deletedDeliveries: removed.deliveries, deletedEvents: removed.events }, 'webhook log pruned');
        },
        (error: unknown) => {
          if (isRunning) logger.error({ err: error }, 'webhook log pruning failed');
        },
      )
      .finally(() => {
        pruning = undefined;
      });
  }

  async function run(): Promise<void> {
    while (isRunning) {
      const watchers = passWatchers;
      passWatchers = [];
      pruneWhenDue();
      isWakeRequested = false;
      let didWork = false;
      try {
        didWork = await runOnce();
      } catch (error) {
        if (isRunning) logger.error({ err: error }, 'webhook worker pass failed');
      }
      if (watchers.length)
        void Promise.resolve(pruning).then(() => {
          for (const done of watchers) done();
        });
      if (!didWork) await sleep(settings.pollIntervalMs);
    }
    for (const done of passWatchers.splice(0)) done();
  }

  return {
    id: workerId,
    start(): void {
      if (isRunning) return;
      isRunning = true;
      loop = run();
    },
    /** Looks at the outbox now rather than at the next poll (after a commit that recorded events). */
    wake(): void {
      isWakeRequested = true;
      wakeUp?.();
    },
    /**
     * Resolves once a pass that starts after the call is over, with the pruning it started: what a
     * pass did not do can then be checked at once (tests), rather than after a guessed wait.
     */
    nextPass(): Promise<void> {
      if (!isRunning) return Promise.resolve();
      return new Promise((resolve) => passWatchers.push(resolve));
    },
    /** Stops polling; an attempt in flight is abandoned (not counted) and its queue released, so another worker takes it. */
    async stop(): Promise<void> {
      if (!isRunning) return;
      isRunning = false;
      stopping.abort();
      wakeUp?.();
      await loop;
      await pruning;
    },
  };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;
