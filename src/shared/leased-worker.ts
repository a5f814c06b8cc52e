import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { createWorkQueue } from './work-queue.ts';

/**
 * The jobs a leased worker runs, as its module's repository keeps them: a job is a row with a lease
 * (lockedBy, lockedUntil), taken with a conditional update so that one worker of many instances runs it.
 */
export interface LeasedJobs<Job> {
  /** Ids of the jobs due at `at` that no live worker holds, at most `take`, the longest waiting first. */
  dueIds(at: Date, take: number): Promise<string[]>;
  /** Takes the job for `leaseMs` if it is still due and free: the job when this worker won it, null when another did. */
  claim(id: string, workerId: string, at: Date, leaseMs: number): Promise<Job | null>;
  /**
   * Does the job and records its outcome, letting go of the lease. Once `signal` aborts (the worker is
   * stopping), it stops and releases the job without counting an attempt, so that another worker takes it.
   * Answers false when it found nothing to do after all (the pass then counts as idle, and the worker sleeps).
   */
  run(job: Job, context: { workerId: string; signal: AbortSignal }): Promise<unknown>;
}

export interface LeasedWorkerOptions<Job> {
  /** Names the worker in its logs: `narration`, `wire`. */
  name: string;
  jobs: LeasedJobs<Job>;
  now: () => Date;
  logger: Logger;
  /** Jobs run at once by this worker. */
  concurrency: number;
  /** How long a claim holds a job: longer than a run, short enough that a dead worker's job is taken over soon. */
  leaseMs: number;
  /** How often it looks for due jobs when nothing woke it. */
  pollIntervalMs: number;
  /** Due jobs read per pass; 4 × concurrency unless said. */
  batchSize?: number;
  /** Takes the due jobs in a random order, so that instances rarely reach for the same one first. */
  isShuffled?: boolean;
  random?: () => number;
  /**
   * Work a pass starts beside its jobs rather than in their way (pruning old rows), or undefined: nextPass()
   * waits for it too, and stop() waits for it to end after aborting the signal.
   */
  besidePass?: (signal: AbortSignal) => Promise<void> | undefined;
}

/** A worker of leased jobs: start(), then it runs due jobs until stop(). */
export interface LeasedWorker {
  /** This worker's name in the leases it takes (host, process, a random part). */
  readonly id: string;
  start(): void;
  /** Looks for due jobs now rather than at the next poll (after a commit that made one due). */
  wake(): void;
  /** Resolves once a pass that starts after the call is over: what a pass did (or did not do) can then be checked at once (tests). */
  nextPass(): Promise<void>;
  /** Stops; a job in flight is abandoned and released for another worker (its run sees the signal). */
  stop(): Promise<void>;
}

/** A worker id unique across hosts and processes: the lease names it. */
export const newWorkerId = (): string => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * The delay before the `attempt`-th retry (1 for the first): `baseMs` doubled each time, at most `maxMs`,
 * spread by ± `jitter` (0.25: from 75 % to 125 %) so that many failing jobs do not come back together.
 */
export function backoffMs(attempt: number, options: { baseMs: number; maxMs?: number; jitter?: number; random?: () => number }): number {
  const delay = Math.min(options.maxMs ?? Infinity, options.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  if (!options.jitter) return delay;
  const random = options.random ?? Math.random;
  return Math.round(delay * (1 - options.jitter + random() * 2 * options.jitter));
}

/**
 * The loop every background worker shares: finds due jobs, claims each with a lease and runs it, at most
 * `concurrency` at once; sleeps `pollIntervalMs` when a pass found nothing, unless woken. The claim, the
 * outcome and the release are the module's (its repository's conditional updates); back-off is the run's.
 */
export function createLeasedWorker<Job>(options: LeasedWorkerOptions<Job>): LeasedWorker {
  const { jobs, now, logger, name } = options;
  const random = options.random ?? Math.random;
  const batchSize = options.batchSize ?? options.concurrency * 4;
  const workerId = newWorkerId();
  const stopping = new AbortController();
  let isRunning = false;
  let loop: Promise<void> | undefined;
  let isWakeRequested = false;
  let wakeUp: (() => void) | undefined;
  let beside: Promise<void> | undefined;
  // Callers of nextPass(), told when a pass that started after they asked is over.
  let passWatchers: (() => void)[] = [];

  function startBesidePass(): void {
    if (beside || !options.besidePass) return;
    const started = options.besidePass(stopping.signal);
    if (!started) return;
    beside = started
      .catch((error: unknown) => {
        if (isRunning) logger.error({ err: error, worker: name }, `${name} worker: work beside the pass failed`);
      })
      .finally(() => {
        beside = undefined;
      });
  }

  /** One pass: answers whether it ran any job. */
  async function runOnce(): Promise<boolean> {
    let ids = await jobs.dueIds(now(), batchSize);
    if (options.isShuffled)
      ids = ids
        .map((id) => ({ id, order: random() }))
        .sort((a, b) => a.order - b.order)
        .map((e) => e.id);
    // A job is claimed only when a slot is free: no lease is held while it waits for its turn.
    const queue = createWorkQueue({ concurrency: options.concurrency });
    const ran = await Promise.all(
      ids.map((id) =>
        queue.run(async () => {
          if (!isRunning) return false;
          const job = await jobs.claim(id, workerId, now(), options.leaseMs);
          if (!job) return false;
          try {
            return (await jobs.run(job, { workerId, signal: stopping.signal })) !== false;
          } catch (error) {
            if (isRunning) logger.error({ err: error, worker: name, jobId: id }, `${name} job failed`);
            return true;
          }
        }),
      ),
    );
    return ran.some(Boolean);
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

  async function loopWhileRunning(): Promise<void> {
    while (isRunning) {
      const watchers = passWatchers;
      passWatchers = [];
      startBesidePass();
      isWakeRequested = false;
      let didWork = false;
      try {
        didWork = await runOnce();
      } catch (error) {
        if (isRunning) logger.error({ err: error, worker: name }, `${name} worker pass failed`);
      }
      if (watchers.length)
        void Promise.resolve(beside).then(() => {
          for (const done of watchers) done();
        });
      if (!didWork) await sleep(options.pollIntervalMs);
    }
    for (const done of passWatchers.splice(0)) done();
  }

  return {
    id: workerId,
    start(): void {
      if (isRunning) return;
      isRunning = true;
      loop = loopWhileRunning();
    },
    wake(): void {
      isWakeRequested = true;
      wakeUp?.();
    },
    nextPass(): Promise<void> {
      if (!isRunning) return Promise.resolve();
      return new Promise((resolve) => passWatchers.push(resolve));
    },
    async stop(): Promise<void> {
      if (!isRunning) return;
      isRunning = false;
      stopping.abort();
      wakeUp?.();
      await loop;
      await beside;
    },
  };
}
