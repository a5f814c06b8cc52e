// npm run bench: load scenarios against a bare express baseline and the CMS; prints a table, writes docs/PERFORMANCE.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { machine, markdownTable, performanceDocument, textTable, type ScenarioResult } from './report.ts';
import { datasets, scenarios, type PreparedLoad, type Scenario } from './scenarios.ts';
import { startBaselineServer, startCmsServer, type RunningServer } from './servers.ts';
import { measureStreamFanout, type FanoutResult } from './stream-fanout.ts';

const fanoutId = 'stream-fanout';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '1' },
    only: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    out: { type: 'string', default: fileURLToPath(new URL('../docs/PERFORMANCE.md', import.meta.url)) },
    'no-write': { type: 'boolean', default: false },
    'fanout-clients': { type: 'string', default: '2000' },
    'fanout-entries': { type: 'string', default: '20' },
  },
});

const durationSeconds = Number(args.duration);
const connections = Number(args.connections);
const warmupSeconds = Number(args.warmup);
const logLevel = args['log-level'] as 'info' | 'warn' | 'silent';
const only = args.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const selected = only ? scenarios.filter((s) => only.includes(s.id)) : scenarios;
// The stream's fan-out is measured apart from the autocannon scenarios: it holds connections open.
const isFanoutSelected = !only || only.includes(fanoutId);
if (only && selected.length + (isFanoutSelected ? 1 : 0) !== only.length) {
  throw new Error(`unknown scenario in --only; the ids are: ${[...scenarios.map((s) => s.id), fanoutId].join(', ')}`);
}

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

async function runScenario(scenario: Scenario, server: RunningServer): Promise<ScenarioResult> {
  process.stdout.write(`- ${scenario.title}… `);
  const prepared = await scenario.prepare(server);
  if ('skip' in prepared) {
    process.stdout.write(`skipped (${prepared.skip})\n`);
    return {
      id: scenario.id,
      title: scenario.title,
      requestsPerSecond: null,
      p50Ms: null,
      p99Ms: null,
      failures: 0,
      total: 0,
      note: prepared.skip,
    };
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
    `${result.requests.average.toFixed(1)} req/s${failures ? `, ${failures} failed${failedStatuses ? ` (${failedStatuses})` : ''}` : ''}` +
      (idle && backgroundResult
        ? `; p99 ${result.latency.p99} ms against ${idle.latency.p99} ms alone; ` +
          `the background load: ${backgroundResult.requests.average.toFixed(1)} req/s\n`
        : '\n'),
  );
  return {
    id: scenario.id,
    title: scenario.title,
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

async function main() {
  const date = new Date();
  console.log(`Benchmark on ${machine()}: ${connections} connections, ${durationSeconds} s per scenario (+${warmupSeconds} s warm-up)`);
  const results = new Map<string, ScenarioResult>();
  const seedNotes: string[] = [];

  // One server at a time: the baseline, then one CMS per dataset in use.
  const baselineScenarios = selected.filter((s) => s.target.server === 'baseline');
  if (baselineScenarios.length) {
    const server = await startBaselineServer();
    try {
      for (const scenario of baselineScenarios) results.set(scenario.id, await runScenario(scenario, server));
    } finally {
      await server.stop();
    }
  }
  const datasetNames = [...new Set(selected.flatMap((s) => (s.target.server === 'cms' ? [s.target.dataset] : [])))];
  for (const name of datasetNames) {
    const dataset = datasets[name];
    if (!dataset) throw new Error(`no dataset named ${name}`);
    process.stdout.write(`Starting the CMS with dataset "${name}" (${dataset.articles} published articles)… `);
    const server = await startCmsServer({ articles: dataset.articles, logLevel, ...(dataset.env ? { env: dataset.env } : {}) });
    const seeding = server.isSeedReused
      ? "copied from an earlier run's seed (bench/.cache/)"
      : `seeded through the services in ${server.seedSeconds!.toFixed(1)} s`;
    process.stdout.write(`${seeding}\n`);
    const description = dataset.description ? `; ${dataset.description}` : '';
    seedNotes.push(
      `Dataset "${name}": ${dataset.articles} published articles (6 rubrics, 20 tags, 4 authors, 10 photos), ${seeding}${description}.`,
    );
    try {
      for (const scenario of selected.filter((s) => s.target.server === 'cms' && s.target.dataset === name))
        results.set(scenario.id, await runScenario(scenario, server));
    } finally {
      await server.stop();
    }
  }

  let fanout: FanoutResult | undefined;
  if (isFanoutSelected) {
    const clients = Number(args['fanout-clients']);
    process.stdout.write(`Stream fan-out: ${clients} clients on one instance… `);
    const server = await startCmsServer({ articles: 100, logLevel, env: { STREAM_MAX_CLIENTS: String(clients + 100) } });
    try {
      fanout = await measureStreamFanout(server, { clients, entries: Number(args['fanout-entries']) });
      process.stdout.write(
        `p50 ${fanout.p50Ms.toFixed(1)} ms, p99 ${fanout.p99Ms.toFixed(1)} ms, ${Math.round(fanout.bytesPerConnection / 1024)} kB a connection\n`,
      );
    } finally {
      await server.stop();
    }
  }

  const ordered = selected.map((s) => results.get(s.id)!);
  console.log(`\n${textTable(ordered)}\n`);
  if (!args['no-write']) {
    const out = resolve(args.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      performanceDocument(
        ordered,
        { date, durationSeconds, connections, warmupSeconds, logLevel, datasets: datasetNames },
        seedNotes,
        fanout,
      ),
    );
    console.log(`Wrote ${out}`);
  } else {
    console.log(markdownTable(ordered));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
