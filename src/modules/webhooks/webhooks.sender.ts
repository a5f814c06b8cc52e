import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { assertLiteralHostAllowed, guardedLookup } from './webhooks.addresses.ts';

export interface SendOutcome {
  /** The receiver's status, when it answered. */
  status: number | null;
  /** Why the attempt failed without an answer (timeout, refused address, connection error). */
  error: string | null;
  timeMs: number;
  /** Stopped by the worker shutting down: not an attempt at all. */
  isAborted: boolean;
}

// A receiver's answer is read only to free the connection; a few KB is plenty.
const maxAnswerBytes = 16 * 1024;

/** POSTs the body; resolves (never rejects) with what happened within `timeoutMs`. */
export function sendDelivery(target: {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
  signal: AbortSignal;
}): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    if (target.signal.aborted) {
      resolve({ status: null, error: 'stopped', timeMs: 0, isAborted: true });
      return;
    }
    let url: URL;
    try {
      url = new URL(target.url);
      assertLiteralHostAllowed(url, target.allowPrivate);
    } catch (error) {
      resolve({ status: null, error: (error as Error).message, timeMs: 0, isAborted: false });
      return;
    }
    let isSettled = false;
    const settle = (outcome: Omit<SendOutcome, 'timeMs'>) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      target.signal.removeEventListener('abort', onAbort);
      resolve({ ...outcome, timeMs: elapsed() });
    };
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        headers: {
          ...target.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(target.body)),
          'user-agent': 'newsroom-cms-webhooks',
        },
        lookup: guardedLookup(target.allowPrivate),
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > maxAnswerBytes) response.destroy();
        });
        const done = () => settle({ status: response.statusCode ?? null, error: null, isAborted: false });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      settle({ status: null, error: `no answer within ${target.timeoutMs} ms`, isAborted: false });
      request.destroy();
    }, target.timeoutMs);
    const onAbort = () => {
      settle({ status: null, error: 'stopped', isAborted: true });
      request.destroy();
    };
    target.signal.addEventListener('abort', onAbort);
    request.on('error', (error) => settle({ status: null, error: error.message, isAborted: false }));
    request.end(target.body);
  });
}
