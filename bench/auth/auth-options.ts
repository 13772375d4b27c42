import { parseArgs } from 'node:util';

export interface AuthBenchOptions {
  quick: boolean;
  /** bcryptjs hashes and compares timed on their own, each. */
  hashSamples: number;
  /** Signups one at a time (the latency of record), after two unmeasured ones. */
  signups: number;
  /** Signups in the concurrent run, `signupConcurrency` at a time. */
  concurrentSignups: number;
  signupConcurrency: number;
  /** Login load: one set of rounds per connection count. */
  loginConcurrency: number[];
  loginRounds: number;
  warmupMs: number;
  durationMs: number;
  /** Wrong-password logins for a known email, alternating with logins for unknown emails. */
  timingPairs: number;
  keepDatabase: boolean;
}

const FULL = {
  hashSamples: 10,
  signups: 40,
  concurrentSignups: 40,
  signupConcurrency: 4,
  loginConcurrency: '1,8',
  loginRounds: 3,
  warmupS: 3,
  durationS: 10,
  timingPairs: 40,
};
const QUICK = {
  ...FULL,
  hashSamples: 3,
  signups: 8,
  concurrentSignups: 8,
  loginRounds: 1,
  warmupS: 1,
  durationS: 4,
  timingPairs: 6,
};

export const AUTH_USAGE = `npm run bench -- auth [--quick] [--hash-samples 10] [--signups 40]
  [--concurrent-signups 40] [--signup-concurrency 4] [--login-concurrency 1,8] [--rounds 3]
  [--warmup 3] [--duration 10] [--timing-pairs 40] [--keep-db]`;

export function parseAuthOptions(args: string[]): AuthBenchOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      'hash-samples': { type: 'string' },
      signups: { type: 'string' },
      'concurrent-signups': { type: 'string' },
      'signup-concurrency': { type: 'string' },
      'login-concurrency': { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      'timing-pairs': { type: 'string' },
      'keep-db': { type: 'boolean', default: false },
    },
  });
  const defaults = values.quick ? QUICK : FULL;
  const positive = (name: string, value: string | undefined, fallback: number) => {
    const parsed = value === undefined ? fallback : Number(value);
    if (!(parsed > 0)) throw new Error(`--${name} expects a positive number\n${AUTH_USAGE}`);
    return parsed;
  };
  const count = (name: string, value: string | undefined, fallback: number) =>
    Math.round(positive(name, value, fallback));
  const loginConcurrency = (values['login-concurrency'] ?? defaults.loginConcurrency).split(',').map(Number);
  if (loginConcurrency.some((connections) => !Number.isInteger(connections) || connections < 1)) {
    throw new Error(`--login-concurrency expects connection counts, e.g. 1,8\n${AUTH_USAGE}`);
  }
  return {
    quick: values.quick,
    hashSamples: count('hash-samples', values['hash-samples'], defaults.hashSamples),
    signups: count('signups', values.signups, defaults.signups),
    concurrentSignups: count('concurrent-signups', values['concurrent-signups'], defaults.concurrentSignups),
    signupConcurrency: count('signup-concurrency', values['signup-concurrency'], defaults.signupConcurrency),
    loginConcurrency,
    loginRounds: count('rounds', values.rounds, defaults.loginRounds),
    warmupMs: positive('warmup', values.warmup, defaults.warmupS) * 1000,
    durationMs: positive('duration', values.duration, defaults.durationS) * 1000,
    timingPairs: count('timing-pairs', values['timing-pairs'], defaults.timingPairs),
    keepDatabase: values['keep-db'],
  };
}
