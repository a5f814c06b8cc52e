import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../shared/actor.ts';
import type { IncomingPhoto } from '../../shared/incoming-article.ts';
import { receiveBytes, type MediaService } from '../media/index.ts';
import { assertLiteralHostAllowed, guardedLookup } from '../webhooks/index.ts';

export interface PhotoFetchSettings {
  /** Photos on private, loopback and link-local addresses may be fetched (WIRE_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** For the whole fetch, redirects included. */
  timeoutMs: number;
  /** The media upload limits: a photo larger than the image limit is not read on. */
  maxBytes: Parameters<typeof receiveBytes>[1];
  /** Redirects followed, at most; each new address is checked by the guard like the first. */
  maxRedirects?: number;
}

export interface PhotoFetcherDeps {
  media: Pick<MediaService, 'upload' | 'findByOriginUrl'>;
  settings: PhotoFetchSettings;
}

/** Why a photo was left out: said in the import's result line, the article imported without it. */
export class PhotoFetchError extends Error {
  override name = 'PhotoFetchError';
}

const maxUrlLength = 2000;

/** GETs an address through the address guard, following a few redirects, within the time and size limits. */
export function fetchGuarded(address: string, settings: PhotoFetchSettings): Promise<Buffer> {
  const maxBytes = settings.maxBytes.image;
  const deadline = Date.now() + settings.timeoutMs;
  const attempt = (address: string, redirectsLeft: number): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(address);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PhotoFetchError('only http and https addresses are fetched');
        assertLiteralHostAllowed(url, settings.allowPrivate);
      } catch (error) {
        return reject(error instanceof PhotoFetchError ? error : new PhotoFetchError((error as Error).message));
      }
      let isSettled = false;
      const settle = (error: Error | null, body?: Buffer | Promise<Buffer>) => {
        if (isSettled) return;
        isSettled = true;
        clearTimeout(timer);
        if (error) {
          request.destroy();
          reject(error instanceof PhotoFetchError ? error : new PhotoFetchError(error.message));
        } else resolve(body!);
      };
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: 'GET',
          headers: { accept: 'image/*', 'user-agent': 'newsroom-cms-import' },
          lookup: guardedLookup(settings.allowPrivate),
        },
        (response) => onResponse(response),
      );
      function onResponse(response: IncomingMessage): void {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        const tooLarge = () => new PhotoFetchError(`larger than the ${maxBytes} bytes accepted for images`);
        if (status >= 300 && status < 400 && location) {
          response.resume();
          // The next address goes through the guard again.
          if (redirectsLeft <= 0) settle(new PhotoFetchError('too many redirects'));
          else settle(null, attempt(new URL(location, url).toString(), redirectsLeft - 1));
        } else if (status < 200 || status >= 300) {
          response.resume();
          settle(new PhotoFetchError(`answered ${status}`));
        } else if (Number(response.headers['content-length']) > maxBytes) {
          response.resume();
          settle(tooLarge());
        } else readBody(response, tooLarge);
      }
      function readBody(response: IncomingMessage, tooLarge: () => Error): void {
        const chunks: Buffer[] = [];
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > maxBytes) settle(tooLarge());
          else chunks.push(chunk);
        });
        response.on('error', (error) => settle(error));
        response.on('end', () => settle(null, Buffer.concat(chunks)));
      }
      const timer = setTimeout(
        () => settle(new PhotoFetchError(`no answer within ${settings.timeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
      request.on('error', (error) => settle(error));
      request.end();
    });
  return attempt(address, settings.maxRedirects ?? 3);
}

/**
 * Photos named by address: fetched once (an address fetched before answers its media), through the address
 * guard, stored like an upload (the same bytes are stored once) with their caption, credit and source.
 */
export function createPhotoFetcher({ media, settings }: PhotoFetcherDeps) {
  return {
    /** The media id of the photo; throws PhotoFetchError (or the upload's refusal) when it cannot be had. */
    async mediaIdOf(photo: IncomingPhoto, source: string, actor: Actor | null): Promise<string> {
      if (photo.url.length > maxUrlLength) throw new PhotoFetchError('the address is too long');
      const known = await media.findByOriginUrl(photo.url);
      if (known) return known.id;
      const bytes = await fetchGuarded(photo.url, settings);
      const file = await receiveBytes(bytes, settings.maxBytes, new URL(photo.url).pathname.split('/').pop() || null);
      try {
        if (file.type.kind !== 'image') throw new PhotoFetchError(`not an image but ${file.type.mimeType}`);
        const clip = (text: string | null | undefined, max: number) => (text?.trim() ? text.trim().slice(0, max) : undefined);
        const metadata = {
          caption: clip(photo.caption, 1000),
          altText: clip(photo.altText, 1000),
          credit: clip(photo.credit, 300),
          source: clip(source, 300),
        };
        const stored = await media.upload(file, metadata, actor, { originUrl: photo.url });
        return stored.media.id;
      } finally {
        await file.dispose();
      }
    },
  };
}

export type PhotoFetcher = ReturnType<typeof createPhotoFetcher>;

/** What a photo's failure says in the result line. */
export function photoWarningOf(url: string, error: unknown): string {
  const reason = error instanceof AppError || error instanceof Error ? error.message : String(error);
  return `photo ${url.slice(0, 200)} left out: ${reason}`;
}
