// The offline voice, in a child process so that synthesis never holds the server's event loop nor,
// run at the lowest priority, its CPU: eSpeak-NG (compiled to WebAssembly, its Russian voice included)
// makes 16-bit PCM, lamejs encodes it as MP3. Plain JavaScript: node runs it without the TypeScript loader.
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
  const cpuBefore = process.cpuUsage();
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
  const cpu = process.cpuUsage(cpuBefore);
  return { audio, durationSeconds: samples / engine.sampleRate, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}

// One request at a time, in the order sent: eSpeak-NG is not re-entrant.
let queue = Promise.resolve();
process.on('message', (request) => {
  queue = queue.then(async () => {
    try {
      process.send({ id: request.id, ...(await synthesize(request)) });
    } catch (error) {
      process.send({ id: request.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
});
// The server went away: so does its voice.
process.on('disconnect', () => process.exit(0));
