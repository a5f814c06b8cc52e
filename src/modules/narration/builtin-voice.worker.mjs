// The offline voice, in a worker thread so that synthesis never holds the event loop: eSpeak-NG
// (compiled to WebAssembly, its Russian voice included) makes 16-bit PCM, lamejs encodes it as MP3.
// Plain JavaScript: a worker thread loads it without the TypeScript loader.
import { parentPort } from 'node:worker_threads';
import factory from '@echogarden/espeak-ng-emscripten';
import { Mp3Encoder } from '@breezystack/lamejs';

const kbps = 48;
const pauseSeconds = 0.45;
const samplesPerFrame = 1152;

let engine;

async function start() {
  const module = await factory();
  const worker = new module.eSpeakNGWorker();
  return { module, worker, sampleRate: worker.get_samplerate() };
}

function synthesisOf({ module, worker }, text) {
  const chunks = [];
  const collect = module.addFunction((pointer, count) => {
    if (pointer && count) chunks.push(new Int16Array(module.HEAP16.subarray(pointer / 2, pointer / 2 + count)));
    return 0;
  }, 'iiii');
  try {
    worker.synth_(text, collect);
  } finally {
    module.removeFunction(collect);
  }
  return chunks;
}

async function synthesize({ passages, voice, rate }) {
  engine ??= await start();
  engine.worker.set_voice(voice, voice, 0, 0, 0);
  engine.worker.set_rate(rate);
  const pause = new Int16Array(Math.round(engine.sampleRate * pauseSeconds));
  const encoder = new Mp3Encoder(1, engine.sampleRate, kbps);
  const encoded = [];
  let samples = 0;
  let pending = new Int16Array(0);
  const feed = (pcm) => {
    // lamejs takes whole frames best; the remainder waits for the next chunk.
    const joined = new Int16Array(pending.length + pcm.length);
    joined.set(pending);
    joined.set(pcm, pending.length);
    let at = 0;
    for (; at + samplesPerFrame <= joined.length; at += samplesPerFrame)
      encoded.push(encoder.encodeBuffer(joined.subarray(at, at + samplesPerFrame)));
    pending = joined.slice(at);
    samples += pcm.length;
  };
  for (const passage of passages) {
    for (const chunk of synthesisOf(engine, passage)) feed(chunk);
    feed(pause);
  }
  if (pending.length) encoded.push(encoder.encodeBuffer(pending));
  encoded.push(encoder.flush());
  const size = encoded.reduce((sum, part) => sum + part.length, 0);
  const audio = new Uint8Array(size);
  let offset = 0;
  for (const part of encoded) {
    audio.set(part, offset);
    offset += part.length;
  }
  return { audio, durationSeconds: samples / engine.sampleRate };
}

parentPort.on('message', async (request) => {
  try {
    const result = await synthesize(request);
    parentPort.postMessage({ id: request.id, ...result }, [result.audio.buffer]);
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
