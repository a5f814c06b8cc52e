import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import { assertLiteralHostAllowed, guardedLookup } from '../webhooks/index.ts';
import type { WireCredentials } from './wire.schemas.ts';

export type FeedAnswer =
  | { status: 'not_modified' }
  | { status: 'ok'; body: Buffer; contentType: string | null; etag: string | null; lastModified: string | null };

/** A poll that failed: its message is short, names no secret, and is shown to admins as `lastError`. */
export class FeedFetchError extends Error {
  override name = 'FeedFetchError';
  constructor(
    message: string,
    readonly isAborted = false,
  ) {
    super(message);
  }
}

export interface FeedRequest {
  url: string;
  etag: string | null;
  lastModified: string | null;
  credentials: WireCredentials | null;
  timeoutMs: number;
  maxBytes: number;
  allowPrivate: boolean;
  signal: AbortSignal;
}

function credentialHeaders(credentials: WireCredentials | null): Record<string, string> {
  if (!credentials) return {};
  if (credentials.type === 'basic')
    return { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` };
  if (credentials.type === 'bearer') return { authorization: `Bearer ${credentials.token}` };
  return { [credentials.name.toLowerCase()]: credentials.value };
}

function decoderOf(encoding: string | undefined): Transform | null {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * GETs the feed with the validators of the last answer, within `timeoutMs` for the whole exchange and
 * `maxBytes` of body after decompression, connecting only to addresses the guard allows. Redirects are not
 * followed: the credentials would go with them; an admin updates the source's URL instead.
 */
export function fetchFeed(target: FeedRequest): Promise<FeedAnswer> {
  return new Promise((resolve, reject) => {
    if (target.signal.aborted) return reject(new FeedFetchError('stopped', true));
    let url: URL;
    try {
      url = new URL(target.url);
      assertLiteralHostAllowed(url, target.allowPrivate);
    } catch (error) {
      return reject(new FeedFetchError((error as Error).message));
    }
    let isSettled = false;
    const settle = (error: FeedFetchError | null, answer?: FeedAnswer) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      target.signal.removeEventListener('abort', onAbort);
      if (error) {
        request.destroy();
        reject(error);
      } else resolve(answer!);
    };
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'GET',
        headers: {
          accept: 'application/json, application/x-ndjson, application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5',
          'accept-encoding': 'gzip, deflate, br',
          'user-agent': 'newsroom-cms-wire',
          ...(target.etag ? { 'if-none-match': target.etag } : {}),
          ...(target.lastModified ? { 'if-modified-since': target.lastModified } : {}),
          ...credentialHeaders(target.credentials),
        },
        lookup: guardedLookup(target.allowPrivate),
      },
      (response) => onResponse(response),
    );
    function onResponse(response: IncomingMessage): void {
      const status = response.statusCode ?? 0;
      if (status === 304) {
        response.resume();
        settle(null, { status: 'not_modified' });
        return;
      }
      if (status < 200 || status >= 300) {
        response.resume();
        const where = status >= 300 && status < 400 ? ' (redirects are not followed: give the source its new URL)' : '';
        settle(new FeedFetchError(`answered ${status}${where}`));
        return;
      }
      const declared = Number(response.headers['content-length']);
      const decoder = decoderOf(response.headers['content-encoding']);
      if (!decoder && Number.isFinite(declared) && declared > target.maxBytes) {
        settle(new FeedFetchError(`the feed is larger than ${target.maxBytes} bytes`));
        return;
      }
      const stream = decoder ? response.pipe(decoder) : response;
      const chunks: Buffer[] = [];
      let read = 0;
      stream.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > target.maxBytes) {
          settle(new FeedFetchError(`the feed is larger than ${target.maxBytes} bytes`));
          stream.destroy();
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (error: Error) => settle(new FeedFetchError(`could not read the feed: ${error.message}`)));
      response.on('error', (error: Error) => settle(new FeedFetchError(`could not read the feed: ${error.message}`)));
      stream.on('end', () =>
        settle(null, {
          status: 'ok',
          body: Buffer.concat(chunks),
          contentType: response.headers['content-type'] ?? null,
          etag: headerValue(response.headers.etag),
          lastModified: headerValue(response.headers['last-modified']),
        }),
      );
    }
    const timer = setTimeout(() => settle(new FeedFetchError(`no answer within ${target.timeoutMs} ms`)), target.timeoutMs);
    const onAbort = () => settle(new FeedFetchError('stopped', true));
    target.signal.addEventListener('abort', onAbort);
    request.on('error', (error) => settle(new FeedFetchError(error.message)));
    request.end();
  });
}

// A validator is sent back as it came; an unreasonable one is not kept.
const headerValue = (value: string | undefined): string | null => (value && value.length <= 1000 && !/[\r\n]/.test(value) ? value : null);
