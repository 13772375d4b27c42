import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchOutcome, Table, Verdict } from './bench';

export const RESULTS_DIR = path.join(__dirname, '..', 'results');

/** A table cell for a number that could not be measured everywhere. */
export const orDash = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(1));

export function formatTable({ title, columns, rows }: Table): string {
  const cells = [columns, ...rows.map((row) => row.map(String))];
  const widths = columns.map((_, index) => Math.max(...cells.map((row) => (row[index] ?? '').length)));
  // Text left, numbers right, as a reader scans them.
  const line = (row: string[]) =>
    row
      .map((cell, index) =>
        /^[-+]?[\d.,]+( ?[a-z%×/]+)?$/i.test(cell)
          ? cell.padStart(widths[index])
          : cell.padEnd(widths[index]),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [title, line(columns), rule, ...cells.slice(1).map(line)].join('\n');
}

export function verdictTable(verdicts: Verdict[]): Table {
  const withNotes = verdicts.some((v) => v.note);
  return {
    title: 'Targets',
    columns: ['target', 'kind', 'measured', 'limit', 'verdict', ...(withNotes ? ['note'] : [])],
    rows: verdicts.map((v) => [
      v.target,
      v.kind,
      `${v.measured} ${v.unit}`.trim(),
      `${v.comparison} ${v.limit} ${v.unit}`.trim(),
      v.pass ? 'PASS' : 'FAIL',
      ...(withNotes ? [v.note ?? ''] : []),
    ]),
  };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpuCount: cpus.length,
    cpuModel: cpus[0]?.model.trim(),
    totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
}

/** Pretty JSON with a stable key order, so a rerun shows as a readable diff. */
export function writeResults(name: string, outcome: BenchOutcome, startedAt: Date): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, outcome.quick ? `${name}.quick.json` : `${name}.json`);
  const body = {
    bench: name,
    date: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    quick: outcome.quick,
    machine: machine(),
    parameters: outcome.parameters,
    verdicts: outcome.verdicts,
    results: outcome.results,
    notes: outcome.notes,
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
