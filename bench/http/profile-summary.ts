import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Profiler } from 'node:inspector';
import { round } from '../support/stats';

export interface SelfTimeEntry {
  /** `function file:line`, or a package (`node_modules/<name>`), Node's internals, or the app's own code. */
  name: string;
  /** Of the samples at work (idle, GC and program samples counted apart). */
  share: number;
}

export interface ProfileSummary {
  busySamples: number;
  /** Samples in the garbage collector, as a share of the busy ones. */
  gcShare: number;
  topFunctions: SelfTimeEntry[];
  topPackages: SelfTimeEntry[];
  file: string;
}

const NOT_AT_WORK = new Set(['(idle)', '(program)']);

function packageOf(url: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.startsWith('node:') || url === '') return 'node (internals, native)';
  return 'app (src/, bench/)';
}

function top(counts: Map<string, number>, busy: number, entries: number): SelfTimeEntry[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, entries)
    .map(([name, count]) => ({ name, share: round(count / busy, 3) }));
}

/** Self time of a .cpuprofile by function and by package: where the process's own CPU went. */
export function summarizeProfile(file: string, entries = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profiler.Profile;
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  let busy = 0;
  let gc = 0;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (count === 0 || NOT_AT_WORK.has(functionName)) continue;
    busy += count;
    if (functionName === '(garbage collector)') gc += count;
    const where = url ? ` ${path.basename(url)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    const owner = functionName.startsWith('(') ? functionName : packageOf(url);
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + count);
  }
  return {
    busySamples: busy,
    gcShare: busy === 0 ? 0 : round(gc / busy, 3),
    topFunctions: top(byFunction, busy, entries),
    topPackages: top(byPackage, busy, entries),
    file: path.relative(process.cwd(), file),
  };
}
