import type { Logger } from 'pino';
import type { WireSettings } from '../../config.ts';
import type { ImportOutcome, IncomingArticle } from '../../shared/incoming-article.ts';
import { backoffMs, createLeasedWorker, type LeasedWorker } from '../../shared/leased-worker.ts';
import { FeedFetchError, fetchFeed } from './wire.fetch.ts';
import { parseFeed, type NinjsParser } from './wire.feeds.ts';
import type { PollOutcome, WireRepository, WireSourceRow } from './wire.repository.ts';
import { WireCredentialsSchema, type WireFormat } from './wire.schemas.ts';

export interface WirePollerDeps {
  repo: WireRepository;
  now: () => Date;
  logger: Logger;
  settings: WireSettings;
  parseNinjs: NinjsParser;
  /** Imports one item as a draft of the incoming desk, on behalf of the source (the audit names it). */
  importItem: (item: IncomingArticle, source: { id: string; name: string }) => Promise<ImportOutcome>;
}

// A source failing again and again is polled at most this far apart (or at its own interval, if longer).
const maxBackoffMs = 6 * 3_600_000;
// The lease is renewed every so many items of a long feed.
const itemsPerLeaseRenewal = 20;

/** The namespace of a source's item ids: the feed's host, which a rename of the source does not change. */
export function sourceNamespaceOf(url: string): string {
  return new URL(url).hostname.replace(/^www\./, '').toLowerCase();
}

/** Short and free of secrets: what admins see as `lastError`. */
const shortError = (message: string) => (message.length > 500 ? `${message.slice(0, 499)}…` : message);

/**
 * Polls the active wire sources, each when it is due and by one instance at a time (its lease): a GET with
 * the last answer's validators, then each new or changed item imported as a draft. A failure waits twice as
 * long each time, up to six hours; a success goes back to the source's interval.
 */
export function createWirePoller(deps: WirePollerDeps): LeasedWorker {
  const { repo, now, logger, settings } = deps;

  async function poll(source: WireSourceRow, { workerId, signal }: { workerId: string; signal: AbortSignal }): Promise<void> {
    const startedAt = now();
    const pollMs = source.pollSeconds * 1000;
    const credentials = WireCredentialsSchema.safeParse(source.credentials ?? null);
    let outcome: PollOutcome;
    try {
      const answer = await fetchFeed({
        url: source.url,
        etag: source.etag,
        lastModified: source.lastModified,
        credentials: credentials.success ? credentials.data : null,
        timeoutMs: settings.fetchTimeoutMs,
        maxBytes: settings.maxFeedBytes,
        allowPrivate: settings.allowPrivateAddresses,
        signal,
      });
      if (answer.status === 'not_modified') {
        outcome = { at: now(), status: 'not_modified', error: null, imported: 0, consecutiveFailures: 'reset', nextPollAt: startedAt };
      } else {
        const feed = parseFeed(answer.body, source.format as WireFormat, {
          source: sourceNamespaceOf(source.url),
          rubricId: source.rubricId,
          parseNinjs: deps.parseNinjs,
        });
        const result = await importAll(source, feed.items, workerId, signal);
        if (result === 'aborted') return void (await repo.release(source.id, workerId).catch(() => undefined));
        if (result === 'lease_lost') return;
        const problems = [...feed.problems, ...result.errors];
        outcome = {
          at: now(),
          status: 'ok',
          error: problems.length ? shortError(`${problems.length} item(s) not imported: ${problems.slice(0, 3).join('; ')}`) : null,
          imported: result.imported,
          consecutiveFailures: 'reset',
          nextPollAt: startedAt,
          // An item that failed to import is tried again next time: the feed is then fetched whole, not answered 304.
          validators: result.errors.length ? { etag: null, lastModified: null } : { etag: answer.etag, lastModified: answer.lastModified },
        };
        logger.info(
          { wireSourceId: source.id, items: feed.items.length, imported: result.imported, problems: problems.length },
          'wire source polled',
        );
      }
      outcome.nextPollAt = new Date(outcome.at.getTime() + pollMs);
    } catch (error) {
      if (signal.aborted) return void (await repo.release(source.id, workerId).catch(() => undefined));
      const failures = source.consecutiveFailures + 1;
      const at = now();
      // pollSeconds × 2^failures: the first failure waits two intervals.
      const delay = backoffMs(failures + 1, { baseMs: pollMs, maxMs: Math.max(pollMs, maxBackoffMs) });
      const message = shortError(error instanceof FeedFetchError ? error.message : `could not read the feed: ${(error as Error).message}`);
      logger.warn({ wireSourceId: source.id, consecutiveFailures: failures, error: message }, 'wire source poll failed');
      outcome = {
        at,
        status: 'failed',
        error: message,
        imported: 0,
        consecutiveFailures: 'increment',
        nextPollAt: new Date(at.getTime() + delay),
      };
    }
    await repo.finish(source.id, workerId, outcome);
  }

  async function importAll(
    source: WireSourceRow,
    items: IncomingArticle[],
    workerId: string,
    signal: AbortSignal,
  ): Promise<{ imported: number; errors: string[] } | 'aborted' | 'lease_lost'> {
    let imported = 0;
    const errors: string[] = [];
    // Feeds list the newest first: the oldest is imported first, so the desk's newest-first order follows the feed's.
    const inOrder = [...items].reverse();
    for (const [index, item] of inOrder.entries()) {
      if (signal.aborted) return 'aborted';
      if (index > 0 && index % itemsPerLeaseRenewal === 0) {
        if (!(await repo.extendLease(source.id, workerId, new Date(now().getTime() + settings.leaseMs)))) return 'lease_lost';
      }
      try {
        const result = await deps.importItem(item, { id: source.id, name: source.name });
        if (result.status === 'created' || result.status === 'updated') imported++;
        else if (result.status === 'error') errors.push(`${item.externalId}: ${result.error?.detail ?? 'not imported'}`.slice(0, 300));
      } catch (error) {
        errors.push(`${item.externalId}: ${(error as Error).message}`.slice(0, 300));
      }
    }
    return { imported, errors };
  }

  return createLeasedWorker({
    name: 'wire',
    jobs: { dueIds: repo.dueIds, claim: repo.claim, run: poll },
    now,
    logger,
    concurrency: settings.concurrency,
    leaseMs: settings.leaseMs,
    pollIntervalMs: settings.pollIntervalMs,
  });
}
