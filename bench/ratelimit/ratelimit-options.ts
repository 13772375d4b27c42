import { parseArgs } from 'node:util';

export interface RateLimitBenchOptions {
  quick: boolean;
  /** Connections of the throughput run. */
  concurrency: number;
  warmupMs: number;
  /** One slice of one arm; the arms take turns slice by slice. */
  sliceMs: number;
  /** Slices per arm in the throughput run. */
  slices: number;
  /** Slices per arm in the one-client latency run. */
  latencySlices: number;
  keepDatabase: boolean;
}

const FULL = { concurrency: 32, warmupS: 3, sliceS: 0.5, slices: 40, latencySlices: 40 };
const QUICK = { ...FULL, warmupS: 1, slices: 6, latencySlices: 6 };

export const RATELIMIT_USAGE = `npm run bench -- ratelimit [--quick] [--concurrency 32] [--warmup 3] [--slice 0.5]
  [--slices 40] [--latency-slices 40] [--keep-db]`;

export function parseRateLimitOptions(args: string[]): RateLimitBenchOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      slice: { type: 'string' },
      slices: { type: 'string' },
      'latency-slices': { type: 'string' },
      'keep-db': { type: 'boolean', default: false },
    },
  });
  const defaults = values.quick ? QUICK : FULL;
  const positive = (name: string, value: string | undefined, fallback: number) => {
    const parsed = value === undefined ? fallback : Number(value);
    if (!(parsed > 0)) throw new Error(`--${name} expects a positive number\n${RATELIMIT_USAGE}`);
    return parsed;
  };
  return {
    quick: values.quick,
    concurrency: Math.round(positive('concurrency', values.concurrency, defaults.concurrency)),
    warmupMs: positive('warmup', values.warmup, defaults.warmupS) * 1000,
    sliceMs: positive('slice', values.slice, defaults.sliceS) * 1000,
    slices: Math.round(positive('slices', values.slices, defaults.slices)),
    latencySlices: Math.round(positive('latency-slices', values['latency-slices'], defaults.latencySlices)),
    keepDatabase: values['keep-db'],
  };
}
