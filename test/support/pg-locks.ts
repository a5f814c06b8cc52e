import type pg from 'pg';
import { expect, vi } from 'vitest';

/**
 * Resolves once a session of the client's database waits on a lock: the request started beside a
 * transaction the client holds open has reached that transaction's lock, so the race is set.
 */
export async function untilSomeoneWaitsOnALock(client: pg.Client): Promise<void> {
  await vi.waitFor(
    async () => {
      const waiting = await client.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      expect(waiting.rowCount).toBeGreaterThan(0);
    },
    { timeout: 10_000, interval: 20 },
  );
}
