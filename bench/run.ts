// npm run bench: load scenarios against bare express, the stack-limit servers and the CMS, on SQLite and on
// PostgreSQL; prints a table, writes docs/PERFORMANCE.md.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  benchDialects,
  copySqliteIntoPostgres,
  createPostgresDatabase,
  databaseNameOf,
  dialectNames,
  seedCacheFile,
  type BenchDialect,
  type PostgresDatabase,
} from './databases.ts';
import { summariseProfile, type ProfileSummary } from './profile.ts';
import { goalsText, machine, markdownTable, performanceDocument, textTable, type ScenarioResult } from './report.ts';
import { datasets, scenarios, type PreparedLoad, type Scenario } from './scenarios.ts';
import type { SeededContent } from './seed.ts';
import type { NarrationResult } from './narration.ts';
import { measureStreamFanout, type FanoutResult } from './stream-fanout.ts';
import { measureExport, measureImport, signIn, type InterchangeResult } from './interchange.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { seedDatabase, startBaselineServer, startCmsServer, startLimitServer, type CmsDatabase, type RunningServer } from './servers.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '1' },
    only: { type: 'string' },
    databases: { type: 'string', default: benchDialects.join(',') },
    'postgres-url': { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres' },
    // Left out: the uncached article is profiled when it runs. `--profile none` profiles nothing.
    profile: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    out: { type: 'string', default: fileURLToPath(new URL('../docs/PERFORMANCE.md', import.meta.url)) },
    'no-write': { type: 'boolean', default: false },
    'fanout-clients': { type: 'string', default: '2000' },
    'fanout-entries': { type: 'string', default: '20' },
  },
});

// Measured apart from the autocannon scenarios: the stream's fan-out holds connections open, and the narration runs
// its own app in a child process.
const fanoutId = 'stream-fanout';
const narrationId = 'narration';
const interchangeId = 'interchange';
const interchangeDataset = 'ten-thousand';

const durationSeconds = Number(args.duration);
const connections = Number(args.connections);
const warmupSeconds = Number(args.warmup);
const logLevel = args['log-level'] as 'info' | 'warn' | 'silent';
const postgresUrl = args['postgres-url'];
const listOf = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'none');
const only = listOf(args.only);
const selected = only ? scenarios.filter((s) => only.includes(s.id)) : scenarios;
const isFanoutSelected = !only || only.includes(fanoutId);
const isNarrationSelected = !only || only.includes(narrationId);
const isInterchangeSelected = !only || only.includes(interchangeId);
const apartIds = [fanoutId, narrationId, interchangeId];
if (only && selected.length + apartIds.filter((id) => only.includes(id)).length !== only.length) {
  throw new Error(`unknown scenario in --only; the ids are: ${[...scenarios.map((s) => s.id), ...apartIds].join(', ')}`);
}

/** bench/narration.ts in a child process; its figures, or why there are none. */
function measureNarration(): NarrationResult | string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./narration.ts', import.meta.url))], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 10 * 60_000,
  });
  // The figures count once printed, whatever the clean-up after them did to the exit code.
  const start = run.stdout?.indexOf('{') ?? -1;
  if (start < 0) return `the narration run failed (exit ${run.status ?? run.signal})`;
  return JSON.parse(run.stdout.slice(start)) as NarrationResult;
}
const databases = listOf(args.databases) as BenchDialect[];
const unknownDatabase = databases.find((d) => !benchDialects.includes(d));
if (unknownDatabase) throw new Error(`unknown database "${unknownDatabase}" in --databases; they are: ${benchDialects.join(', ')}`);
const defaultProfile = selected.some((s) => s.id === 'article-uncached') ? 'article-uncached' : undefined;
const profiled = listOf(args.profile ?? defaultProfile)?.map((id) => {
  const scenario = scenarios.find((s) => s.id === id);
  if (scenario?.target.server !== 'cms') throw new Error(`--profile takes CMS scenarios; "${id}" is not one`);
  return scenario;
});

