import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startReceiver } from './receiver.ts';
import { admin, call, startServer } from './server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'cms-webhooks-'));
const database = `file:${join(dir, 'webhooks.db')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('webhook delivery across crashes', () => {
  it('when the server is killed after the commit and again in the middle of the delivery, then the event is delivered after the next start', async () => {
    const receiver = await startReceiver();
    let hang = true;
    receiver.answerWith(() => (hang ? new Promise(() => undefined) : { status: 200 }));
    try {
      // The first server commits the change and dies before any worker runs.
      const first = await startServer(database, dir, { WEBHOOK_WORKER: 'off' });
      const token = (await call(first.port, 'POST', '/v1/auth/login', admin)).body.accessToken as string;
      expect(
        (await call(first.port, 'POST', '/v1/admin/webhooks', { url: receiver.url(), events: ['rubric.created'] }, token)).status,
      ).toBe(201);
      const rubric = await call(first.port, 'POST', '/v1/admin/rubrics', { name: 'Рубрика до сбоя' }, token);
      expect(rubric.status).toBe(201);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(receiver.requests).toHaveLength(0);

      // The second one starts delivering and dies with the request in flight.
      const second = await startServer(database, dir);
      await vi.waitFor(() => expect(receiver.requests).toHaveLength(1), { timeout: 15_000, interval: 50 });
      second.child.kill('SIGKILL');
      await second.exited;

      // The third takes the queue over when the dead worker's lease runs out.
      hang = false;
      const third = await startServer(database, dir);
      try {
        await vi.waitFor(() => expect(receiver.requests).toHaveLength(2), { timeout: 20_000, interval: 50 });
        expect(receiver.requests.map((r) => r.json.data.id)).toEqual([rubric.body.id, rubric.body.id]);
        expect(receiver.requests[1]!.headers['webhook-id']).toBe(receiver.requests[0]!.headers['webhook-id']);
      } finally {
        third.child.kill('SIGTERM');
        await third.exited;
      }
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
