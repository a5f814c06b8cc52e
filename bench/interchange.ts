// The `interchange` scenario of `npm run bench`: bulk export and import through the HTTP API of a CMS in its own
// process. Export of the seeded site as NDJSON (records and articles a second); import of 10,000 agency items
// (ninjs, new to the site, search index included) into that site; and the export restored into an empty
// database. The server's resident memory is sampled every 50 ms; its peak is given above the idle figure.
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { RunningServer } from './servers.ts';

export interface TransferFigures {
  articles: number;
  records: number;
  seconds: number;
  articlesPerSecond: number;
  /** Resident memory of the server above its idle figure: the highest sample. */
  peakMiBAboveIdle: number;
  /** The highest sample of the first half of the time and of the second: flat memory has them alike. */
  halvesMiBAboveIdle: [number, number];
  /** Result lines other than created/updated/unchanged (imports only). */
  failed?: number;
  note?: string;
}

export interface InterchangeResult {
  export: TransferFigures;
  importNinjs: TransferFigures;
  restore?: TransferFigures | string;
}

const rssOf = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
};

/**
 * Samples the process's RSS while `work` runs; answers the work's result, the peak above the RSS at the start, and
 * the peaks of the first and second half of the time (alike when memory stays flat as the transfer goes on).
 */
async function withPeakMemory<T>(
  pid: number | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; peakMiBAboveIdle: number; halvesMiBAboveIdle: [number, number] }> {
  if (!pid) return { result: await work(), peakMiBAboveIdle: Number.NaN, halvesMiBAboveIdle: [Number.NaN, Number.NaN] };
  const idle = rssOf(pid);
  const samples: { at: number; rss: number }[] = [];
  const sample = () => {
    try {
      samples.push({ at: performance.now(), rss: rssOf(pid) });
    } catch {
      // The process ended; the samples so far stand.
    }
  };
  const started = performance.now();
  const timer = setInterval(sample, 50);
  try {
    const result = await work();
    sample();
    const middle = (started + performance.now()) / 2;
    const peakOf = (list: typeof samples) => Math.max(idle, ...list.map((s) => s.rss));
    const above = (rss: number) => (rss - idle) / 1024 / 1024;
    return {
      result,
      peakMiBAboveIdle: above(peakOf(samples)),
      halvesMiBAboveIdle: [above(peakOf(samples.filter((s) => s.at < middle))), above(peakOf(samples.filter((s) => s.at >= middle)))],
    };
  } finally {
    clearInterval(timer);
  }
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Streams the site's export into `file`; counts its lines and article records. */
async function exportTo(server: RunningServer, token: string, file: string, format?: 'ninjs') {
  const response = await fetch(`${server.url}/v1/admin/export${format ? `?format=${format}` : ''}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok || !response.body) throw new Error(`export: ${response.status} ${await response.text()}`);
  const out = createWriteStream(file);
  let records = 0;
  let articles = 0;
  let rest = '';
  for await (const chunk of Readable.fromWeb(response.body as never)) {
    const text = rest + (chunk as Buffer).toString('utf8');
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line) continue;
      records++;
      if (line.startsWith('{"type":"article"')) articles++;
    }
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
  return { records, articles };
}

/** Posts an NDJSON body as a stream and reads the result lines as they come; counts them by status. */
async function importFrom(server: RunningServer, token: string, body: Readable) {
  const response = await fetch(`${server.url}/v1/admin/import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
    body: Readable.toWeb(body) as never,
    duplex: 'half',
  } as RequestInit);
  if (!response.ok || !response.body) throw new Error(`import: ${response.status} ${await response.text()}`);
  const counts = new Map<string, number>();
  let articles = 0;
  let rest = '';
  let firstError: string | undefined;
  for await (const chunk of Readable.fromWeb(response.body as never)) {
    const lines = (rest + (chunk as Buffer).toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line) continue;
      const result = JSON.parse(line) as { status: string; type?: string; error?: { detail?: string } };
      counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
      if (result.type === 'article' && result.status !== 'error') articles++;
      if (result.status === 'error') firstError ??= result.error?.detail;
    }
  }
  const records = [...counts.values()].reduce((a, b) => a + b, 0);
  const failed = records - (counts.get('created') ?? 0) - (counts.get('updated') ?? 0) - (counts.get('unchanged') ?? 0);
  return { records, articles, failed, firstError };
}

