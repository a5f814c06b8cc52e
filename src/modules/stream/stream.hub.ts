import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { StreamSettings } from '../../config.ts';
import { ServerBusyError } from '../../errors.ts';
import { feedTopic, type StreamEventInput, type StreamRecorder } from '../../shared/stream-events.ts';
import type { StreamBus } from './stream.bus.ts';
import type { LoggedEvent, StreamRepository } from './stream.repository.ts';

/** Events read from the log at a time. */
const READ_BATCH = 500;
/** A reconnecting client that missed more than this refetches instead (`event: reset`). */
const REPLAY_MAX = 1000;
/** How long a hole in the log's ids is waited for: a transaction that took the id may not have committed yet. */
const GAP_WAIT_MS = 500;
/** Reconnection delay browsers are advised (`retry:`). */
const RETRY_MS = 2000;
const PRUNE_EVERY_MS = 60_000;

export interface StreamHubDeps {
  repo: StreamRepository;
  now: () => Date;
  logger: Logger;
  settings: StreamSettings;
  /** Links the instances (Redis); without it each instance polls the log. */
  connectBus?: (onNotified: () => void) => StreamBus;
  /** The next time public content changes by the clock alone (a scheduled article, an embargo's end), after `at`. */
  nextScheduledChange?: (at: Date) => Promise<Date | null>;
}

interface Client {
  res: ServerResponse;
  topics: Set<string>;
  /** Live events that arrived while the client's replay was read; null once it is live. */
  pending: LoggedEvent[] | null;
}

const formatEvent = (event: LoggedEvent) =>
  `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ topic: event.topic, ...(event.data as object) })}\n\n`;

/**
 * The real-time stream of one instance: its clients, and the log's events fanned out to them in id order.
 * Any instance writes events in its transactions; each instance reads the log after its own commits, when
 * Redis says another instance wrote, and on a timer (the only way without Redis, a safety net with it).
 */
