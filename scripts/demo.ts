// `npm run demo`: the API with demo content and the reader's page in front of it, for clicking through.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createReaderServer } from '../examples/reader/server/serve.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const apiPort = Number(process.env.PORT ?? 3000);
const readerPort = Number(process.env.READER_PORT ?? 5173);
const readerUrl = `http://localhost:${readerPort}`;
const apiUrl = `http://127.0.0.1:${apiPort}`;

// The page is built from openapi.yaml's client first: a contract it does not fit stops here.
const build = spawnSync('npm', ['run', 'build', '--workspace', 'examples/reader'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// The reader is the public site: links in feeds, sitemaps and JSON-LD point at it.
const api = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PORT: String(apiPort), PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? readerUrl, CMS_DEMO: process.env.CMS_DEMO ?? 'true' },
});
api.once('exit', (code) => process.exit(code ?? 1));

async function waitForApi(): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const ready = await fetch(`${apiUrl}/ready`).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the API did not answer on ${apiUrl}/ready within a minute`);
}

await waitForApi();
const reader = createReaderServer({ distDir: `${root}/examples/reader/dist`, apiUrl });
reader.listen(readerPort, () => {
  process.stdout.write(`\n  Reader's page:  ${readerUrl}/\n  API reference:  ${apiUrl}/docs\n  API:            ${apiUrl}/v1/feed\n\n`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    reader.close();
    api.kill(signal);
  });
}
