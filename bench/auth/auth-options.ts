import { type BenchOptions, count, counts, parseBenchOptions, seconds } from '../support/bench-options';

const AUTH_OPTIONS = {
  /** bcryptjs hashes and compares timed on their own, each. */
  hashSamples: count('hash-samples', { full: 10, quick: 3 }),
  /** Signups one at a time (the latency of record), after two unmeasured ones. */
  signups: count('signups', { full: 40, quick: 8 }),
  /** Signups in the concurrent run, `signupConcurrency` at a time. */
  concurrentSignups: count('concurrent-signups', { full: 40, quick: 8 }),
  signupConcurrency: count('signup-concurrency', 4),
  /** Login load: one set of rounds per connection count. */
  loginConcurrency: counts('login-concurrency', [1, 8]),
  loginRounds: count('rounds', { full: 3, quick: 1 }),
  warmupMs: seconds('warmup', { full: 3, quick: 1 }),
  durationMs: seconds('duration', { full: 10, quick: 4 }),
  /** Wrong-password logins for a known email, alternating with logins for unknown emails. */
  timingPairs: count('timing-pairs', { full: 40, quick: 6 }),
  /** Worker threads vs event loop: rounds of each arm, interleaved, and the length of each phase. */
  hashingRounds: count('hashing-rounds', { full: 3, quick: 1 }),
  hashingPhaseMs: seconds('hashing-phase', { full: 8, quick: 3 }),
  hashingSignups: count('hashing-signups', { full: 5, quick: 2 }),
};

export type AuthBenchOptions = BenchOptions<typeof AUTH_OPTIONS>;

export const parseAuthOptions = (args: string[]): AuthBenchOptions =>
  parseBenchOptions('auth', AUTH_OPTIONS, args);
