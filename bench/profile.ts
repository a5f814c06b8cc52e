// Summarises a V8 CPU profile (node --cpu-prof) of a server process: where its busy time went, by function and by origin.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileShare {
  name: string;
  /** Share of the busy samples (the idle ones left out). */
  share: number;
}

export interface ProfileSummary {
  scenario: string;
  database: string;
  /** What the profiled run served, for scale (it runs slower than unprofiled). */
  requestsPerSecond: number;
  seconds: number;
  /** Share of all samples in which the process waited (for the database, the network). */
  idleShare: number;
  functions: ProfileShare[];
  origins: ProfileShare[];
}

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** node_modules/<package> (with its scope), node's own code, the generated Prisma client, or the project folder. */
function originOf(url: string): string {
  if (url.startsWith('node:')) return 'node (internals)';
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (modules) return modules[1]!;
  const path = url.startsWith('file://') ? relative(projectRoot, fileURLToPath(url)) : url;
  if (path.startsWith('src/generated/')) return 'Prisma client (src/generated)';
  const folders = path.split('/');
  return folders.length > 2 ? `${folders.slice(0, folders[1] === 'modules' ? 3 : 2).join('/')}/` : path;
}

// The project's files run transpiled by tsx, so their line numbers are not the source's: the path alone.
function locationOf(url: string, line: number): string {
  if (!url) return '';
  if (url.startsWith('file://') && !url.includes('/node_modules/')) return relative(projectRoot, fileURLToPath(url));
  return `${url.replace(/^.*node_modules\//, '')}:${line + 1}`;
}

const top = (counts: Map<string, number>, busy: number, n: number): ProfileShare[] =>
  [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, count]) => ({ name, share: count / busy }));

/** Reads the one profile a stopped server wrote into `dir`. */
export function summariseProfile(
  dir: string,
  context: Pick<ProfileSummary, 'scenario' | 'database' | 'requestsPerSecond'>,
): ProfileSummary {
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const hits = new Map<number, number>();
  if (profile.samples) for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);

  // Native code (a driver's C++ binding, a socket write) has no script: it counts for the nearest caller that has one.
  const parents = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
  const scriptOf = (node: ProfileNode): string => {
    for (let n: ProfileNode | undefined = node; n; n = parents.get(n.id)) if (n.callFrame.url) return n.callFrame.url;
    return '';
  };

  const functions = new Map<string, number>();
  const origins = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (!count) continue;
    total += count;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += count;
      continue;
    }
    const isSpecial = !url && functionName.startsWith('(');
    const caller = url || isSpecial ? '' : scriptOf(node);
    const origin = isSpecial ? functionName : url ? originOf(url) : caller ? `${originOf(caller)} (native)` : 'V8 (native)';
    const location = url ? locationOf(url, lineNumber) : caller ? `native, called from ${originOf(caller)}` : '';
    const name = `${functionName || '(anonymous)'}${location ? ` (${location})` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + count);
    origins.set(origin, (origins.get(origin) ?? 0) + count);
  }
  const busy = Math.max(1, total - idle);
  return {
    ...context,
    seconds: (profile.endTime - profile.startTime) / 1e6,
    idleShare: total ? idle / total : 0,
    functions: top(functions, busy, 15),
    origins: top(origins, busy, 12),
  };
}
