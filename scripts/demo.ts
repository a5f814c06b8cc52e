// `npm run demo`: the API with demo content and the reader's page in front of it, for clicking through.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createReaderServer } from '../examples/reader/server/serve.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const apiPort = Number(process.env.PORT ?? 3000);
const readerPort = Number(process.env.READER_PORT ?? 5173);
const readerUrl = `http://localhost:${readerPort}`;
const apiUrl = `http://127.0.0.1:${apiPort}`;
const siteName = process.env.SITE_NAME ?? 'Городские новости';

// The page is built from openapi.yaml's client first: a contract it does not fit stops here.
const build = spawnSync('npm', ['run', 'build', '--workspace', 'examples/reader'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// The reader is the public site: links in feeds, sitemaps and JSON-LD point at it.
const api = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: String(apiPort),
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? readerUrl,
    SITE_NAME: siteName,
    CMS_DEMO: process.env.CMS_DEMO ?? 'true',
  },
});
let apiRunning = true;
api.once('exit', (code) => {
  apiRunning = false;
  process.exit(code ?? 1);
});
// Whatever ends this process ends the API with it.
process.once('exit', () => apiRunning && api.kill('SIGTERM'));

const reader = createReaderServer({ distDir: `${root}/examples/reader/dist`, apiUrl, siteName });
// Taken before the wait for the API: a signal during its (long) first start must reach it too, not orphan it.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    reader.close();
    // The API finishes its in-flight requests and closes the database; its exit ends this process.
    api.kill(signal);
  });
}

// The first start loads the demo (photos, renditions) before it listens: wait as long as the API lives.
const ready = () =>
  fetch(`${apiUrl}/ready`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
while (apiRunning && !stopping && !(await ready())) await new Promise((r) => setTimeout(r, 200));

if (!stopping) {
  reader.once('error', (error) => {
    process.stderr.write(`The reader's page could not listen on port ${readerPort}: ${error.message} (READER_PORT moves it).\n`);
    process.exit(1);
  });
  reader.listen(readerPort, () => {
    process.stdout.write(`\n  Reader's page:  ${readerUrl}/\n  API reference:  ${apiUrl}/docs\n  API:            ${apiUrl}/v1/feed\n\n`);
  });
}
