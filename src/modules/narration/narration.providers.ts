import { Worker } from 'node:worker_threads';
import { audioDurationSeconds } from './narration.audio.ts';

/** What a voice is asked to read: passages already normalised (numbers, dates, the dictionary in words). */
export interface SynthesisRequest {
  passages: string[];
  language: string;
  signal?: AbortSignal;
}

export interface SynthesisResult {
  audio: Buffer;
  mimeType: string;
  durationSeconds: number | null;
}

/** A voice: the offline one that ships with the CMS, or a vendor's behind HTTP. */
export interface NarrationProvider {
  readonly name: string;
  readonly voice: string;
  synthesize(request: SynthesisRequest): Promise<SynthesisResult>;
  close(): Promise<void>;
}

export class SynthesisError extends Error {
  override name = 'SynthesisError';
}

/**
 * eSpeak-NG's Russian voice in a worker thread, encoded to 48 kbit/s mono MP3. The thread is started at
 * the first narration and kept for the next; requests go through it one at a time.
 */
export function createBuiltinProvider(settings: { voice: string; wordsPerMinute: number }): NarrationProvider {
  let thread: Worker | undefined;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (result: SynthesisResult) => void; reject: (error: Error) => void }>();

  function failAll(error: Error): void {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
    thread = undefined;
  }

  function started(): Worker {
    if (thread) return thread;
    const worker = new Worker(new URL('./builtin-voice.worker.mjs', import.meta.url));
    worker.on('message', (message: { id: number; audio?: Uint8Array; durationSeconds?: number; error?: string }) => {
      const request = waiting.get(message.id);
      if (!request) return;
      waiting.delete(message.id);
      if (message.error || !message.audio) request.reject(new SynthesisError(message.error ?? 'The voice made no audio.'));
      else
        request.resolve({
          audio: Buffer.from(message.audio.buffer, message.audio.byteOffset, message.audio.byteLength),
          mimeType: 'audio/mpeg',
          durationSeconds: message.durationSeconds ?? null,
        });
    });
    worker.on('error', (error) => failAll(new SynthesisError(`The voice thread failed: ${error.message}`)));
    worker.on('exit', () => failAll(new SynthesisError('The voice thread stopped.')));
    // A thread waiting for work does not keep the process alive.
    worker.unref();
    thread = worker;
    return worker;
  }

  return {
    name: 'builtin',
    voice: `espeak-ng:${settings.voice}`,
    synthesize: ({ passages, signal }) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(new SynthesisError('Synthesis was cancelled.'));
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        // Stopping does not wait for the thread: its answer, when it comes, is dropped.
        signal?.addEventListener(
          'abort',
          () => {
            if (waiting.delete(id)) reject(new SynthesisError('Synthesis was cancelled.'));
          },
          { once: true },
        );
        started().postMessage({ id, passages, voice: settings.voice, rate: settings.wordsPerMinute });
      }),
    async close() {
      const running = thread;
      thread = undefined;
      await running?.terminate();
    },
  };
}

export interface HttpProviderSettings {
  url: string;
  key?: string;
  voice: string;
  timeoutMs: number;
  /** Tries after the first, for a timeout, a network error or a 5xx answer. */
  retries: number;
  /** Waits before a retry: this, then twice it, and so on. */
  retryDelayMs: number;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The passages as SSML, a paragraph each, for vendors that take it. */
export function ssmlOf(passages: readonly string[], language: string): string {
  return `<speak xml:lang="${language}">${passages.map((p) => `<p>${escapeXml(p)}</p>`).join('')}</speak>`;
}

/**
 * A vendor's voice behind HTTP: POSTs `{ text, ssml, voice, language, format }` as JSON with the key as
 * a bearer token and takes the audio back as the answer's body (`audio/*`). Slow answers are cut off
 * at the timeout; timeouts, network errors and 5xx answers are tried again, a 4xx is not.
 */
export function createHttpProvider(settings: HttpProviderSettings): NarrationProvider {
  async function once(body: string, signal: AbortSignal | undefined): Promise<SynthesisResult> {
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    let response: Response;
    try {
      response = await fetch(settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'audio/mpeg, audio/ogg, audio/wav;q=0.5',
          ...(settings.key ? { authorization: `Bearer ${settings.key}` } : {}),
        },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const audio = Buffer.from(await response.arrayBuffer());
      if (!response.ok) throw new RetryableUnless(response.status < 500, `The voice service answered ${response.status}.`);
      const mimeType = (response.headers.get('content-type') ?? 'audio/mpeg').split(';')[0]!.trim();
      if (!mimeType.startsWith('audio/') || audio.length === 0)
        throw new RetryableUnless(true, `The voice service answered ${mimeType || 'no type'} rather than audio.`);
      return { audio, mimeType, durationSeconds: audioDurationSeconds(audio, mimeType) };
    } catch (error) {
      if (error instanceof RetryableUnless) throw error;
      if (timeout.aborted) throw new RetryableUnless(false, `The voice service did not answer within ${settings.timeoutMs} ms.`);
      if (signal?.aborted) throw new RetryableUnless(true, 'Synthesis was cancelled.');
      throw new RetryableUnless(false, `The voice service could not be reached: ${(error as Error).message}`);
    }
  }

  return {
    name: 'http',
    voice: settings.voice,
    async synthesize({ passages, language, signal }) {
      const body = JSON.stringify({
        text: passages.join('\n\n'),
        ssml: ssmlOf(passages, language),
        voice: settings.voice,
        language,
        format: 'mp3',
      });
      for (let attempt = 0; ; attempt++) {
        try {
          return await once(body, signal);
        } catch (error) {
          const failure = error as RetryableUnless;
          if (failure.isFinal || attempt >= settings.retries) throw new SynthesisError(failure.message);
          await new Promise((resolve) => setTimeout(resolve, settings.retryDelayMs * 2 ** attempt));
        }
      }
    },
    close: async () => undefined,
  };
}

class RetryableUnless extends Error {
  constructor(
    readonly isFinal: boolean,
    message: string,
  ) {
    super(message);
  }
}
