// The `narration` scenario of `npm run bench` (bench/run.ts runs it in a child process of its own, `tsx bench/narration.ts`,
// which prints the figures as JSON): the builtin voice's cost on this machine, and what it does to public reads.
// Narrates a 3 KB article (wall time, CPU of the server and of the voice process) and measures the cached read's p99
// of another article alone and while the job runs, on an in-process app on a fresh SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { createContainer } from '../src/container.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { createBuiltinProvider } from '../src/modules/narration/narration.providers.ts';
import { normaliseRussian } from '../src/modules/narration/russian-normaliser.ts';
import type { Actor } from '../src/shared/actor.ts';

/** What bench/narration.ts prints. */
export interface NarrationResult {
  textBytes: number;
  state: string;
  audioSeconds: number | null;
  narrationWallMs: number;
  synthesisWallMs: number;
  synthesisCpuMs: number;
  serverCpuMs: number;
  cachedReadP99IdleMs: number;
  cachedReadP99DuringNarrationMs: number;
  ratio: number;
  requestsPerSecondIdle: number;
  requestsPerSecondDuring: number;
}

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const editor: Actor = { type: 'apiKey', apiKeyId: 'bench', scopes: ['admin'] };

// About 3 KB of our own newsroom copy (UTF-8), numbers and dates included, as the normaliser meets them.
const paragraphs = [
  'Городская дума утвердила бюджет на 2027 год: расходы вырастут на 7%, больше всего — на дороги и школы.',
  'На ремонт дорог выделят 1,2 млрд руб., это на 12% больше, чем в нынешнем году. Отремонтируют 40 км улиц.',
  'Две новые школы на 1 100 мест откроются в Заречье и на Северном к 1 сентября 2027 г.',
  'Трамвайный парк пополнится 15 вагонами; первые выйдут на линию № 3 весной.',
  'Председатель бюджетного комитета напомнила, что впервые за десять лет в бюджет заложен полный ремонт набережной.',
  'Публичные слушания по проекту прошли 23 ноября 2026 г., в них участвовали ок. 300 человек.',
  'Дефицит бюджета составит 2,4%, его покроют за счёт остатков прошлых лет и кредита.',
];
const body = Array.from({ length: 3 }, () => paragraphs)
  .flat()
  .map((text) => ({ type: 'paragraph' as const, text }));

async function measure(url: string, path: string) {
  const result = await autocannon({ url, connections, duration: seconds, requests: [{ method: 'GET', path }] });
  return { p99: result.latency.p99, requestsPerSecond: result.requests.average };
}

// Run directly (not when imported for its types).
if (import.meta.url === `file://${process.argv[1]}`) await narrate();

async function narrate() {
  const dir = mkdtempSync(join(tmpdir(), 'cms-bench-narration-'));
  const databaseUrl = `file:${join(dir, 'bench.db')}`;
  await migrateDatabase(databaseUrl);
  const container = createContainer(
    loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
      DATABASE_URL: databaseUrl,
      MEDIA_DIR: join(dir, 'media'),
      LOG_LEVEL: 'silent',
      RATE_LIMIT_MANAGEMENT: 'off',
      NARRATION_WORKER: 'on',
      NARRATION_DEFAULT: 'off',
      NARRATION_POLL_INTERVAL_MS: '50',
    }),
  );
  const server = container.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  try {
    const { services } = container;
    const read = await services.articles.create({ title: 'Статья, которую читают', body: body.slice(0, 4) }, editor);
    await services.articles.publish(read.id, editor);
    const narrated = await services.articles.create({ title: 'Бюджет на 2027 год утверждён', lead: paragraphs[0]!, body }, editor);
    const textBytes = Buffer.byteLength([narrated.title, narrated.lead, ...body.map((b) => b.text)].join('\n'));
    const path = `/v1/articles/${read.slug}`;
    await fetch(`${url}${path}`);

    // The voice alone, started and warm: its wall time and the CPU its process spent.
    const voice = createBuiltinProvider({ voice: 'ru', wordsPerMinute: 165 });
    await voice.synthesize({ passages: ['Проверка.'], language: 'ru' });
    const voiceStartedAt = performance.now();
    const alone = await voice.synthesize({
      passages: [narrated.title, narrated.lead ?? '', ...body.map((b) => normaliseRussian(b.text))],
      language: 'ru',
    });
    const voiceWallMs = performance.now() - voiceStartedAt;
    await voice.close();

    const idle = await measure(url, path);

    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    await container.narration.service.request(narrated.id, editor);
    const during = measure(url, path);
    let status = '';
    while (status !== 'ready' && status !== 'failed') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await services.articles.get(narrated.id, editor)).narrationStatus.state;
    }
    const wallMs = performance.now() - startedAt;
    const cpu = process.cpuUsage(cpuBefore);
    const busy = await during;
    const article = await services.articles.get(narrated.id, editor);

    console.log(
      JSON.stringify(
        {
          textBytes,
          state: status,
          audioSeconds: article.narrationStatus.durationSeconds,
          narrationWallMs: Math.round(wallMs),
          synthesisWallMs: Math.round(voiceWallMs),
          synthesisCpuMs: alone.cpuMs,
          // The server while the job ran (reads, storing the audio), the voice's process not included.
          serverCpuMs: Math.round((cpu.user + cpu.system) / 1000),
          cachedReadP99IdleMs: idle.p99,
          cachedReadP99DuringNarrationMs: busy.p99,
          ratio: Math.round((busy.p99 / Math.max(1, idle.p99)) * 100) / 100,
          requestsPerSecondIdle: idle.requestsPerSecond,
          requestsPerSecondDuring: busy.requestsPerSecond,
        },
        null,
        2,
      ),
    );
  } finally {
    server.close();
    await container.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
