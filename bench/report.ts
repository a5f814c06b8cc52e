import type { FanoutResult } from './stream-fanout.ts';
import { cpus, totalmem } from 'node:os';

export interface ScenarioResult {
  id: string;
  title: string;
  /** Null when skipped. */
  requestsPerSecond: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Answers outside 2xx, connection errors and timeouts. */
  failures: number;
  total: number;
  note: string;
  /** The same requests alone, for a scenario measured under a background load. */
  idle?: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
}

export interface RunInfo {
  date: Date;
  durationSeconds: number;
  connections: number;
  warmupSeconds: number;
  logLevel: string;
  datasets: string[];
}

export const machine = () => {
  const cores = cpus();
  const cpu = cores[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${Math.round(totalmem() / 2 ** 30)} GB RAM`;
  return `${cores.length} cores (${cpu}), ${memory}, ${process.platform} ${process.arch}, Node ${process.version}`;
};

const columns = ['Scenario', 'Req/s', 'p50 (ms)', 'p99 (ms)', 'vs baseline', 'Failed', 'Notes'];

function rows(results: ScenarioResult[]): string[][] {
  const baseline = results.find((r) => r.id === 'baseline')?.requestsPerSecond ?? null;
  return results.map((r) =>
    r.requestsPerSecond === null
      ? [r.title, '—', '—', '—', '—', '—', `skipped: ${r.note}`]
      : [
          r.title,
          r.requestsPerSecond.toFixed(r.requestsPerSecond < 100 ? 1 : 0),
          String(r.p50Ms),
          String(r.p99Ms),
          baseline ? `${((r.requestsPerSecond / baseline) * 100).toFixed(r.requestsPerSecond / baseline < 0.1 ? 2 : 1)} %` : '—',
          r.failures ? `${r.failures} of ${r.total}` : '0',
          r.note,
        ],
  );
}

/** A fixed-width table for the terminal. */
export function textTable(results: ScenarioResult[]): string {
  const all = [columns, ...rows(results)];
  const widths = columns.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i >= 1 && i <= 5 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(all[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function markdownTable(results: ScenarioResult[]): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${columns.join(' | ')} |`,
    `|${columns.map((_, i) => (i >= 1 && i <= 5 ? '---:' : '---')).join('|')}|`,
    ...rows(results).map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

interface Goal {
  scenario: string;
  what: string;
  /** Compared with the scenario's own idle figures, so it stands without the baseline in the run. */
  isWithoutBaseline?: true;
  isMet: (r: ScenarioResult, base: ScenarioResult) => boolean;
  figure: (r: ScenarioResult, base: ScenarioResult) => string;
}

/** The goals: the read API's, each a ratio to the baseline in the same run; the sign-in flood's, to its own idle p99. */
const goals: Goal[] = [
  {
    scenario: 'article-cached',
    what: "Cached article by slug: at least 60 % of the baseline's requests per second",
    isMet: (r: ScenarioResult, base: ScenarioResult) => ratio(r.requestsPerSecond, base.requestsPerSecond) >= 0.6,
    figure: (r: ScenarioResult, base: ScenarioResult) => `${(ratio(r.requestsPerSecond, base.requestsPerSecond) * 100).toFixed(1)} %`,
  },
  {
    scenario: 'article-uncached',
    what: "Uncached article by slug: at least 25 % of the baseline's requests per second",
    isMet: (r: ScenarioResult, base: ScenarioResult) => ratio(r.requestsPerSecond, base.requestsPerSecond) >= 0.25,
    figure: (r: ScenarioResult, base: ScenarioResult) => `${(ratio(r.requestsPerSecond, base.requestsPerSecond) * 100).toFixed(1)} %`,
  },
  {
    scenario: 'search',
    what: "Search on 10,000 articles (uncached): p99 under 10 × the baseline's p99",
    isMet: (r: ScenarioResult, base: ScenarioResult) => ratio(r.p99Ms, base.p99Ms) < 10,
    figure: (r: ScenarioResult, base: ScenarioResult) => `${ratio(r.p99Ms, base.p99Ms).toFixed(1)} ×`,
  },
  {
    scenario: 'search-cached',
    what: "Search, cached (repeated queries): p99 under 10 × the baseline's p99",
    isMet: (r: ScenarioResult, base: ScenarioResult) => ratio(r.p99Ms, base.p99Ms) < 10,
    figure: (r: ScenarioResult, base: ScenarioResult) => `${ratio(r.p99Ms, base.p99Ms).toFixed(1)} ×`,
  },
  {
    scenario: 'login-flood',
    what: 'A media file during a flood of wrong passwords: p99 within 3 × its p99 without the flood',
    isWithoutBaseline: true,
    isMet: (r) => ratio(r.p99Ms, r.idle?.p99Ms ?? null) <= 3,
    figure: (r) => `${ratio(r.p99Ms, r.idle?.p99Ms ?? null).toFixed(1)} × (${r.p99Ms} ms against ${r.idle?.p99Ms} ms)`,
  },
];

function ratio(value: number | null, base: number | null): number {
  return value === null || !base ? Number.NaN : value / base;
}

function goalsTable(results: ScenarioResult[]): string {
  const base = results.find((r) => r.id === 'baseline');
  const lines = goals.flatMap((goal) => {
    const result = results.find((r) => r.id === goal.scenario);
    if (!result || result.requestsPerSecond === null) return [];
    const comparedWith = goal.isWithoutBaseline ? result : base;
    if (!comparedWith) return [];
    return [`| ${goal.what} | ${goal.figure(result, comparedWith)} | ${goal.isMet(result, comparedWith) ? 'met' : '**not met**'} |`];
  });
  return lines.length
    ? ['| Goal | This run | |', '|---|---:|---|', ...lines].join('\n')
    : '_The goals need the baseline and their scenarios in the same run._';
}

/** The stream's fan-out section: what one entry costs to reach every open stream of an instance. */
function fanoutSection(fanout: FanoutResult | undefined): string {
  if (!fanout) return '';
  const goal = fanout.p99Ms < 1000 ? 'met' : '**not met**';
  return `
## Live stream fan-out (\`stream-fanout\`)

${fanout.clients} Server-Sent Events clients on one instance (\`GET /v1/stream?topics=live:{articleId}\`, each its own
connection from the load process), ${fanout.entries} entries posted one after another with an admin API key; each
delay runs from the POST's start until a client has read the event.

| Clients | Entries | p50 (ms) | p99 (ms) | Slowest client (ms) | Missed | Server memory a connection |
|---:|---:|---:|---:|---:|---:|---:|
| ${fanout.clients} | ${fanout.entries} | ${fanout.p50Ms.toFixed(1)} | ${fanout.p99Ms.toFixed(1)} | ${fanout.lastClientMaxMs.toFixed(1)} | ${fanout.missed} | ${(fanout.bytesPerConnection / 1024).toFixed(1)} kB |

Goal: p99 under 1 s — ${goal}. The memory is the server's resident set grown while the streams opened, divided by them.
`;
}

export function performanceDocument(results: ScenarioResult[], info: RunInfo, seedNotes: string[], fanout?: FanoutResult): string {
  const load =
    `autocannon, ${info.connections} connections, ${info.durationSeconds} s per scenario after a ${info.warmupSeconds} s warm-up ` +
    'that is not counted, one scenario at a time, 127.0.0.1 only';
  return `# Performance

Generated by \`npm run bench\` (\`tsx bench/run.ts\`); run it again to refresh the figures. Figures from one
machine are comparable with each other, not with another machine: read the *vs baseline* column.

## Last run

- Date: ${info.date.toISOString()}
- Machine: ${machine()}
- Load: ${load}
  (a scenario may use fewer connections or run longer; its notes say so).
- Servers: each in its own child process (the load generator keeps the other core): a bare express 5 app answering
  \`{"hello":"world"}\`, and the CMS with \`NODE_ENV=production\`, SQLite on a fresh temporary database, local media
  storage, request logs at \`${info.logLevel}\` written to /dev/null.
${seedNotes.map((n) => `- ${n}`).join('\n')}

${markdownTable(results)}

*Req/s* is the mean over the run; *p50* and *p99* are request latencies; *vs baseline* is the scenario's
requests per second as a share of the bare express server's; *Failed* counts answers outside 2xx, connection
errors and timeouts (it should be 0).

## Goals

${goalsTable(results)}
${fanoutSection(fanout)}
## Where the time goes

- **Cached answers** (article, rubric page, feed, repeated searches) cost no query: the stored bytes, ETag and
  headers are sent as they are, which is what keeps them near the bare express server.
- **An uncached article page** costs eight SQL statements through Prisma (the article, its rubric, authors
  and tags, then all its media with their renditions at once). A profile puts most of the time
  in Prisma's query interpretation and in the SQLite driver preparing each statement anew, not in SQLite's
  work: every statement uses an index. Prisma's single-statement relation joins (\`relationLoadStrategy:
  "join"\`) exist for PostgreSQL and MySQL only, so on SQLite the remaining gap to 25 % would need
  hand-written SQL for this one read; the cache and a CDN in front (the answers carry \`s-maxage\` and
  \`Surrogate-Key\`) are the way we serve article pages instead.
- **Uncached search** reads the term index in rank order, then the hits' summaries (eight statements).
  The seeded articles are built from five paragraphs, so every query word occurs in thousands of articles:
  a pessimistic case for the multi-word queries, which read and score several thousand index rows.
  Repeated queries are served from the cache; an uncached query is several times slower than the goal.
- **Mixed load**: every article save purges the pages that show the article and every list and search
  answer (a save may change what they contain), so the next reads of those pages are uncached ones.
- **A sign-in flood** (wrong passwords, rate limits off so that every one is hashed) queues on the password
  hasher: scrypt runs \`PASSWORD_HASH_CONCURRENCY\` hashes at once (by default half of libuv's thread pool and
  fewer than the cores), so the pool keeps threads for file reads. Unbounded, 20 parallel wrong passwords held
  all four threads and a media file took seconds.
- **Video seeking** reads only the megabyte asked for, from a file stream (an S3 \`GetObject\` with \`Range\`
  on S3): its cost is moving that megabyte. Before the stream, each range read the whole 256 MB file
  into memory first: 6.4 requests per second with 2 connections (p50 312 ms, against 78.9 and 25 ms
  now), and none finished within 5 s with 10.

## Running it

\`\`\`sh
npm run bench                                   # every scenario, writes this file
npm run bench -- --only baseline,feed           # some scenarios (ids: see bench/scenarios.ts)
npm run bench -- --only login-flood --no-write  # one scenario, printed, this file left alone
npm run bench -- --duration 10 --connections 50 --no-write
\`\`\`

Scenarios live in \`bench/scenarios.ts\`: each names its server (the baseline, or the CMS seeded with one of the
\`datasets\`) and prepares its requests; the runner starts one CMS per dataset that the selected scenarios use.
The 10,000 articles are seeded through the services once (a few minutes) and saved under \`bench/.cache/\`; later
runs copy that database while the migrations and the seeder are unchanged.
`;
}
