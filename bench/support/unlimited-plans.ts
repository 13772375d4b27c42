import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A PLANS_FILE whose one plan (the default, `free`) allows far more than a bench sends, so every
 * request is counted by the tenant limiter and none is refused, and a tenant can hold its projects.
 */
export function unlimitedPlansFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bench-plans-')), 'plans.json');
  const limits = { projects: 1000, members: 10, requestsPerMinute: 1_000_000_000 };
  writeFileSync(
    file,
    JSON.stringify({ plans: [{ id: 'free', name: 'Free', stripePriceId: null, features: [], limits }] }),
  );
  return file;
}
