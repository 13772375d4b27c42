import { type BenchAccount, benchAccount, signupBody } from '../support/bench-accounts';
import { startCpuMeter } from '../support/cpu-meter';
import { round, summarizeLatencies } from '../support/stats';
import { type JsonLoadGenerator, type JsonRequest, latenciesInOrder } from './json-load';
import type { SignupPhaseTimes } from './signup-phases';

/** Owners of distinct tenants, each with a password of its own. */
export function benchAccounts(first: number, count: number): BenchAccount[] {
  return Array.from({ length: count }, (_, offset) =>
    benchAccount(`auth-${String(first + offset).padStart(5, '0')}`),
  );
}

export function signupRequest(account: BenchAccount): JsonRequest {
  return { method: 'POST', path: '/api/v1/signup', headers: {}, body: signupBody(account) };
}

export interface SignupRun {
  concurrency: number;
  signups: number;
  signupsPerSecond: number;
  latencyMs: { p50: number; p95: number; mean: number; max: number };
  /** Means of the phases' wall times; `other` is the rest of the request (HTTP, validation, tokens). */
  phasesMeanMs: { hash: number; provision: number; migrate: number; other: number };
  /** Mean hashing time over mean signup latency. */
  hashShareOfLatency: number;
  /** The API process (this one) as a percent of one core. */
  apiCorePercent: number;
  othersCpuPercent?: number;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Signs the accounts up through POST /api/v1/signup, `concurrency` at a time, each exactly once. */
export async function runSignups(
  generator: JsonLoadGenerator,
  baseUrl: string,
  accounts: BenchAccount[],
  concurrency: number,
  takePhases: () => SignupPhaseTimes,
  ourPids: number[],
): Promise<SignupRun> {
  takePhases();
  const meter = startCpuMeter(ourPids);
  const result = await generator.run({ baseUrl, requests: accounts.map(signupRequest), concurrency });
  const cpu = meter.stop();
  const phases = takePhases();
  const latencies = latenciesInOrder(result, accounts.length, 201);
  const summary = summarizeLatencies(latencies);
  const hash = mean(phases.hashMs);
  const provision = mean(phases.provisionMs);
  return {
    concurrency,
    signups: accounts.length,
    signupsPerSecond: round((accounts.length / result.elapsedMs) * 1000, 2),
    latencyMs: {
      p50: round(summary.p50, 1),
      p95: round(summary.p95, 1),
      mean: round(summary.mean, 1),
      max: round(summary.max, 1),
    },
    phasesMeanMs: {
      hash: round(hash, 1),
      provision: round(provision, 1),
      migrate: round(mean(phases.migrateMs), 1),
      other: round(summary.mean - hash - provision, 1),
    },
    hashShareOfLatency: round(hash / summary.mean, 3),
    apiCorePercent: round(cpu.oneCorePercentByPid[process.pid] ?? Number.NaN, 0),
    othersCpuPercent: cpu.othersCpuPercent === undefined ? undefined : round(cpu.othersCpuPercent, 1),
  };
}