async function load(server: RunningServer, requests: autocannon.Request[], seconds: number, scenario: Scenario) {
  return autocannon({ url: server.url, connections: scenario.load?.connections ?? connections, duration: seconds, requests, timeout: 60 });
}

/** Starts a load that runs until stopped (a flood under the measured one); stop() resolves with its figures. */
function startBackground(server: RunningServer, background: NonNullable<PreparedLoad['background']>) {
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      { url: server.url, connections: background.connections, duration: 24 * 3600, requests: background.requests, timeout: 60 },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  return {
    stop: () => {
      instance?.stop();
      return finished;
    },
  };
}

const skipped = (scenario: Scenario, database: BenchDialect | undefined, why: string): ScenarioResult => ({
  id: scenario.id,
  title: scenario.title,
  ...(database ? { database } : {}),
  ...(scenario.reference ? { reference: scenario.reference } : {}),
  requestsPerSecond: null,
  p50Ms: null,
  p99Ms: null,
  failures: 0,
  total: 0,
  note: why,
});

async function runScenario(scenario: Scenario, server: RunningServer): Promise<ScenarioResult> {
  process.stdout.write(`- ${scenario.title}… `);
  const prepared = await scenario.prepare(server);
  if ('skip' in prepared) {
    process.stdout.write(`skipped (${prepared.skip})\n`);
    return skipped(scenario, server.database, prepared.skip);
  }
  if (warmupSeconds > 0) await load(server, prepared.requests, warmupSeconds, scenario);
  const seconds = Math.max(durationSeconds, scenario.load?.minDurationSeconds ?? 0);
  // Under a background load, the same requests alone first: the figures to compare with.
  const idle = prepared.background ? await load(server, prepared.requests, seconds, scenario) : undefined;
  const background = prepared.background ? startBackground(server, prepared.background) : undefined;
  // The flood is under way (its first answers are in) before the measured load starts.
  if (background && warmupSeconds > 0) await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
  const result = await load(server, prepared.requests, seconds, scenario);
  const backgroundResult = await background?.stop();
  const failures = result.non2xx + result.errors + result.timeouts;
  // Which answers failed, for the note: e.g. "412 × 130".
  const failedStatuses = Object.entries((result as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, stats]) => `${code} × ${stats.count}`)
    .join(', ');
  process.stdout.write(
    `${result.requests.average.toFixed(1)} req/s, p99 ${result.latency.p99} ms` +
      `${failures ? `, ${failures} failed${failedStatuses ? ` (${failedStatuses})` : ''}` : ''}` +
      (idle && backgroundResult
        ? ` against ${idle.latency.p99} ms alone; the background load: ${backgroundResult.requests.average.toFixed(1)} req/s\n`
        : '\n'),
  );
  return {
    id: scenario.id,
    title: scenario.title,
    ...(server.database ? { database: server.database } : {}),
    ...(scenario.reference ? { reference: scenario.reference } : {}),
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures,
    total: result.requests.total,
    note: [
      prepared.note ?? '',
      idle && backgroundResult
        ? `alone: ${idle.requests.average.toFixed(0)} req/s, p50 ${idle.latency.p50} ms, p99 ${idle.latency.p99} ms; ` +
          `${prepared.background!.what}: ${backgroundResult.requests.average.toFixed(1)} req/s, p99 ${backgroundResult.latency.p99} ms`
        : '',
      failedStatuses ? `failed answers: ${failedStatuses}` : '',
    ]
      .filter(Boolean)
      .join('; '),
    ...(idle ? { idle: { requestsPerSecond: idle.requests.average, p50Ms: idle.latency.p50, p99Ms: idle.latency.p99 } } : {}),
  };
}

