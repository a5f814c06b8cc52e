import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Mp3Encoder } from '@breezystack/lamejs';

export interface VoiceRequest {
  headers: Record<string, string | string[] | undefined>;
  body: { text: string; ssml: string; voice: string; language: string; format: string };
}

/** `audio`: answer with an MP3 as long as the text (10 ms a character); otherwise a status, or no answer for `delayMs`. */
export type VoiceAnswer = { kind: 'audio' } | { kind: 'status'; status: number } | { kind: 'hang'; delayMs: number };

/** A tone of `seconds` at `hertz`, as 32 kbit/s mono MP3. */
export function toneMp3(seconds: number, hertz = 440): Buffer {
  const rate = 16_000;
  const pcm = new Int16Array(Math.max(1, Math.round(seconds * rate)));
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(Math.sin((i / rate) * 2 * Math.PI * hertz) * 8000);
  const encoder = new Mp3Encoder(1, rate, 32);
  const parts = [encoder.encodeBuffer(pcm), encoder.flush()];
  return Buffer.concat(parts.map((p) => Buffer.from(p)));
}

/** A vendor's voice service on 127.0.0.1: it records every request (what reached the voice) and answers as told. */
export async function startFakeVoice() {
  const requests: VoiceRequest[] = [];
  let answered = 0;
  let answer: (request: VoiceRequest) => VoiceAnswer = () => ({ kind: 'audio' });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: VoiceRequest = { headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
      requests.push(request);
      const told = answer(request);
      // Each answer a file of its own (a pitch a request), so the media library never takes two for one.
      if (told.kind === 'audio')
        res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(toneMp3(request.body.text.length / 100, 300 + (answered++ % 500)));
      else if (told.kind === 'status') res.writeHead(told.status, { 'content-type': 'application/json' }).end('{"error":"busy"}');
      else setTimeout(() => res.destroyed || res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(toneMp3(0.5)), told.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/synthesize`,
    requests,
    answerWith(next: (request: VoiceRequest) => VoiceAnswer) {
      answer = next;
    },
    reset() {
      requests.length = 0;
      answer = () => ({ kind: 'audio' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeVoice = Awaited<ReturnType<typeof startFakeVoice>>;
