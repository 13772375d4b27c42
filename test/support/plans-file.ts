import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILT_IN_PLANS_FILE } from '../../src/billing/plans/plan-catalogue';

/** The built-in plan catalogue with `limits` set on every plan, written to a new file for PLANS_FILE. */
export function plansFileWith(limits: Record<string, number>): string {
  const catalogue = JSON.parse(readFileSync(BUILT_IN_PLANS_FILE, 'utf8')) as {
    plans: { limits: Record<string, number> }[];
  };
  for (const plan of catalogue.plans) Object.assign(plan.limits, limits);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'saas-plans-')), 'plans.json');
  writeFileSync(file, JSON.stringify(catalogue));
  return file;
}
