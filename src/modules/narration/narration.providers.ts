import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
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
  /** CPU time the synthesis took, when the voice runs here (builtin). */
  cpuMs?: number;
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

// The lowest scheduling priority: on a machine short of cores, public reads go first.
const lowestPriority = 19;

/**
 * eSpeak-NG's Russian voice in a child process at the lowest priority, encoded to 48 kbit/s mono MP3.
 * The process is started at the first narration and kept for the next; requests go through it one at a time.
 */
export function createBuiltinProvider(settings: { voice: string; wordsPerMinute: number }): NarrationProvider {
  let child: ChildProcess | undefined;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (result: SynthesisResult) => void; reject: (error: Error) => void }>();

  function failAll(error: Error): void {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
    child = undefined;
  }

  function started(): ChildProcess {
    if (child) return child;
    // Without the parent's loaders (tsx, vitest): the file is plain JavaScript.
    const voice = fork(new URL('./builtin-voice.worker.mjs', import.meta.url), [], {
      serialization: 'advanced',
      execArgv: [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    try {
      if (voice.pid) setPriority(voice.pid, lowestPriority);
    } catch {
      // Not allowed here (some containers): it still runs off the event loop.
    }
    voice.on('message', (message: { id: number; audio?: Uint8Array; durationSeconds?: number; cpuMs?: number; error?: string }) => {
      const request = waiting.get(message.id);
      if (!request) return;
      waiting.delete(message.id);
      if (waiting.size === 0) voice.channel?.unref();
      if (message.error || !message.audio) request.reject(new SynthesisError(message.error ?? 'The voice made no audio.'));
      else
        request.resolve({
          audio: Buffer.from(message.audio.buffer, message.audio.byteOffset, message.audio.byteLength),
          mimeType: 'audio/mpeg',
          durationSeconds: message.durationSeconds ?? null,
          ...(message.cpuMs !== undefined ? { cpuMs: message.cpuMs } : {}),
        });
    });
    voice.on('error', (error) => failAll(new SynthesisError(`The voice process failed: ${error.message}`)));
    voice.on('exit', () => {
      if (child === voice) failAll(new SynthesisError('The voice process stopped.'));
    });
    // A voice waiting for work does not keep the server alive.
    voice.unref();
    voice.channel?.unref();
    child = voice;
    return voice;
  }

  return {
    name: 'builtin',
    voice: `espeak-ng:${settings.voice}`,
    synthesize: ({ passages, signal }) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(new SynthesisError('Synthesis was cancelled.'));
        const id = nextId++;
        // Stopping does not wait for the voice: its answer, when it comes, is dropped.
        const onAbort = () => {
          if (!waiting.delete(id)) return;
          if (waiting.size === 0) child?.channel?.unref();
          reject(new SynthesisError('Synthesis was cancelled.'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        // The signal is the worker's, alive for all its jobs: each job takes its listener away when done.
        const settled = () => signal?.removeEventListener('abort', onAbort);
        waiting.set(id, {
          resolve: (result) => {
            settled();
            resolve(result);
          },
          reject: (error) => {
            settled();
            reject(error);
          },
        });
        const voice = started();
        // Waiting for an answer keeps the channel (and the server) alive; the last answer lets it go.
        voice.channel?.ref();
        voice.send({ id, passages, voice: settings.voice, rate: settings.wordsPerMinute });
      }),
    async close() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill();
      await exited;
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
