import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.ts';
import { createStreamHub } from '../../src/modules/stream/stream.hub.ts';
import type { LoggedEvent, StreamRepository } from '../../src/modules/stream/stream.repository.ts';
import { TestClock } from '../support/test-app.ts';

/** A response whose client never reads: everything written stays buffered. */
function unreadResponse() {
  const res = Object.assign(new EventEmitter(), {
    written: [] as string[],
    writableLength: 0,
    destroyed: false,
    writeHead: () => res,
    flushHeaders: () => undefined,
    write: (text: string) => {
      res.written.push(text);
      res.writableLength += Buffer.byteLength(text);
      return false;
    },
    end: () => undefined,
    destroy: () => {
      res.destroyed = true;
      res.emit('close');
    },
  });
  return res;
}

// No database: the log is a stand-in, so that only the hub's own behaviour is under test.
describe('the stream hub', () => {
  const clock = new TestClock();

  it('when a client leaves more than STREAM_MAX_BUFFERED_BYTES unread, then it is dropped, and the others are not', async () => {
    const repo = {
      ...({} as StreamRepository),
      maxId: async () => 0,
      minId: async () => null,
      listAfter: async (after: number): Promise<LoggedEvent[]> =>
        after === 0
          ? Array.from({ length: 20 }, (_, i) => ({ id: i + 1, topic: 'feed', type: 'feed.changed', data: { text: 'х'.repeat(100) } }))
          : [],
    };
    const hub = createStreamHub({
      repo,
      now: clock.now,
      logger: createLogger('silent'),
      settings: { maxClients: 10, heartbeatMs: 60_000, retentionMs: 900_000, pollIntervalMs: 60_000, maxBufferedBytes: 1024 },
    });
    const slow = unreadResponse();
    await hub.connect(slow as unknown as ServerResponse, ['feed'], null);
    const other = unreadResponse();
    await hub.connect(other as unknown as ServerResponse, ['live:x'], null);
    await hub.pull();
    expect(slow.destroyed).toBe(true);
    expect(other.destroyed).toBe(false);
    expect(hub.stats().clients).toBe(1);
    await hub.close();
  });
});
