import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * "A change to openapi.yaml that breaks the client fails the front end's type check", done for real:
 * the reader's sources are copied, their client is generated from a spec with openapi-typescript and
 * type-checked with the reader's own TypeScript, exactly as `npm run typecheck -w examples/reader` does.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const readerDir = join(repoRoot, 'examples/reader');
const committedSpec = join(repoRoot, 'openapi.yaml');
// The reader's own tools, nested in its node_modules: openapi-typescript needs TypeScript 5's
// compiler API, while the root has TypeScript 7.
const generator = join(readerDir, 'node_modules/openapi-typescript/bin/cli.js');
const tsc = join(readerDir, 'node_modules/typescript/bin/tsc');

// Inside examples/reader (and gitignored there) so that module resolution finds the same
// node_modules as the real sources: the reader's own, then the root's.
const workDir = join(readerDir, `.contract-check-${randomBytes(4).toString('hex')}`);

interface CheckResult {
  /** tsc exited 0. */
  passed: boolean;
  /** tsc's diagnostics, one per line, file paths relative to the copy (`src/pages/feed.ts(…)`). */
  output: string;
  generated: string;
}

function run(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** Generates the client types from `spec` (the committed file, or a changed copy) into a copy of the reader and type-checks it. */
async function checkReaderAgainst(name: string, spec: string | undefined): Promise<CheckResult> {
  const dir = join(workDir, name);
  await cp(join(readerDir, 'src'), join(dir, 'src'), { recursive: true, filter: (from) => basename(from) !== 'schema.gen.ts' });
  // The reader's compiler options, unchanged; only its sources (vite.config.ts is not the client).
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', include: ['src'] }));
  let specFile = committedSpec;
  if (spec !== undefined) {
    specFile = join(dir, 'openapi.yaml');
    await writeFile(specFile, spec);
  }

  const schemaFile = join(dir, 'src/api/schema.gen.ts');
  const generation = await run([generator, specFile, '--output', schemaFile], dir);
  if (generation.code !== 0) throw new Error(`openapi-typescript failed for "${name}":\n${generation.output}`);
  const check = await run([tsc, '--noEmit', '--pretty', 'false', '-p', 'tsconfig.json'], dir);
  return { passed: check.code === 0, output: check.output, generated: await readFile(schemaFile, 'utf8') };
}

// --- Structural edits of the committed document -------------------------------------------------

/** The committed spec with `edit` applied. Every edit checks that what it changes exists, so a
 * renamed schema makes this test fail loudly instead of "breaking" nothing. */
async function specWith(edit: (doc: Document) => void): Promise<string> {
  const doc = parseDocument(await readFile(committedSpec, 'utf8'));
  edit(doc);
  return doc.toString();
}

function mapAt(doc: Document, path: string[]): YAMLMap {
  const node = doc.getIn(path, true);
  if (!isMap(node)) throw new Error(`openapi.yaml has no object at ${path.join(' → ')}`);
  return node;
}

function seqAt(doc: Document, path: string[]): YAMLSeq {
  const node = doc.getIn(path, true);
  if (!isSeq(node)) throw new Error(`openapi.yaml has no list at ${path.join(' → ')}`);
  return node;
}

function renameProperty(doc: Document, schema: string, from: string, to: string): void {
  const properties = mapAt(doc, ['components', 'schemas', schema, 'properties']);
  if (!properties.has(from)) throw new Error(`${schema} has no property ${from}`);
  properties.set(to, properties.get(from, true));
  properties.delete(from);
  const required = doc.getIn(['components', 'schemas', schema, 'required'], true);
  if (isSeq(required)) required.items = required.items.map((item) => (String(item) === from ? doc.createNode(to) : item));
}

function removeProperty(doc: Document, schema: string, name: string): void {
  const properties = mapAt(doc, ['components', 'schemas', schema, 'properties']);
  if (!properties.delete(name)) throw new Error(`${schema} has no property ${name}`);
  const required = seqAt(doc, ['components', 'schemas', schema, 'required']);
  required.items = required.items.filter((item) => String(item) !== name);
}

function queryParameter(doc: Document, path: string, name: string): YAMLMap {
  const parameters = seqAt(doc, ['paths', path, 'get', 'parameters']);
  const parameter = parameters.items.find((p): p is YAMLMap => isMap(p) && p.get('name') === name && p.get('in') === 'query');
  if (!parameter) throw new Error(`GET ${path} has no query parameter ${name}`);
  return parameter;
}

// --- The cases, checked in parallel -------------------------------------------------------------

const cases = {
  committed: () => undefined,
  // Three breaking changes at once: each breaks a different page, and tsc reports every file, so one
  // run shows each of them (two runs fewer than one per change; tsc is the slow part).
  breaking: () =>
    specWith((doc) => {
      renameProperty(doc, 'PublicArticle', 'keyPoints', 'highlights');
      queryParameter(doc, '/v1/search', 'q').set('name', 'text');
      removeProperty(doc, 'PublicFeedItem', 'headline');
    }),
  optionalAdditions: () =>
    specWith((doc) => {
      mapAt(doc, ['components', 'schemas', 'PublicArticle', 'properties']).set(
        'subtitle',
        doc.createNode({ type: 'string', description: 'A new optional field.' }),
      );
      seqAt(doc, ['paths', '/v1/search', 'get', 'parameters']).add(
        doc.createNode({ name: 'sort', in: 'query', required: false, schema: { type: 'string', enum: ['relevance', 'newest'] } }),
      );
    }),
} satisfies Record<string, () => Promise<string> | undefined>;

const results = new Map<keyof typeof cases, Promise<CheckResult>>();
const result = (name: keyof typeof cases) => results.get(name)!;
/** tsc's errors in one file of the copy. */
const errorsIn = (output: string, file: string) =>
  output.split('\n').filter((line) => line.startsWith(`${file}(`) && line.includes('): error TS'));

describe("the reader's client against openapi.yaml", () => {
  beforeAll(() => {
    for (const tool of [generator, tsc]) {
      if (!existsSync(tool)) throw new Error(`${tool} is missing: run npm install (it installs the examples/reader workspace).`);
    }
    // Each case is one openapi-typescript and one tsc process (about 4 s of CPU together): started
    // together, they share the machine's cores instead of waiting for each other.
    for (const [name, spec] of Object.entries(cases) as [keyof typeof cases, (typeof cases)[keyof typeof cases]][]) {
      const check = mkdir(workDir, { recursive: true })
        .then(spec)
        .then((text) => checkReaderAgainst(name, text));
      check.catch(() => undefined); // awaited (and reported) by its test
      results.set(name, check);
    }
  });

  afterAll(async () => {
    await Promise.allSettled(results.values());
    await rm(workDir, { recursive: true, force: true });
  });

  it('type-checks against the committed openapi.yaml', async () => {
    const { passed, output } = await result('committed');
    expect(output).toBe('');
    expect(passed).toBe(true);
  }, 120_000);

  it("fails when PublicArticle's keyPoints is renamed, naming the article page", async () => {
    const { passed, output } = await result('breaking');
    expect(passed).toBe(false);
    expect(errorsIn(output, 'src/pages/article.ts').join('\n')).toMatch(/Property 'keyPoints' does not exist/);
  }, 120_000);

  it("fails when /v1/search's q parameter is renamed, naming the search page", async () => {
    const { passed, output } = await result('breaking');
    expect(passed).toBe(false);
    expect(errorsIn(output, 'src/pages/search.ts').join('\n')).toMatch(/'q' does not exist/);
  }, 120_000);

  it("fails when PublicFeedItem's headline is removed, naming the feed page", async () => {
    const { passed, output } = await result('breaking');
    expect(passed).toBe(false);
    expect(errorsIn(output, 'src/pages/feed.ts').join('\n')).toMatch(/Property 'headline' does not exist/);
  }, 120_000);

  it('still type-checks after an optional field and an optional query parameter are added', async () => {
    const { passed, output, generated } = await result('optionalAdditions');
    // The additions did reach the client types: the check is not passing against an unchanged spec.
    expect(generated).toMatch(/subtitle\?: string;/);
    expect(generated).toMatch(/sort\?: "relevance" \| "newest";/);
    expect(output).toBe('');
    expect(passed).toBe(true);
  }, 120_000);
});
