import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The README's one command for newcomers, run as they would run it: `npm run demo`.
const root = new URL('../../', import.meta.url).pathname;
// The server runs in this one process (tsx as a loader, not its CLI, which would start another): a signal, SIGKILL too, reaches the server itself.
const tsxLoader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'cms-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** `npm run demo` on ports of its own, with the test's database and media folders. */
async function startDemo() {
  const [apiPort, readerPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', tsxLoader, join(root, 'scripts/demo.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      PORT: String(apiPort),
      READER_PORT: String(readerPort),
      DATABASE_URL: `file:${join(dir, `demo-${apiPort}.db`)}`,
      MEDIA_DIR: join(dir, `media-${apiPort}`),
      LOG_LEVEL: 'warn',
      // Fewer renditions than the default: the demo's photos load faster; nothing else changes.
      MEDIA_RENDITION_WIDTHS: '320,640',
      MEDIA_ASPECT_RATIOS: '16:9',
    },
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { apiPort, readerPort, child, exited };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run demo', () => {
  it('builds the reader, starts the API with demo content and the page in front of it, and stops on SIGTERM', async () => {
    const { apiPort, readerPort, child, exited } = await startDemo();
    let output = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const onData = (data: Buffer) => {
          output += data.toString();
          if (output.includes("Reader's page:")) resolve();
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        void exited.then((code) => reject(new Error(`npm run demo exited with ${code}:\n${output}`)));
      });
      const reader = `http://localhost:${readerPort}`;
      const page = await fetch(`${reader}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<meta name="site-name" content="Городские новости"');
      expect((await fetch(`${reader}/articles/no-such-article`)).status).toBe(404);

      const feed = (await (await fetch(`${reader}/v1/feed`)).json()) as { items: { kind: string; article: { slug: string } | null }[] };
      const first = feed.items.find((item) => item.kind === 'article')!;
      expect(first).toBeDefined();
      const article = (await (await fetch(`${reader}/v1/articles/${first.article!.slug}?fields=jsonLd,cover`)).json()) as {
        jsonLd: { url: string };
        cover: { renditions: { url: string }[] } | null;
      };
      // The API knows the reader as the public site: its JSON-LD links there.
      expect(article.jsonLd.url).toBe(`${reader}/articles/${first.article!.slug}`);
      const articlePage = await fetch(`${reader}/articles/${first.article!.slug}`);
      expect(articlePage.status).toBe(200);
      expect(await articlePage.text()).toContain(`<link rel="canonical" href="${reader}/articles/${first.article!.slug}" />`);
      const photo = await fetch(`${reader}${article.cover!.renditions[0]!.url}`);
      expect(photo.headers.get('content-type')).toMatch(/^image\//);

      expect((await fetch(`http://127.0.0.1:${apiPort}/docs`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 180_000);

  it('stops the API too when stopped while the API is still starting', async () => {
    const { child, exited } = await startDemo();
    child.stdout.resume();
    child.stderr.resume();
    // The API's process, once the reader is built and the demo waits for the API to load its content.
    let apiPid: number | undefined;
    while (!apiPid) {
      if (child.exitCode !== null) throw new Error(`npm run demo exited with ${child.exitCode}`);
      const found = spawnSync('pgrep', ['-P', String(child.pid), '-f', 'src/main.ts'], { encoding: 'utf8' }).stdout.trim();
      apiPid = Number(found.split('\n')[0]) || undefined;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    try {
      child.kill('SIGTERM');
      await exited;
      // The demo ends only once the API has: nothing is left holding its port.
      expect(isAlive(apiPid)).toBe(false);
    } finally {
      if (isAlive(apiPid)) process.kill(apiPid, 'SIGKILL');
    }
  }, 180_000);
});
