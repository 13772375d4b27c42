import { type BenchOptions, interleavedOptions, parseBenchOptions } from '../support/bench-options';

const API_KEYS_OPTIONS = {
  /** `slices`: per arm in the interleaved run. */
  ...interleavedOptions({ full: 40, quick: 6 }),
};

export type ApiKeysBenchOptions = BenchOptions<typeof API_KEYS_OPTIONS>;

export const parseApiKeysOptions = (args: string[]): ApiKeysBenchOptions =>
  parseBenchOptions('api-keys', API_KEYS_OPTIONS, args);
