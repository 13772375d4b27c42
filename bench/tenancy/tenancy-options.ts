import { parseArgs } from 'node:util';

export interface TenancyBenchOptions {
  quick: boolean;
  /** Run with the full defaults: its results replace `tenancy.json`; any other run writes `tenancy.quick.json`. */
  ofRecord: boolean;
  concurrency: number;
  /** Load on each arm before it is measured. */
  warmupMs: number;
  /** One slice of one arm; the arms of a comparison take turns slice by slice. */
  sliceMs: number;
  /** Slices per route in the tenant path vs bypass comparison. */
  slices: number;
  /** Slices per arm (tenant path / bypass × all tenants / one tenant) at each tenant count. */
  stageSlices: number;
  /** Tenant counts of the scale stages; the first is 1, migration:run runs at the second. */
  tenantStages: number[];
  provisioningSample: number;
  provisioningConcurrency: number;
  keepDatabase: boolean;
  /** Extra environment for the app (`--app-env TENANT_CACHE_TTL_MS=60000`), for what-if runs. */
  appEnv: Record<string, string>;
}

const FULL = {
  concurrency: 32,
  warmupS: 3,
  sliceS: 0.5,
  slices: 80,
  stageSlices: 30,
  tenants: '1,1000,5000',
  provisioningSample: 100,
  provisioningConcurrency: 4,
};
const QUICK = {
  ...FULL,
  warmupS: 1,
  slices: 6,
  stageSlices: 6,
  tenants: '1,100,300',
  provisioningSample: 20,
};

export const TENANCY_USAGE = `npm run bench -- tenancy [--quick] [--concurrency 32] [--warmup 3] [--slice 0.5]
  [--slices 80] [--stage-slices 30] [--tenants 1,1000,5000] [--provisioning-sample 100] [--provisioning-concurrency 4]
  [--keep-db] [--app-env NAME=value]…`;

export function parseTenancyOptions(args: string[]): TenancyBenchOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      slice: { type: 'string' },
      slices: { type: 'string' },
      'stage-slices': { type: 'string' },
      tenants: { type: 'string' },
      'provisioning-sample': { type: 'string' },
      'provisioning-concurrency': { type: 'string' },
      'keep-db': { type: 'boolean', default: false },
      'app-env': { type: 'string', multiple: true, default: [] },
    },
  });
  const defaults = values.quick ? QUICK : FULL;
  const positive = (name: string, value: string | undefined, fallback: number) => {
    const parsed = value === undefined ? fallback : Number(value);
    if (!(parsed > 0)) throw new Error(`--${name} expects a positive number\n${TENANCY_USAGE}`);
    return parsed;
  };
  const tenantStages = (values.tenants ?? defaults.tenants).split(',').map(Number);
  if (
    tenantStages.length < 2 ||
    tenantStages[0] !== 1 ||
    tenantStages.some(
      (count, index) => !Number.isInteger(count) || (index > 0 && count <= tenantStages[index - 1]),
    )
  ) {
    throw new Error(`--tenants expects ascending counts starting at 1, e.g. 1,1000,5000\n${TENANCY_USAGE}`);
  }
  const provisioningSample = Math.round(
    positive('provisioning-sample', values['provisioning-sample'], defaults.provisioningSample),
  );
  if (tenantStages[1] < 1 + provisioningSample) {
    throw new Error('the second --tenants stage must hold the signup tenant and the provisioning sample');
  }
  return {
    quick: values.quick,
    ofRecord: args.every((arg) => arg === '--keep-db'),
    concurrency: Math.round(positive('concurrency', values.concurrency, defaults.concurrency)),
    warmupMs: positive('warmup', values.warmup, defaults.warmupS) * 1000,
    sliceMs: positive('slice', values.slice, defaults.sliceS) * 1000,
    slices: Math.round(positive('slices', values.slices, defaults.slices)),
    stageSlices: Math.round(positive('stage-slices', values['stage-slices'], defaults.stageSlices)),
    tenantStages,
    provisioningSample,
    provisioningConcurrency: Math.round(
      positive(
        'provisioning-concurrency',
        values['provisioning-concurrency'],
        defaults.provisioningConcurrency,
      ),
    ),
    keepDatabase: values['keep-db'],
    appEnv: Object.fromEntries(
      values['app-env'].map((entry) => {
        const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(entry);
        if (!match) throw new Error(`--app-env expects NAME=value, got "${entry}"\n${TENANCY_USAGE}`);
        return [match[1], match[2]];
      }),
    ),
  };
}