// Our own agency copy, varied by number so that every item has words of its own for the search index.
const topics = ['бюджет', 'транспорт', 'школы', 'погода', 'спорт', 'культура', 'экономика', 'здравоохранение'];
function ninjsItem(n: number) {
  const topic = topics[n % topics.length]!;
  const at = new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString();
  const text = [
    `Сообщение номер ${n} о теме «${topic}»: в городе обсуждают новые решения, касающиеся жителей.`,
    `По словам представителей администрации, изменения вступят в силу в течение ${(n % 12) + 1} месяцев.`,
    `Эксперты отмечают, что подобные меры уже применялись в других регионах с разным успехом.`,
  ];
  return {
    uri: `urn:bench-agency:item:${n}`,
    type: 'text',
    version: '1',
    versioncreated: at,
    firstcreated: at,
    pubstatus: 'usable',
    language: 'ru',
    headlines: [{ role: 'main', value: `Новость ${n}: ${topic} в центре внимания` }],
    descriptions: [{ role: 'summary', value: `Кратко о теме «${topic}», сообщение ${n}.` }],
    bodies: [{ role: 'main', contenttype: 'text/plain', value: text.join('\n\n') }],
    subjects: [{ name: topic, uri: `urn:bench-agency:subject:${n % topics.length}` }],
    copyrightholder: 'Бенч-агентство',
  };
}

function ninjsItems(count: number): Readable {
  return Readable.from(
    (function* () {
      for (let n = 1; n <= count; n++) yield `${JSON.stringify(ninjsItem(n))}\n`;
    })(),
  );
}

export async function measureExport(server: RunningServer, token: string, file: string): Promise<TransferFigures> {
  const started = performance.now();
  const { result, peakMiBAboveIdle, halvesMiBAboveIdle } = await withPeakMemory(server.pid, () => exportTo(server, token, file));
  const seconds = (performance.now() - started) / 1000;
  return {
    ...result,
    seconds: round(seconds, 2),
    articlesPerSecond: Math.round(result.articles / seconds),
    peakMiBAboveIdle: round(peakMiBAboveIdle),
    halvesMiBAboveIdle: [round(halvesMiBAboveIdle[0]), round(halvesMiBAboveIdle[1])],
    note: `${round(statSync(file).size / 1024 / 1024)} MiB of NDJSON`,
  };
}

export async function measureImport(
  server: RunningServer,
  token: string,
  source: 'ninjs' | string,
  count = 10_000,
): Promise<TransferFigures> {
  const body = () => (source === 'ninjs' ? ninjsItems(count) : createReadStream(source));
  const started = performance.now();
  const { result, peakMiBAboveIdle, halvesMiBAboveIdle } = await withPeakMemory(server.pid, () => importFrom(server, token, body()));
  const seconds = (performance.now() - started) / 1000;
  return {
    articles: result.articles,
    records: result.records,
    seconds: round(seconds, 2),
    articlesPerSecond: Math.round(result.articles / seconds),
    peakMiBAboveIdle: round(peakMiBAboveIdle),
    halvesMiBAboveIdle: [round(halvesMiBAboveIdle[0]), round(halvesMiBAboveIdle[1])],
    failed: result.failed,
    ...(result.firstError ? { note: `first error: ${result.firstError}` } : {}),
  };
}

/** Signs in as the first admin (an empty database's server is started with CMS_ADMIN_EMAIL and CMS_ADMIN_PASSWORD). */
export async function signIn(server: RunningServer, email: string, password: string): Promise<string> {
  const response = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`login: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}
