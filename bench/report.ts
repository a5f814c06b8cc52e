import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { NarrationResult } from './narration.ts';
import type { FanoutResult } from './stream-fanout.ts';
import type { InterchangeResult, TransferFigures } from './interchange.ts';
import { dialectNames, type BenchDialect } from './databases.ts';
import type { ProfileSummary } from './profile.ts';
import type { Reference } from './scenarios.ts';

export interface ScenarioResult {
  id: string;
  title: string;
  /** The database the server ran on; none for bare express. */
  database?: BenchDialect;
  reference?: Reference;
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
  databases: BenchDialect[];
}

export const machine = () => {
  const cores = cpus();
  const cpu = cores[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${Math.round(totalmem() / 2 ** 30)} GB RAM`;
  return `${cores.length} cores (${cpu}), ${memory}, ${process.platform} ${process.arch}, Node ${process.version}`;
};

const isMeasured = (r: ScenarioResult | undefined): r is ScenarioResult & { requestsPerSecond: number; p50Ms: number; p99Ms: number } =>
  r !== undefined && r.requestsPerSecond !== null;

function ratio(value: number | null | undefined, base: number | null | undefined): number {
  return value === null || value === undefined || !base ? Number.NaN : value / base;
}

const percent = (share: number) => (Number.isNaN(share) ? '—' : `${(share * 100).toFixed(share < 0.1 ? 2 : 1)} %`);
const times = (multiple: number) => (Number.isNaN(multiple) ? '—' : `${multiple.toFixed(multiple < 10 ? 2 : 1)} ×`);

/** Looks a scenario up among one database's results (bare express is shared by all). */
function finder(results: ScenarioResult[], database: BenchDialect | undefined) {
  return (id: string) => results.find((r) => r.id === id && (id === 'baseline' || r.database === database));
}

function referenceCell(r: ScenarioResult, find: (id: string) => ScenarioResult | undefined): string {
  if (!r.reference) return '';
  const reference = find(r.reference.scenario);
  if (!isMeasured(reference)) return '—';
  return r.reference.by === 'throughput'
    ? `${percent(ratio(r.requestsPerSecond, reference.requestsPerSecond))} of ${r.reference.label}`
    : `p99 ${times(ratio(r.p99Ms, reference.p99Ms))} ${r.reference.label}'s`;
}

const columns = ['Scenario', 'Req/s', 'p50 (ms)', 'p99 (ms)', 'vs express', 'vs stack limit / reference', 'Failed', 'Notes'];
const numericColumns = new Set([1, 2, 3, 4, 5, 6]);

/** Bare express, then the database's scenarios in their order. */
function rows(results: ScenarioResult[], database: BenchDialect): string[][] {
  const find = finder(results, database);
  const baseline = find('baseline');
  const shown = results.filter((r) => r.id === 'baseline' || r.database === database);
  return shown.map((r) =>
    !isMeasured(r)
      ? [r.title, '—', '—', '—', '—', '—', '—', `skipped: ${r.note}`]
      : [
          r.title,
          r.requestsPerSecond.toFixed(r.requestsPerSecond < 100 ? 1 : 0),
          String(r.p50Ms),
          String(r.p99Ms),
          percent(ratio(r.requestsPerSecond, baseline?.requestsPerSecond)),
          referenceCell(r, find),
          r.failures ? `${r.failures} of ${r.total}` : '0',
          r.note,
        ],
  );
}

/** Fixed-width tables for the terminal, one per database. */
export function textTable(results: ScenarioResult[], databases: BenchDialect[]): string {
  return databases
    .map((database) => {
      const all = [columns, ...rows(results, database)];
      const widths = columns.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
      const line = (row: string[]) =>
        row
          .map((cell, i) => (numericColumns.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
          .join('  ')
          .trimEnd();
      return [dialectNames[database], line(all[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
    })
    .join('\n\n');
}

function oneMarkdownTable(results: ScenarioResult[], database: BenchDialect): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${columns.join(' | ')} |`,
    `|${columns.map((_, i) => (numericColumns.has(i) ? '---:' : '---')).join('|')}|`,
    ...rows(results, database).map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

export function markdownTable(results: ScenarioResult[], databases: BenchDialect[]): string {
  return databases.map((d) => `### ${dialectNames[d]}\n\n${oneMarkdownTable(results, d)}`).join('\n\n');
}

interface GoalCheck {
  figure: string;
  isMet: boolean;
  /** By how much a missed goal is missed. */
  gap: string;
}

interface Goal {
  what: string;
  /** Checked once per database, or once for a scenario measured against its own idle figures. */
  check: (find: (id: string) => ScenarioResult | undefined) => GoalCheck | undefined;
}

/** Requests per second of `scenario` at least `share` of `reference`'s. */
function shareGoal(what: string, scenario: string, reference: string, share: number): Goal {
  return {
    what,
    check: (find) => {
      const r = find(scenario);
      const base = find(reference);
      if (!isMeasured(r) || !isMeasured(base)) return undefined;
      const actual = r.requestsPerSecond / base.requestsPerSecond;
      return {
        figure: `${percent(actual)} (${r.requestsPerSecond.toFixed(0)} against ${base.requestsPerSecond.toFixed(0)} req/s)`,
        isMet: actual >= share,
        gap: actual
          ? `${((share - actual) * 100).toFixed(1)} points short: needs ${times(share / actual)} its requests per second`
          : 'no answer within the run',
      };
    },
  };
}

/** p99 of `scenario` at most `multiple` × `reference`'s p99 (or its own p99 without the background load). */
function p99Goal(
  what: string,
  scenario: string,
  reference: string | 'idle',
  multiple: number,
  alsoAgainst?: { scenario: string; label: string },
): Goal {
  return {
    what,
    check: (find) => {
      const r = find(scenario);
      const base = reference === 'idle' ? r?.idle : find(reference);
      if (!isMeasured(r) || !base || base.requestsPerSecond === null || base.p99Ms === null) return undefined;
      const actual = ratio(r.p99Ms, base.p99Ms);
      const also = alsoAgainst ? find(alsoAgainst.scenario) : undefined;
      const alsoFigure = isMeasured(also) ? `; ${times(ratio(r.p99Ms, also.p99Ms))} the ${alsoAgainst!.label}'s` : '';
      return {
        figure: `${times(actual)} (${r.p99Ms} ms against ${base.p99Ms} ms${alsoFigure})`,
        isMet: actual <= multiple,
        gap: `p99 ${times(actual / multiple)} too long: must fall to ${Math.floor(base.p99Ms * multiple)} ms`,
      };
    },
  };
}

/** The goals of issue 12 (and the sign-in flood's), each checked per database. */
const goals: Goal[] = [
  shareGoal('Uncached article by slug: at least 50 % of the stack-limit article', 'article-uncached', 'limit-article', 0.5),
  shareGoal('Uncached rubric page: at least 50 % of the stack-limit list of 20', 'rubric-page-uncached', 'limit-list', 0.5),
  shareGoal('Uncached feed: at least 50 % of the stack-limit list of 20', 'feed-uncached', 'limit-list', 0.5),
  p99Goal("Uncached search over 10,000 articles: p99 at most 10 × bare express's p99", 'search', 'baseline', 10, {
    scenario: 'limit-list',
    label: 'list limit',
  }),
  shareGoal('Mixed reads with 1 % writes: at least 50 % of the mix without writes', 'mixed-writes-1', 'mixed-reads', 0.5),
  shareGoal('Mixed reads with 5 % writes: at least 25 % of the mix without writes', 'mixed-writes-5', 'mixed-reads', 0.25),
  shareGoal('Cached article by slug: at least 65 % of bare express', 'article-cached', 'baseline', 0.65),
  shareGoal('Cached rubric page: at least 65 % of bare express', 'rubric-page', 'baseline', 0.65),
  shareGoal('Cached feed: at least 65 % of bare express', 'feed', 'baseline', 0.65),
  shareGoal('Cached search (repeated queries): at least 65 % of bare express', 'search-cached', 'baseline', 0.65),
  p99Goal('A media file during a flood of wrong passwords: p99 within 3 × its p99 without the flood', 'login-flood', 'idle', 3),
];

interface GoalRow {
  what: string;
  database: string;
  figure: string;
  verdict: string;
  isMet: boolean;
}

function goalRows(results: ScenarioResult[], databases: BenchDialect[]): GoalRow[] {
  return goals.flatMap((goal) =>
    databases.flatMap((database) => {
      const check = goal.check(finder(results, database));
      if (!check) return [];
      const verdict = check.isMet ? 'met' : `missed: ${check.gap}`;
      return [{ what: goal.what, database: dialectNames[database], figure: check.figure, verdict, isMet: check.isMet }];
    }),
  );
}

/** The goals for the terminal, one a line. */
export function goalsText(results: ScenarioResult[], databases: BenchDialect[]): string {
  return goalRows(results, databases)
    .map((g) => `${g.isMet ? 'met   ' : 'MISSED'}  ${g.database.padEnd(10)}  ${g.what}: ${g.figure}${g.isMet ? '' : ` (${g.verdict})`}`)
    .join('\n');
}

function goalsTable(results: ScenarioResult[], databases: BenchDialect[]): string {
  const lines = goalRows(results, databases).map(
    (g) => `| ${g.what} | ${g.database} | ${g.figure} | ${g.isMet ? 'met' : `**${g.verdict.replace(': ', '**: ')}`} |`,
  );
  return lines.length
    ? ['| Goal | Database | This run | |', '|---|---|---:|---|', ...lines].join('\n')
    : '_The goals need their scenarios and references in the same run._';
}

function profileSection(profiles: ProfileSummary[]): string {
  if (!profiles.length) return '_No profile in this run (`--profile none`, or the profiled scenario did not run)._';
  const share = (s: number) => `${(s * 100).toFixed(1)} %`;
  return profiles
    .map((p) =>
      [
        `#### ${p.scenario}, ${p.database}`,
        '',
        `${p.seconds.toFixed(1)} s of the CMS process sampled by V8's CPU profiler (what \`node --cpu-prof\` uses) during the measured ` +
          `load only, after a warm-up (${p.requestsPerSecond.toFixed(0)} req/s while profiled); ` +
          `idle (waiting for the database or the network) ${share(p.idleShare)} of the samples. Shares below are of the busy samples.`,
        '',
        '| Where (by package or project folder) | Self time |',
        '|---|---:|',
        ...p.origins.map((o) => `| ${o.name} | ${share(o.share)} |`),
        '',
        '| Function (top self time) | Self time |',
        '|---|---:|',
        ...p.functions.map((f) => `| \`${f.name.replaceAll('|', '\\|')}\` | ${share(f.share)} |`),
      ].join('\n'),
    )
    .join('\n\n');
}

const writeMixes = [
  { id: 'mixed-writes-1', share: 0.01 },
  { id: 'mixed-writes-5', share: 0.05 },
];

/**
 * What a save costs in the mixes: with the server saturated, each request of the mix costs 1/(its req/s) of server
 * time; the reads alone cost 1/(the reads-only mix's req/s) each, and what is left over is the saves' share, the
 * misses they cause by their purges included.
 */
function writeCostLines(results: ScenarioResult[], databases: BenchDialect[]): string[] {
  return databases.flatMap((database) => {
    const find = finder(results, database);
    const reads = find('mixed-reads');
    if (!isMeasured(reads)) return [];
    return writeMixes.flatMap(({ id, share }) => {
      const mix = find(id);
      if (!isMeasured(mix)) return [];
      const perSaveMs = ((1 / mix.requestsPerSecond - (1 - share) / reads.requestsPerSecond) / share) * 1000;
      const readMs = 1000 / reads.requestsPerSecond;
      return [
        `- ${dialectNames[database]}, ${share * 100} % writes: a save costs about ${perSaveMs.toFixed(1)} ms of server time, the misses ` +
          `its purges cause included, against ${readMs.toFixed(2)} ms for a read of the mix without writes ` +
          `(${(perSaveMs / readMs).toFixed(0)} reads' worth).`,
      ];
    });
  });
}

function writeCostSection(results: ScenarioResult[], databases: BenchDialect[]): string {
  const lines = writeCostLines(results, databases);
  return lines.length
    ? [
        "With the server saturated (10 connections), a request of a mix costs 1 / (the mix's req/s) of server time; taking",
        "the reads at the reads-only mix's cost leaves the saves' share:",
        '',
        ...lines,
      ].join('\n')
    : '_The mixes did not run._';
}

// The hand-written reading of the figures: kept in a file of its own so that it can be edited without the generator.
const notesFile = new URL('./performance-notes.md', import.meta.url);
const readNotes = () => (existsSync(notesFile) ? readFileSync(notesFile, 'utf8').trim() : '');

/** The stream's fan-out section: what one entry costs to reach every open stream of an instance. */
function fanoutSection(fanout: FanoutResult | undefined): string {
  if (!fanout) return '';
  const goal = fanout.p99Ms < 1000 ? 'met' : '**not met**';
  return `
## Live stream fan-out (\`stream-fanout\`)

${fanout.clients} Server-Sent Events clients on one instance (SQLite; \`GET /v1/stream?topics=live:{articleId}\`, each its own
connection from the load process), ${fanout.entries} entries posted one after another with an admin API key; each
delay runs from the POST's start until a client has read the event.

| Clients | Entries | p50 (ms) | p99 (ms) | Slowest client (ms) | Missed | Server memory a connection |
|---:|---:|---:|---:|---:|---:|---:|
| ${fanout.clients} | ${fanout.entries} | ${fanout.p50Ms.toFixed(1)} | ${fanout.p99Ms.toFixed(1)} | ${fanout.lastClientMaxMs.toFixed(1)} | ${fanout.missed} | ${(fanout.bytesPerConnection / 1024).toFixed(1)} kB |

Goal: p99 under 1 s — ${goal}. The memory is the server's resident set grown while the streams opened, divided by them.
`;
}

/** The narration section: what the builtin voice costs, and what a job does to cached reads on the same instance. */
function narrationSection(narration: NarrationResult | string | undefined): string {
  if (narration === undefined) return '';
  if (typeof narration === 'string') return `\n## Narration (\`narration\`)\n\nNot measured in this run: ${narration}.\n`;
  const goal = narration.ratio <= 1.5 ? 'met' : `**not met** (${narration.ratio} ×)`;
  return `
## Narration (\`narration\`)

\`bench/narration.ts\`, in a process of its own: an in-process server on a fresh SQLite file narrates a
${(narration.textBytes / 1024).toFixed(1)} KB article with the builtin voice (eSpeak-NG in a child process at nice 19, lamejs)
while autocannon (10 connections, 8 s, in the same process as the server, so the figure is pessimistic) reads another
article from the public cache.

| What | Measured |
|---|---:|
| Audio made | ${narration.audioSeconds ?? '?'} s of speech (job ${narration.state}) |
| Synthesis alone, warm voice: wall / CPU of the voice process | ${(narration.synthesisWallMs / 1000).toFixed(1)} s / ${(narration.synthesisCpuMs / 1000).toFixed(1)} s |
| The job end to end (claim, normalise, synthesise, store, record) | ${(narration.narrationWallMs / 1000).toFixed(1)} s |
| Server CPU while the job ran (reads included, voice not) | ${(narration.serverCpuMs / 1000).toFixed(1)} s |
| Cached read p99: idle / while the job runs | ${narration.cachedReadP99IdleMs} ms / ${narration.cachedReadP99DuringNarrationMs} ms (${narration.ratio} ×) |
| Cached reads per second: idle / while the job runs | ${Math.round(narration.requestsPerSecondIdle)} / ${Math.round(narration.requestsPerSecondDuring)} |

Goal: p99 within 1.5 × of idle — ${goal}. \`NARRATION_WORKER=off\` on the instances that serve readers (and \`on\` on one
that does not) takes narration off their CPU altogether.
`;
}

const transferRow = (what: string, figures: TransferFigures | string | undefined, goalPerSecond: number | null) => {
  if (figures === undefined) return '';
  if (typeof figures === 'string') return `| ${what} | ${figures} | | | | | |\n`;
  const rate = goalPerSecond === null ? '' : figures.articlesPerSecond >= goalPerSecond ? ' (met)' : ' (**not met**)';
  const memory = figures.peakMiBAboveIdle < 150 ? 'met' : '**not met**';
  const [firstHalf, secondHalf] = figures.halvesMiBAboveIdle;
  const failed = figures.failed === undefined ? '' : String(figures.failed);
  return (
    `| ${what} | ${figures.articles.toLocaleString('en-US')} articles, ${figures.records.toLocaleString('en-US')} lines | ${figures.seconds} s ` +
    `| ${figures.articlesPerSecond}${rate} | +${figures.peakMiBAboveIdle} MiB (${memory}); halves +${firstHalf} / +${secondHalf} | ${failed} | ${figures.note ?? ''} |\n`
  );
};

/** Bulk export and import: articles a second, and the server's peak memory above idle. */
function interchangeSection(results: Map<BenchDialect, InterchangeResult | string> | undefined): string {
  if (!results?.size) return '';
  const rows = [...results.entries()]
    .map(([dialect, result]) => {
      const name = dialectNames[dialect];
      if (typeof result === 'string') return transferRow(`${name}: all`, result, null);
      // The import goal is SQLite's; PostgreSQL's figure is for comparison.
      const importGoal = dialect === 'sqlite' ? 300 : null;
      return (
        transferRow(`${name}: export`, result.export, 3000) +
        transferRow(`${name}: restore of the export into an empty database`, result.restore, importGoal) +
        transferRow(`${name}: import of ninjs items`, result.importNinjs, importGoal)
      );
    })
    .join('');
  return `
## Bulk export and import (\`interchange\`)

\`bench/interchange.ts\` against the CMS in its own process on the 10,000-article seed (narration worker off):
- **export**: \`GET /v1/admin/export\` of the whole site streamed to a file (media, rubrics, tags, authors, articles, feed items);
- **restore**: that file sent to \`POST /v1/admin/import\` of a server on an empty database: the 10,000 articles with their
  feed items and everything they name, ids, slugs and times kept, each line its own transaction, the search index written
  with each article — the import the goal is about;
- **import of ninjs items**: 10,000 agency items new to the site sent to \`POST /v1/admin/import\`, each stored by the
  importer every wire feed uses (its source and id looked up, its subject made a tag, a revision and a webhook event
  written) as a draft of the incoming desk (drafts are not in the public search index).

Each body is sent as a stream and its answer read as it comes. The server's resident memory is sampled every 50 ms; the
peak above its figure just before the transfer is given, and the peaks of the first and second half of the time (memory
that stays flat has them alike; one that grows with the lines has the second higher). Goals: export at least 3,000 articles/s, import at least 300/s
on SQLite, memory flat (under 150 MiB above idle).

| Transfer | Size | Time | Articles/s | Peak memory | Failed | Notes |
|---|---|---|---|---|---|---|
${rows}`;
}

export function performanceDocument(
  results: ScenarioResult[],
  info: RunInfo,
  seedNotes: string[],
  profiles: ProfileSummary[],
  fanout?: FanoutResult,
  narration?: NarrationResult | string,
  interchange?: Map<BenchDialect, InterchangeResult | string>,
): string {
  const load =
    `autocannon, ${info.connections} connections, ${info.durationSeconds} s per scenario after a ${info.warmupSeconds} s warm-up ` +
    'that is not counted, one scenario at a time, 127.0.0.1 only';
  return `# Performance

Generated by \`npm run bench\` (\`tsx bench/run.ts\`); run it again to refresh the figures. Figures from one
machine are comparable with each other, not with another machine: read the *vs express* and *vs stack limit* columns.

## Last run

- Date: ${info.date.toISOString()}
- Machine: ${machine()}
- Load: ${load}
  (a scenario may use fewer connections or run longer; its notes say so).
- Databases: ${info.databases.map((d) => dialectNames[d]).join(' and ')}; every scenario but bare express runs on each.
- Servers, each in its own child process (the load generator keeps the other core):
  - **bare express**: an express 5 app answering \`{"hello":"world"}\`;
  - **stack limit**: express 5 with better-sqlite3 (SQLite) or \`pg\` (PostgreSQL, a pool of 10 like the CMS's) on the same
    10,000 articles, answering \`GET /v1/articles/{slug}\` and \`GET /v1/articles?rubric=…&limit=20\` each with one prepared
    statement that builds the JSON (article with rubric, authors, tags and cover with its renditions; body photos
    left unresolved): the least work this stack can do for those answers, not a CMS;
  - **the CMS** with \`NODE_ENV=production\` on a fresh copy of the seed (a copied SQLite file, or a PostgreSQL database
    made with \`CREATE DATABASE … TEMPLATE\`), local media storage, request logs at \`${info.logLevel}\` written to /dev/null.
${seedNotes.map((n) => `- ${n}`).join('\n')}

${markdownTable(results, info.databases)}

*Req/s* is the mean over the run; *p50* and *p99* are request latencies; *vs express* is the scenario's
requests per second as a share of bare express's; *vs stack limit / reference* compares it with the stack-limit
server of the same database (the article for articles, the list of 20 for rubric pages and the feed, the list's
p99 for search) or, for the mixes with writes, with the same mix without writes; *Failed* counts answers outside
2xx, connection errors and timeouts (it should be 0).

## Goals

${goalsTable(results, info.databases)}
${fanoutSection(fanout)}${narrationSection(narration)}${interchangeSection(interchange)}
## Where the time goes

${readNotes()}

### What a save costs in the mixes

${writeCostSection(results, info.databases)}

### CPU profiles

${profileSection(profiles)}

## Running it

\`\`\`sh
npm run bench                                          # every scenario on both databases, writes this file
npm run bench -- --databases sqlite                    # one database
npm run bench -- --only baseline,limit-article,article-uncached --no-write
npm run bench -- --only article-uncached --profile article-uncached --duration 10 --no-write
npm run bench -- --duration 1 --warmup 0 --profile none --no-write   # a quick check that everything runs
\`\`\`

Scenarios live in \`bench/scenarios.ts\`: each names its server (bare express, the stack limit, or the CMS seeded with
one of the \`datasets\`) and prepares its requests; the runner starts each server once per database for the scenarios
that use it. \`--profile <scenario,…>\` runs those CMS scenarios once more on a fresh server with V8's CPU profiler on
during the measured load and summarises the profile here (by default the uncached article, whenever it runs). PostgreSQL is the server at
\`--postgres-url\` (default \`postgresql://root@127.0.0.1:5432/postgres\`, or \`BENCH_POSTGRES_URL\`); the bench creates
its databases there (\`cms_bench_<pid>_…\`) and drops them, and those of an earlier run that was killed.
The articles are seeded through the services once (about 200 s for 10,000) and saved under \`bench/.cache/\`; later
runs copy that SQLite file while the migrations and the seeder are unchanged, and copy its rows into PostgreSQL.
`;
}
