import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';

/**
 * Why a request refused by the watch failed: recognised as database_unavailable (src/db/prisma-errors.ts)
 * by its message, since Prisma passes a driver's plain errors on as they are.
 */
export const notAnsweringMessage = 'The database is not answering';

export interface AnswerWatchSettings {
  /** A statement running this long makes the watch check, on another connection, that the database still answers. */
  probeAfterMs: number;
  /** How long the check waits for its answer; and, while the database is marked unanswering, how often it checks again. */
  probeTimeoutMs: number;
}

export interface AnswerWatch {
  /** False while the database is marked as not answering (until a check gets an answer). */
  isAnswering(): boolean;
  /** Stops the timers (on close). */
  stop(): void;
}

/**
 * A statement timeout alone makes every request wait it out (30 s by default) when a database stops answering
 * without closing connections (a partition, a hung server). This watch notices sooner: when a statement has run
 * `probeAfterMs` and a `SELECT 1` gets no answer within `probeTimeoutMs`, it marks the database as not answering.
 * Then every statement waiting or about to start fails at once (and with it its request: 503 database_unavailable),
 * and it checks again every `probeTimeoutMs` until the database answers. A COMMIT is never cut short: whether
 * it took effect cannot be known, so it waits for its answer or its timeout.
 */
export function watchAnswers(
  factory: SqlDriverAdapterFactory,
  settings: AnswerWatchSettings,
): { factory: SqlDriverAdapterFactory; watch: AnswerWatch } {
  const inFlight = new Map<number, { startedAt: number; fail: (error: Error) => void }>();
  let nextId = 0;
  let isAnswering = true;
  let isProbing = false;
  let probe: (() => Promise<unknown>) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const notAnswering = () => new Error(notAnsweringMessage);

  /** The statement, failing at once if the database is marked unanswering or becomes so before it answers. */
  const watched = <T>(run: () => Promise<T>): Promise<T> => {
    if (!isAnswering) return Promise.reject(notAnswering());
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      inFlight.set(id, { startedAt: Date.now(), fail: reject });
      schedule();
      run().then(resolve, reject);
    }).finally(() => inFlight.delete(id));
  };

  const check = async () => {
    if (!probe || isProbing) return;
    isProbing = true;
    const answered = await answersWithin(settings.probeTimeoutMs, probe);
    isProbing = false;
    isAnswering = answered;
    if (!answered) for (const { fail } of inFlight.values()) fail(notAnswering());
    schedule();
  };

  // One timer at a time, and only while there is something to watch: an idle server runs none.
  function schedule() {
    if (timer) return;
    let delay: number | undefined;
    if (!isAnswering) delay = settings.probeTimeoutMs;
    else if (inFlight.size > 0) {
      const oldest = Math.min(...[...inFlight.values()].map(({ startedAt }) => startedAt));
      delay = Math.max(0, oldest + settings.probeAfterMs - Date.now());
    }
    if (delay === undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      const isStalled = [...inFlight.values()].some(({ startedAt }) => Date.now() - startedAt >= settings.probeAfterMs);
      if (!isAnswering || isStalled) void check();
      else schedule();
    }, delay);
    timer.unref();
  }

  const watchTransaction = (transaction: Transaction): Transaction =>
    new Proxy(transaction, {
      get(target, property, receiver) {
        if (property === 'queryRaw') return (query: SqlQuery) => watched(() => target.queryRaw(query));
        if (property === 'executeRaw') return (query: SqlQuery) => watched(() => target.executeRaw(query));
        if (property === 'rollback')
          // Answered at once while the database is away (the connection is dropped or rolls back by itself); the request has failed anyway.
          return async () => {
            if (isAnswering) return target.rollback();
            target.rollback().catch(() => undefined);
          };
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

  const watchAdapter = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    probe = () => adapter.queryRaw({ sql: 'SELECT 1', args: [], argTypes: [] });
    return new Proxy(adapter, {
      get(target, property, receiver) {
        switch (property) {
          case 'queryRaw':
            return (query: SqlQuery) => watched(() => target.queryRaw(query));
          case 'executeRaw':
            return (query: SqlQuery) => watched(() => target.executeRaw(query));
          case 'startTransaction':
            return async (isolationLevel?: Parameters<SqlDriverAdapter['startTransaction']>[0]) =>
              watchTransaction(await watched(() => target.startTransaction(isolationLevel)));
          default: {
            const value = Reflect.get(target, property, receiver) as unknown;
            return typeof value === 'function' ? value.bind(target) : value;
          }
        }
      },
    });
  };

  const watchedFactory = new Proxy(factory, {
    get(target, property, receiver) {
      if (property === 'connect') return async () => watchAdapter(await target.connect());
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

  return {
    factory: watchedFactory,
    watch: {
      isAnswering: () => isAnswering,
      stop: () => clearTimeout(timer),
    },
  };
}

/** Whether a query settles within the time; one still waiting then counts as unanswered (it goes on, bounded by the timeouts). */
export async function answersWithin(timeoutMs: number, query: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  let settled: boolean | undefined;
  const answered = query().then(
    () => (settled = true),
    () => (settled = false),
  );
  const timedOut = new Promise<boolean>((resolve) => {
    // An answer that arrived while the event loop was busy past the time is read before this gives up on it.
    timer = setTimeout(() => setImmediate(() => resolve(settled ?? false)), timeoutMs);
  });
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