/** A scenario that cannot run (its server would not start): recorded as skipped, and the run goes on. */
async function runOn(
  scenarios: Scenario[],
  database: BenchDialect | undefined,
  start: () => Promise<RunningServer>,
  results: ScenarioResult[],
) {
  if (!scenarios.length) return;
  let server: RunningServer;
  try {
    server = await start();
  } catch (error) {
    const why = `the server did not start: ${(error instanceof Error ? error.message : String(error)).split('\n').slice(0, 3).join(' ')}`;
    console.log(`  ${why}`);
    for (const scenario of scenarios) results.push(skipped(scenario, database, why));
    return;
  }
  try {
    for (const scenario of scenarios) {
      try {
        results.push(await runScenario(scenario, server));
      } catch (error) {
        const why = `failed: ${error instanceof Error ? error.message : String(error)}`;
        console.log(why);
        results.push(skipped(scenario, database, why));
      }
    }
  } finally {
    await server.stop();
  }
}

interface Seed {
  file: string;
  content: SeededContent;
  note: string;
}

/** The seeded SQLite file for `articles` articles: from bench/.cache/, or seeded now through the services and saved there. */
async function seedFor(articles: number): Promise<Seed> {
  const file = seedCacheFile(articles);
  let note = "copied from an earlier run's seed (bench/.cache/)";
  if (!existsSync(file) || !existsSync(`${file}.json`)) {
    process.stdout.write(`Seeding ${articles} articles through the services (saved in bench/.cache/ for later runs)… `);
    const seconds = await seedDatabase({ articles, file });
    note = `seeded through the services in ${seconds.toFixed(1)} s (saved in bench/.cache/ for later runs)`;
    process.stdout.write(`${seconds.toFixed(1)} s\n`);
  }
  return { file, content: JSON.parse(readFileSync(`${file}.json`, 'utf8')) as SeededContent, note };
}

