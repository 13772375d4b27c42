import { type BenchOptions, count, interleavedOptions, parseBenchOptions } from '../support/bench-options';

const RATELIMIT_OPTIONS = {
  /** `slices`: per arm in the throughput run. */
  ...interleavedOptions({ full: 40, quick: 6 }),
  /** Slices per arm in the one-client latency run. */
  latencySlices: count('latency-slices', { full: 40, quick: 6 }),
};

export type RateLimitBenchOptions = BenchOptions<typeof RATELIMIT_OPTIONS>;

export const parseRateLimitOptions = (args: string[]): RateLimitBenchOptions =>
  parseBenchOptions('ratelimit', RATELIMIT_OPTIONS, args);