export function createStreamHub(deps: StreamHubDeps) {
  const { repo, now, logger, settings } = deps;
  const clients = new Set<Client>();
  /** The last event id delivered (every event up to it is delivered or was never going to be); null while idle. */
  let cursor: number | null = null;
  let starting: Promise<void> | undefined;
  let isPulling = false;
  let isPullAgain = false;
  let gapSeenAt: number | null = null;
  let pollTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let scheduleTimer: NodeJS.Timeout | undefined;
  let checkedUpTo: Date | null = null;
  let lastPruneAt = 0;
  let isClosed = false;
  let bus: StreamBus | undefined;

  const ensureBus = () => {
    if (!bus && deps.connectBus && !isClosed) bus = deps.connectBus(() => void pull());
    return bus;
  };

  function write(client: Client, text: string): void {
    if (client.res.destroyed) return;
    client.res.write(text);
    // A client that does not read is dropped rather than buffered without bound; it reconnects with Last-Event-ID.
    if (client.res.writableLength > settings.maxBufferedBytes) {
      logger.warn({ buffered: client.res.writableLength }, 'stream: dropping a client that does not read');
      drop(client);
      client.res.destroy();
    }
  }

  function deliver(event: LoggedEvent): void {
    const text = formatEvent(event);
    for (const client of clients) {
      if (!client.topics.has(event.topic)) continue;
      if (client.pending) client.pending.push(event);
      else write(client, text);
    }
  }

  async function pullOnce(): Promise<boolean> {
    if (cursor === null) return false;
    const rows = await repo.listAfter(cursor, READ_BATCH);
    for (const row of rows) {
      if (row.id !== cursor + 1) {
        gapSeenAt ??= Date.now();
        if (Date.now() - gapSeenAt < GAP_WAIT_MS) {
          setTimeout(() => void pull(), 50).unref();
          return false;
        }
      }
      gapSeenAt = null;
      cursor = row.id;
      deliver(row);
      // A change to the feed may have scheduled something: when it comes is read again.
      if (row.type === 'feed.changed') void watchSchedule();
    }
    return rows.length === READ_BATCH;
  }

  /** Reads and delivers what the log holds beyond the cursor; calls made meanwhile make it read once more. */
  async function pull(): Promise<void> {
    if (cursor === null || isClosed) return;
    if (isPulling) {
      isPullAgain = true;
      return;
    }
    isPulling = true;
    try {
      do {
        isPullAgain = false;
        if (await pullOnce()) isPullAgain = true;
      } while (isPullAgain && !isClosed);
    } catch (error) {
      logger.error({ err: error }, 'stream: could not read the event log');
    } finally {
      isPulling = false;
    }
  }

  /** Starts reading the log at its end when the first client comes. */
  function start(): Promise<void> {
    starting ??= (async () => {
      ensureBus();
      cursor = await repo.maxId();
      const pollMs = deps.connectBus ? Math.max(settings.pollIntervalMs, 5000) : settings.pollIntervalMs;
      pollTimer = setInterval(() => void pull(), pollMs).unref();
      heartbeatTimer = setInterval(() => {
        for (const client of clients) if (!client.pending) write(client, ': heartbeat\n\n');
      }, settings.heartbeatMs).unref();
      void watchSchedule();
    })();
    return starting;
  }

  /** Stops reading when the last client has gone; the next one starts again from the log's end. */
  function stopIfIdle(): void {
    if (clients.size || !starting) return;
    clearInterval(pollTimer);
    clearInterval(heartbeatTimer);
    clearTimeout(scheduleTimer);
    starting = undefined;
    cursor = null;
    checkedUpTo = null;
  }

  function drop(client: Client): void {
    clients.delete(client);
    stopIfIdle();
  }

  /**
   * A scheduled or embargoed article becomes public by the clock, with no write: at that moment the feed
   * changed. Every instance watches; the event is written once (keyed by the time). `checkedUpTo`: every
   * such moment up to it has been told.
   */
  async function watchSchedule(): Promise<void> {
    if (!deps.nextScheduledChange || isClosed || !starting) return;
    clearTimeout(scheduleTimer);
    try {
      const from = checkedUpTo ?? now();
      const next = await deps.nextScheduledChange(from);
      if (!starting) return;
      if (next && next.getTime() <= now().getTime()) {
        await emitScheduled(next);
        checkedUpTo = next;
        scheduleTimer = setTimeout(() => void watchSchedule(), 10).unref();
        return;
      }
      checkedUpTo = new Date(Math.max(now().getTime(), from.getTime()));
      // Re-read at least every minute; a write that schedules something re-reads at once (its feed.changed).
      if (next) scheduleTimer = setTimeout(() => void watchSchedule(), Math.min(next.getTime() - now().getTime(), 60_000)).unref();
      else scheduleTimer = setTimeout(() => void watchSchedule(), 60_000).unref();
    } catch (error) {
      logger.error({ err: error }, 'stream: could not read the next scheduled change');
      scheduleTimer = setTimeout(() => void watchSchedule(), 60_000).unref();
    }
  }

  async function emitScheduled(at: Date): Promise<void> {
    if (
      await repo.insertOnce({ topic: feedTopic, type: 'feed.changed', data: { at: at.toISOString() } }, `feed:${at.toISOString()}`, now())
    ) {
      bus?.notify();
    }
    await pull();
  }

  async function replay(client: Client, lastEventId: number): Promise<void> {
    const upTo = cursor ?? 0;
    const oldest = await repo.minId();
    // Beyond the kept window (or an id this log never gave): the client refetches and goes on from here.
    const isTooOld = lastEventId > upTo || (oldest === null ? lastEventId < upTo : lastEventId < oldest - 1);
    const missed = isTooOld ? [] : await repo.listBetween(lastEventId, upTo, [...client.topics], REPLAY_MAX + 1);
    if (isTooOld || missed.length > REPLAY_MAX) write(client, `event: reset\ndata: {}\n\n`);
    else for (const event of missed) write(client, formatEvent(event));
    const pending = client.pending ?? [];
    client.pending = null;
    for (const event of pending) if (event.id > upTo) write(client, formatEvent(event));
  }

  async function prune(): Promise<void> {
    if (Date.now() - lastPruneAt < PRUNE_EVERY_MS) return;
    lastPruneAt = Date.now();
    try {
      await repo.prune(new Date(now().getTime() - settings.retentionMs));
    } catch (error) {
      logger.error({ err: error }, 'stream: could not prune the event log');
    }
  }

  // Connected at once, so that the first event written here is not held up while Redis connects.
  ensureBus();

  const recorder: StreamRecorder = {
    record: (tx, event) => repo.insert(tx, event, now()),
    committed() {
      ensureBus()?.notify();
      void pull();
      void prune();
    },
  };

  return {
    recorder,

    /**
     * Takes a client: the stream's headers and `retry:`, then what it missed since `lastEventId` (or
     * `event: reset` when that is beyond the kept window), then every new event of its topics.
     */
    async connect(res: ServerResponse, topics: string[], lastEventId: number | null): Promise<void> {
      if (isClosed || clients.size >= settings.maxClients) {
        throw new ServerBusyError(
          'This instance holds as many stream connections as it takes; retry after Retry-After, or another instance.',
        );
      }
      const client: Client = { res, topics: new Set(topics), pending: lastEventId === null ? null : [] };
      clients.add(client);
      res.on('close', () => drop(client));
      try {
        await start();
      } catch (error) {
        drop(client);
        throw error;
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        // Never stored nor transformed (compressed) on the way; nginx is told not to buffer it.
        'Cache-Control': 'no-store, no-transform',
        'X-Accel-Buffering': 'no',
        Connection: 'keep-alive',
      });
      res.flushHeaders();
      write(client, `retry: ${RETRY_MS}\n\n`);
      if (lastEventId !== null) await replay(client, lastEventId);
    },

    /** Writes an event after its change committed elsewhere (the feed, changed by any management write), and pushes it. */
    async emit(event: StreamEventInput): Promise<void> {
      await repo.insertNow(event, now());
      recorder.committed();
    },

    /** Reads the log now (tests; a scheduled change after moving the clock). */
    pull,
    checkSchedule: () => watchSchedule(),
    stats: () => ({ clients: clients.size, cursor }),

    /** Ends every stream cleanly (SIGTERM): clients reconnect to another instance with Last-Event-ID. */
    async close(): Promise<void> {
      isClosed = true;
      for (const client of [...clients]) client.res.end();
      clients.clear();
      stopIfIdle();
      await bus?.close();
    },
  };
}

export type StreamHub = ReturnType<typeof createStreamHub>;
