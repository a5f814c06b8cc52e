import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The rule itself runs on the real tree in `npm run lint`; this proves it bites, on a small tree written for the purpose.
const fakeTree: Record<string, string> = {
  'src/http/route.ts': 'export const defineRoute = () => null;\n',
  // A module's HTTP edge may import src/http/.
  'src/modules/alpha/index.ts':
    "export { defineRoute } from '../../http/route.ts';\nexport type { AlphaItem } from './alpha.schemas.ts';\n",
  'src/modules/alpha/alpha.routes.ts': "import { defineRoute } from '../../http/route.ts';\nexport const routes = [defineRoute()];\n",
  // Below the edge it may not.
  'src/modules/alpha/alpha.repository.ts': "import { defineRoute } from '../../http/route.ts';\nexport const route = defineRoute();\n",
  // alpha -> beta -> alpha through type-only imports between different files: no file cycle, but a module cycle.
  'src/modules/alpha/alpha.schemas.ts':
    "import type { BetaItem } from '../beta/beta.schemas.ts';\nexport interface AlphaItem { beta: BetaItem }\n",
  'src/modules/beta/beta.schemas.ts': 'export interface BetaItem { id: string }\n',
  'src/modules/beta/beta.service.ts':
    "import type { AlphaItem } from '../alpha/index.ts';\nexport const describeItem = (item: AlphaItem) => item;\n",
  // A file cycle, type-only on one side.
  'src/shared/first.ts': "import { second } from './second.ts';\nexport interface First { n: number }\nexport const first = second + 1;\n",
  'src/shared/second.ts': "import type { First } from './first.ts';\nexport const second = 1;\nexport const zero: First = { n: 0 };\n",
  // The lower layers import neither http/ nor modules/.
  'src/db/client.ts': "import { defineRoute } from '../http/route.ts';\nexport const route = defineRoute();\n",
  'src/storage/driver.ts': "import type { BetaItem } from '../modules/beta/beta.schemas.ts';\nexport type Stored = BetaItem;\n",
};

type Violation = ICruiseResult['summary']['violations'][number];

let root: string;
let violations: Violation[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dependency-rule-'));
  for (const [path, text] of Object.entries(fakeTree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const options = await extractDepcruiseOptions(join(import.meta.dirname, '../../.dependency-cruiser.mjs'));
  const { output } = await cruise(['src'], { ...options, baseDir: root });
  violations = (output as ICruiseResult).summary.violations;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const brokenBy = (rule: string) =>
  violations
    .filter((v) => v.rule.name === rule)
    .map((v) => `${v.from} -> ${v.to}`)
    .sort();

// A cycle as the sorted set of its members: the tool may report it once, or once from each member.
const cyclesBreaking = (rule: string) => {
  const cycles = violations
    .filter((v) => v.rule.name === rule)
    .map((v) => [...new Set([v.from, ...(v.cycle ?? []).map((step) => step.name)])].sort().join(' <-> '));
  return [...new Set(cycles)];
};

describe('the dependency rule', () => {
  it('reports a cycle between modules, made of type-only imports between files that form no file cycle', () => {
    expect(cyclesBreaking('no-module-cycle')).toEqual(['src/modules/alpha <-> src/modules/beta']);
  });

  it('reports a cycle between files, counting type-only imports', () => {
    expect(cyclesBreaking('no-import-cycle')).toEqual(['src/shared/first.ts <-> src/shared/second.ts']);
  });

  it('reports src/http/ imported below the HTTP edge, and lets index.ts and *.routes.ts import it', () => {
    expect(brokenBy('http-only-at-the-edge')).toEqual([
      'src/db/client.ts -> src/http/route.ts',
      'src/modules/alpha/alpha.repository.ts -> src/http/route.ts',
    ]);
  });

  it('reports a lower layer importing a module', () => {
    expect(brokenBy('modules-above-shared')).toEqual(['src/storage/driver.ts -> src/modules/beta/beta.schemas.ts']);
  });
});