/** Databases a crashed or stopped run left behind (their process is gone). */
async function dropLeftoverDatabases() {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'cms\\_bench\\_%'");
    for (const { datname } of rows) {
      const pid = Number(datname.split('_')[2]);
      if (pid === process.pid || isAlive(pid)) continue;
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Per database: where each seed lives, a fresh database for each server, and the cleanup. */
interface DatabaseSetup {
  fresh: (seed: Seed, label: string) => Promise<{ database: CmsDatabase; drop: () => Promise<void> }>;
  /** A database with no content: the migrations only. */
  empty: (label: string) => Promise<{ database: CmsDatabase; drop: () => Promise<void> }>;
  notes: string[];
  close: () => Promise<void>;
}

async function setUp(dialect: BenchDialect, seeds: Seed[]): Promise<DatabaseSetup> {
  if (dialect === 'sqlite')
    return {
      fresh: async (seed) => ({ database: { dialect, seedFile: seed.file }, drop: async () => undefined }),
      empty: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'cms-bench-empty-'));
        const file = join(dir, 'empty.db');
        await migrateDatabase(`file:${file}`);
        return { database: { dialect, seedFile: file }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
      },
      notes: [],
      close: async () => undefined,
    };
  await dropLeftoverDatabases();
  const templates = new Map<string, PostgresDatabase>();
  const notes: string[] = [];
  const close = async () => {
    for (const template of templates.values()) await template.drop();
  };
  try {
    for (const seed of seeds) {
      const articles = seed.content.articleSlugs.length;
      process.stdout.write(`Copying the ${articles.toLocaleString('en-US')}-article seed into PostgreSQL… `);
      const started = performance.now();
      const template = await createPostgresDatabase(postgresUrl, `seed${articles}`);
      templates.set(seed.file, template);
      const rows = await copySqliteIntoPostgres(seed.file, template.url);
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`${rows} rows in ${seconds.toFixed(1)} s\n`);
      notes.push(
        `PostgreSQL: the ${articles.toLocaleString('en-US')}-article seed migrated with the project's migrations and its ` +
          `${rows.toLocaleString('en-US')} rows copied from the SQLite ` +
          `seed in ${seconds.toFixed(1)} s, then one copy (CREATE DATABASE … TEMPLATE) per server, dropped after.`,
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  let serial = 0;
  return {
    fresh: async (seed, label) => {
      const template = templates.get(seed.file)!;
      const copy = await createPostgresDatabase(postgresUrl, `${label.replace(/\W/g, '_')}_${serial++}`, databaseNameOf(template.url));
      return { database: { dialect, url: copy.url }, drop: copy.drop };
    },
    empty: async (label) => {
      const database = await createPostgresDatabase(postgresUrl, `${label.replace(/\W/g, '_')}_${serial++}`);
      return { database: { dialect, url: database.url }, drop: database.drop };
    },
    notes,
    close,
  };
}

/** The CMS on a fresh copy of the seed; its database goes when it stops. */
async function startCmsOn(setup: DatabaseSetup, seed: Seed, dataset: string, dialect: BenchDialect, extraEnv: Record<string, string> = {}) {
  const { database, drop } = await setup.fresh(seed, dataset);
  try {
    const env = { ...datasets[dataset]!.env, ...extraEnv };
    const server = await startCmsServer({ database, logLevel, env });
    // One public read before any scenario: the first loads the query engine and compiles the read path (seconds on a busy machine).
    await fetch(`${server.url}/v1/feed`, { signal: AbortSignal.timeout(60_000) })
      .then((response) => response.arrayBuffer())
      .catch(() => undefined);
    return {
      ...server,
      database: dialect,
      seeded: seed.content,
      stop: async () => {
        await server.stop();
        await drop();
      },
    } satisfies RunningServer;
  } catch (error) {
    await drop();
    throw error;
  }
}

/**
 * Bulk export and import: the seeded site exported, 10,000 agency items imported into it, and the export restored
 * into an empty database (whose server starts with a first admin to sign in as).
 */
async function measureInterchange(setup: DatabaseSetup, seed: Seed, dialect: BenchDialect): Promise<InterchangeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cms-bench-export-'));
  const file = join(dir, 'export.ndjson');
  try {
    // Narration is measured on its own: its worker would take the CPU from the imports it queues jobs for.
    const quiet = { NARRATION_WORKER: 'off' };
    const server = await startCmsOn(setup, seed, interchangeDataset, dialect, quiet);
    let figures: Omit<InterchangeResult, 'restore'>;
    try {
      process.stdout.write('Export of the seeded site as NDJSON… ');
      const exported = await measureExport(server, seed.content.adminApiKey, file);
      process.stdout.write(`${exported.articlesPerSecond} articles/s, +${exported.peakMiBAboveIdle} MiB\n`);
      process.stdout.write('Import of 10,000 ninjs items… ');
      const imported = await measureImport(server, seed.content.adminApiKey, 'ninjs');
      process.stdout.write(`${imported.articlesPerSecond} articles/s, +${imported.peakMiBAboveIdle} MiB, ${imported.failed} failed\n`);
      figures = { export: exported, importNinjs: imported };
    } finally {
      await server.stop();
    }
    let restore: TransferOutcome;
    const { database, drop } = await setup.empty('restore');
    try {
      const admin = { email: 'bench-admin@example.org', password: 'bench-admin-password-1' };
      const empty = await startCmsServer({
        database,
        logLevel,
        env: { ...quiet, CMS_ADMIN_EMAIL: admin.email, CMS_ADMIN_PASSWORD: admin.password },
      });
      try {
        process.stdout.write('Restore of that export into an empty database… ');
        restore = await measureImport(empty, await signIn(empty, admin.email, admin.password), file);
        process.stdout.write(`${restore.articlesPerSecond} articles/s, +${restore.peakMiBAboveIdle} MiB, ${restore.failed} failed\n`);
      } finally {
        await empty.stop();
      }
    } catch (error) {
      restore = `failed: ${error instanceof Error ? error.message : String(error)}`;
      console.log(restore);
    } finally {
      await drop();
    }
    return { ...figures, restore };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type TransferOutcome = NonNullable<InterchangeResult['restore']>;

/** The scenario again on a fresh CMS, its CPU sampled during the measured load only (not the start-up or warm-up). */
async function profileScenario(setup: DatabaseSetup, seed: Seed, scenario: Scenario, dialect: BenchDialect): Promise<ProfileSummary> {
  if (scenario.target.server !== 'cms') throw new Error(`${scenario.id} is not a CMS scenario`);
  process.stdout.write(`- profiling "${scenario.title}" (V8 CPU profiler)… `);
  const dir = mkdtempSync(join(tmpdir(), 'cms-bench-profile-'));
  try {
    const server = await startCmsOn(setup, seed, scenario.target.dataset, dialect);
    let requestsPerSecond: number;
    try {
      const prepared = await scenario.prepare(server);
      if ('skip' in prepared) throw new Error(prepared.skip);
      // At least a second of warm-up: the first requests compile code that a profile of the steady state should not hold.
      await load(server, prepared.requests, Math.max(1, warmupSeconds), scenario);
      await server.profiler.start();
      requestsPerSecond = (await load(server, prepared.requests, durationSeconds, scenario)).requests.average;
      await server.profiler.stop(join(dir, 'server.cpuprofile'));
    } finally {
      await server.stop();
    }
    const summary = summariseProfile(dir, { scenario: scenario.title, database: dialectNames[dialect], requestsPerSecond });
    process.stdout.write(`${summary.functions[0]?.name ?? 'nothing'} on top\n`);
    return summary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const date = new Date();
  console.log(
    `Benchmark on ${machine()}: ${connections} connections, ${durationSeconds} s per scenario (+${warmupSeconds} s warm-up), ` +
      `databases: ${databases.map((d) => dialectNames[d]).join(', ')}`,
  );
  const results: ScenarioResult[] = [];
  const profiles: ProfileSummary[] = [];
  const seedNotes: string[] = [];
  let fanout: FanoutResult | undefined;
  let narration: NarrationResult | string | undefined;
  const interchange = new Map<BenchDialect, InterchangeResult | string>();

  await runOn(
    selected.filter((s) => s.target.server === 'baseline'),
    undefined,
    startBaselineServer,
    results,
  );

  const limitScenarios = selected.filter((s) => s.target.server === 'limit');
  const cmsScenarios = selected.filter((s) => s.target.server === 'cms');
  const datasetNames = [
    ...new Set([...cmsScenarios, ...(profiled ?? [])].flatMap((s) => (s.target.server === 'cms' ? [s.target.dataset] : []))),
  ];
  const limitArticles = datasets['ten-thousand']!.articles;
  const fanoutDataset = 'ten-thousand';
  const seedSizes = [
    ...new Set([
      ...(limitScenarios.length ? [limitArticles] : []),
      ...datasetNames.map((n) => datasets[n]!.articles),
      ...(isFanoutSelected ? [datasets[fanoutDataset]!.articles] : []),
      ...(isInterchangeSelected ? [datasets[interchangeDataset]!.articles] : []),
    ]),
  ];
  const seeds = new Map<number, Seed>();
  for (const articles of seedSizes) {
    const seed = await seedFor(articles);
    seeds.set(articles, seed);
    const users = [
      ...(articles === limitArticles && limitScenarios.length ? ['the stack-limit servers'] : []),
      ...datasetNames
        .filter((n) => datasets[n]!.articles === articles)
        .map((n) => `"${n}"${datasets[n]!.description ? ` — ${datasets[n]!.description}` : ''}`),
      ...(isFanoutSelected && datasets[fanoutDataset]!.articles === articles ? ['the stream fan-out'] : []),
    ];
    seedNotes.push(
      `${articles.toLocaleString('en-US')} published articles (6 rubrics, 20 tags, 4 authors, 10 photos), ${seed.note}; ` +
        `used by ${users.join('; ')}.`,
    );
  }

  for (const dialect of databases) {
    console.log(`\n${dialectNames[dialect]}`);
    let setup: DatabaseSetup;
    try {
      setup = await setUp(dialect, [...seeds.values()]);
    } catch (error) {
      const why = `${dialectNames[dialect]} could not be set up: ${error instanceof Error ? error.message : String(error)}`;
      console.log(why);
      for (const scenario of [...limitScenarios, ...cmsScenarios]) results.push(skipped(scenario, dialect, why));
      continue;
    }
    seedNotes.push(...setup.notes);
    try {
      const limitSeed = seeds.get(limitArticles);
      if (limitSeed)
        await runOn(
          limitScenarios,
          dialect,
          async () => {
            const { database, drop } = await setup.fresh(limitSeed, 'limit');
            const server = await startLimitServer({ dialect, database: database.dialect === 'sqlite' ? database.seedFile : database.url });
            return {
              ...server,
              database: dialect,
              seeded: limitSeed.content,
              stop: async () => {
                await server.stop();
                await drop();
              },
            };
          },
          results,
        );
      for (const name of datasetNames) {
        const inDataset = cmsScenarios.filter((s) => s.target.server === 'cms' && s.target.dataset === name);
        if (!inDataset.length) continue;
        console.log(`The CMS with dataset "${name}"`);
        await runOn(inDataset, dialect, () => startCmsOn(setup, seeds.get(datasets[name]!.articles)!, name, dialect), results);
      }
      for (const scenario of profiled ?? []) {
        const dataset = datasets[(scenario.target as { dataset: string }).dataset]!;
        try {
          profiles.push(await profileScenario(setup, seeds.get(dataset.articles)!, scenario, dialect));
        } catch (error) {
          console.log(`the profile failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (isInterchangeSelected) {
        try {
          interchange.set(dialect, await measureInterchange(setup, seeds.get(datasets[interchangeDataset]!.articles)!, dialect));
        } catch (error) {
          const why = `failed: ${error instanceof Error ? error.message : String(error)}`;
          console.log(why);
          interchange.set(dialect, why);
        }
      }
      // Streams are the same code on both databases (an entry's write is one save): measured once, on the first.
      if (isFanoutSelected && dialect === databases[0]) {
        const clients = Number(args['fanout-clients']);
        process.stdout.write(`Stream fan-out: ${clients} clients on one instance… `);
        const seed = seeds.get(datasets[fanoutDataset]!.articles)!;
        const server = await startCmsOn(setup, seed, fanoutDataset, dialect, { STREAM_MAX_CLIENTS: String(clients + 100) });
        try {
          fanout = await measureStreamFanout(server, { clients, entries: Number(args['fanout-entries']) });
          process.stdout.write(
            `p50 ${fanout.p50Ms.toFixed(1)} ms, p99 ${fanout.p99Ms.toFixed(1)} ms, ${Math.round(fanout.bytesPerConnection / 1024)} kB a connection\n`,
          );
        } finally {
          await server.stop();
        }
      }
    } finally {
      await setup.close();
    }
  }

  if (isNarrationSelected) {
    process.stdout.write('Narration of a 3 KB article with the builtin voice, and cached reads meanwhile… ');
    narration = measureNarration();
    process.stdout.write(
      typeof narration === 'string'
        ? `${narration}\n`
        : `${narration.narrationWallMs} ms, read p99 ${narration.cachedReadP99IdleMs} → ${narration.cachedReadP99DuringNarrationMs} ms\n`,
    );
  }

  const info = { date, durationSeconds, connections, warmupSeconds, logLevel, databases };
  console.log(`\n${textTable(results, databases)}\n\nGoals\n${goalsText(results, databases)}\n`);
  if (!args['no-write']) {
    const out = resolve(args.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, performanceDocument(results, info, seedNotes, profiles, fanout, narration, interchange));
    console.log(`Wrote ${out}`);
  } else {
    console.log(markdownTable(results, databases));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
