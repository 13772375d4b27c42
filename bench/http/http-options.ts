import { type BenchOptions, count, interleavedOptions, parseBenchOptions } from '../support/bench-options';

const HTTP_OPTIONS = {
  /** `slices`: per adapter in each measured run. */
  ...interleavedOptions({ full: 20, quick: 4 }),
  /** Interleaved runs measured, one after another on the same two servers. */
  runs: count('runs', { full: 3, quick: 1 }),
  /** Slices per adapter of the profiled run (servers restarted with the profiler on). */
  profileSlices: count('profile-slices', { full: 10, quick: 2 }),
};

export type HttpBenchOptions = BenchOptions<typeof HTTP_OPTIONS>;

export function parseHttpOptions(args: string[]): HttpBenchOptions {
  return parseBenchOptions('http', HTTP_OPTIONS, args);
}
