import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { beforeAll, expect, it } from 'vitest';
import { createIdempotencyStore, type IdempotencyStore } from '../../src/http/idempotency.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

// The store on its own, for what the HTTP tests cannot provoke: a 5xx, and a first request that never ends.
describeEachDialect('the idempotency store', (dialect) => {
  const { t } = useTestApp(dialect);
  let store: IdempotencyStore;
  beforeAll(async () => {
    store = createIdempotencyStore({ prisma: t.container.db.prisma, dialect, now: t.clock.now, pollIntervalMs: 5, maxWaitMs: 200 });
  });

  const requestWith = (key: string, body: unknown = { name: 'x' }) => {
    const headers: Record<string, string> = { 'idempotency-key': key, 'content-type': 'application/json' };
    return {
      method: 'POST',
      originalUrl: '/v1/admin/rubrics',
      body,
      get: (name: string) => headers[name.toLowerCase()],
    } as unknown as Request;
  };

  it('when a request has no key, then the store stays out of the way', async () => {
    const req = { method: 'POST', originalUrl: '/v1/admin/rubrics', body: {}, get: () => undefined } as unknown as Request;
    expect(await store.begin(req, 'user:1')).toBeUndefined();
  });

  it('when the first attempt is released (a 5xx), then a retry with the key runs again', async () => {
    const key = randomUUID();
    const first = await store.begin(requestWith(key), 'user:1');
    expect(first?.kind).toBe('claimed');
    if (first?.kind === 'claimed') await first.release();
    expect((await store.begin(requestWith(key), 'user:1'))?.kind).toBe('claimed');
  });

  it('when the first request is still running, then a retry waits and answers its response once it is stored', async () => {
    const key = randomUUID();
    const first = await store.begin(requestWith(key), 'user:1');
    const waiting = store.begin(requestWith(key), 'user:1');
    if (first?.kind === 'claimed')
      await first.complete({ status: 201, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"id":"a"}' });
    expect(await waiting).toEqual({
      kind: 'replay',
      response: { status: 201, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"id":"a"}' },
    });
  });

  it('when the first request never finishes, then a retry gives up with 409 idempotency_key_in_use', async () => {
    const key = randomUUID();
    await store.begin(requestWith(key), 'user:1');
    await expect(store.begin(requestWith(key), 'user:1')).rejects.toMatchObject({ status: 409, code: 'idempotency_key_in_use' });
  });

  it('when the process holding a key died (its lease ran out), then a retry claims the key instead of waiting a day', async () => {
    const key = randomUUID();
    const abandoned = await store.begin(requestWith(key), 'user:1');
    expect(abandoned?.kind).toBe('claimed');
    t.clock.advance(59_000);
    await expect(store.begin(requestWith(key), 'user:1')).rejects.toMatchObject({ status: 409 });
    t.clock.advance(2_000);
    const retry = await store.begin(requestWith(key), 'user:1');
    expect(retry?.kind).toBe('claimed');
    if (retry?.kind === 'claimed') await retry.complete({ status: 201, headers: {}, body: '{"id":"b"}' });
    // The dead process's late completion must not overwrite the retry's stored answer.
    if (abandoned?.kind === 'claimed') await abandoned.complete({ status: 201, headers: {}, body: '{"id":"a"}' });
    expect(await store.begin(requestWith(key), 'user:1')).toMatchObject({ kind: 'replay', response: { body: '{"id":"b"}' } });
  });

  it('when the body differs only in key order, then it is the same request', async () => {
    const key = randomUUID();
    const first = await store.begin(requestWith(key, { a: 1, b: { c: 2, d: [1, 2] } }), 'user:1');
    if (first?.kind === 'claimed') await first.complete({ status: 200, headers: {}, body: null });
    expect((await store.begin(requestWith(key, { b: { d: [1, 2], c: 2 }, a: 1 }), 'user:1'))?.kind).toBe('replay');
    await expect(store.begin(requestWith(key, { b: { d: [2, 1], c: 2 }, a: 1 }), 'user:1')).rejects.toMatchObject({ status: 422 });
  });
});
