import {
  type BenchOptions,
  count,
  counts,
  environment,
  interleavedOptions,
  parseBenchOptions,
  switchOption,
} from '../support/bench-options';

const TENANCY_OPTIONS = {
  /** `slices`: per route in the tenant path vs bypass comparison. */
  ...interleavedOptions({ full: 80, quick: 6 }),
  /** Slices per arm (tenant path / bypass × all tenants / one tenant) at each tenant count. */
  stageSlices: count('stage-slices', { full: 30, quick: 6 }),
  /** Tenant counts of the scale stages; the first is 1, migration:run runs at the second. */
  tenantStages: counts('tenants', { full: [1, 1000, 5000], quick: [1, 100, 300] }),
  provisioningSample: count('provisioning-sample', { full: 100, quick: 20 }),
  provisioningConcurrency: count('provisioning-concurrency', 4),
  /** At the last stage: tenants signed up with owners, the product vs the floor round-robin over them. */
  activeTenants: count('active-tenants', { full: 500, quick: 50 }),
  /** Only the headline, product vs floor on one tenant: no stages, provisioning or migration:run. */
  headlineOnly: switchOption('headline-only'),
  /** Extra environment for the app (`--app-env TENANT_CACHE_TTL_MS=60000`), for what-if runs. */
  appEnv: environment('app-env'),
};

export type TenancyBenchOptions = BenchOptions<typeof TENANCY_OPTIONS> & {
  /** Run with the full defaults: its results replace `tenancy.json`; any other run writes `tenancy.quick.json`. */
  ofRecord: boolean;
};

function stagesProblem({
  tenantStages: stages,
  provisioningSample,
  activeTenants,
}: BenchOptions<typeof TENANCY_OPTIONS>) {
  if (
    stages.length < 2 ||
    stages[0] !== 1 ||
    stages.some((tenants, i) => i > 0 && tenants <= stages[i - 1])
  ) {
    return '--tenants expects ascending counts starting at 1, e.g. 1,1000,5000';
  }
  if (stages[1] < 1 + provisioningSample) {
    return 'the second --tenants stage must hold the signup tenant and the provisioning sample';
  }
  if (activeTenants > stages[stages.length - 1] - stages[stages.length - 2]) {
    return '--active-tenants are signed up on the way to the last --tenants stage: at most its growth';
  }
  return undefined;
}

export function parseTenancyOptions(args: string[]): TenancyBenchOptions {
  const options = parseBenchOptions('tenancy', TENANCY_OPTIONS, args, stagesProblem);
  return { ...options, ofRecord: args.every((arg) => arg === '--keep-db') };
}
