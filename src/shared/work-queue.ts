/**
 * Runs at most `concurrency` tasks at once; the others wait for a free slot, first come first served. With
 * `maxWaiting`, a task that would wait behind that many is refused at once (QueueFullError) rather than queued
 * without bound: under a flood, waiting longer only makes every caller time out.
 */
export interface WorkQueue {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  running(): number;
  /** Tasks waiting for a slot. */
  waiting(): number;
}

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

export function createWorkQueue({ concurrency, maxWaiting = Infinity }: { concurrency: number; maxWaiting?: number }): WorkQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, not ${concurrency}`);
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    async run(task) {
      if (running < concurrency) running++;
      else if (waiting.length >= maxWaiting) throw new QueueFullError(`${waiting.length} tasks are waiting already`);
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        // The slot passes straight to the next task waiting, if any.
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
    running: () => running,
    waiting: () => waiting.length,
  };
}
