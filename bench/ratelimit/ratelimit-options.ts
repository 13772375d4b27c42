import { parseArgs } from 'node:util';

export interface RateLimitBenchOptions {
  quick: boolean;
  /** Connections of the throughput rounds. */
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Duration of the one-client latency rounds. */
  latencyDurationMs: number;
  rounds: number;
  keepDatabase: boolean;
}

const FULL = { concurrency: 32, warmupS: 3, durationS: 4, latencyS: 3, rounds: 5 };
const QUICK = { concurrency: 32, warmupS: 1, durationS: 2, latencyS: 2, rounds: 1 };

export const RATELIMIT_USAGE = `npm run bench -- ratelimit [--quick] [--concurrency 32] [--duration 4] [--latency-duration 3]
  [--warmup 3] [--rounds 5] [--keep-db]`;

export function parseRateLimitOptions(args: string[]): RateLimitBenchOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      'latency-duration': { type: 'string' },
      rounds: { type: 'string' },
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
    durationMs: positive('duration', values.duration, defaults.durationS) * 1000,
    latencyDurationMs: positive('latency-duration', values['latency-duration'], defaults.latencyS) * 1000,
    rounds: Math.round(positive('rounds', values.rounds, defaults.rounds)),
    keepDatabase: values['keep-db'],
  };
}
