import { type BenchOptions, count, parseBenchOptions } from '../support/bench-options';
import { interleavedOptions } from '../support/interleaved-runner';

const RATELIMIT_OPTIONS = {
  /** `slices`: per arm in the throughput run. */
  ...interleavedOptions({ full: 40, quick: 6 }),
  /** Slices per arm in the one-client latency run. */
  latencySlices: count('latency-slices', { full: 40, quick: 6 }),
};

export type RateLimitBenchOptions = BenchOptions<typeof RATELIMIT_OPTIONS>;

export const parseRateLimitOptions = (args: string[]): RateLimitBenchOptions =>
  parseBenchOptions('ratelimit', RATELIMIT_OPTIONS, args);
