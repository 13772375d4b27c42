import { interleavedParameters } from '../support/bench-options';
import { type BenchOutcome, type Table, verdict } from '../support/bench';
import { type ArmComparison, type ArmMeasurement, compareArms } from '../support/interleaved-runner';
import { sharedMachineRunsNote } from '../support/machine-load';
import { round, summarizeLatencies } from '../support/stats';
import type { RateLimitBenchOptions } from './ratelimit-options';

/** A real tenant route: what the targets are judged on. */
export const JUDGED_ROUTE = 'GET /api/v1/projects';
export type Mode = 'on' | 'off';

type ArmsByMode = Record<Mode, ArmMeasurement>;

export interface RateLimitMeasurements {
  options: RateLimitBenchOptions;
  /** The interleaved run at `concurrency` clients. */
  throughput: ArmsByMode;
  /** The interleaved run at one client. */
  latency: ArmsByMode;
  /** The exempt arm again in the one-client run: the noise of a tail between identical arms. */
  latencyControl: ArmMeasurement;
  /** Time spent in the limiter guard per request, one client, in ms, on each route. */
  guardMs: Record<Mode, number[]>;
  runs: { othersCpuPercent?: number; repeatedForNoise: number }[];
  waitedForQuietSeconds: number;
}

const THROUGHPUT_RATIO = 0.9;
const ADDED_P99_MS = 1;

interface RouteResult extends ArmComparison {
  off: ArmMeasurement;
  on: ArmMeasurement;
  addedCpuUs: number;
  latencyOff: ArmMeasurement;
  latencyOn: ArmMeasurement;
  addedP50Ms: number;
  addedP99Ms: number;
}

function routeResult(m: RateLimitMeasurements): RouteResult {
  const { on, off } = m.throughput;
  const { on: latencyOn, off: latencyOff } = m.latency;
  return {
    off,
    on,
    ...compareArms(on, off),
    addedCpuUs: round((on.cpuMsPerRequest - off.cpuMsPerRequest) * 1000, 1),
    latencyOff,
    latencyOn,
    addedP50Ms: round(latencyOn.latencyMs.p50 - latencyOff.latencyMs.p50, 3),
    addedP99Ms: round(latencyOn.latencyMs.p99 - latencyOff.latencyMs.p99, 3),
  };
}

export function rateLimitOutcome(
  m: RateLimitMeasurements,
  parameters: Record<string, unknown>,
): BenchOutcome {
  const judged = routeResult(m);
  const results = [judged];
  const guard = { on: summarizeLatencies(m.guardMs.on), off: summarizeLatencies(m.guardMs.off) };
  const addedByGuardP99 = round(guard.on.p99 - guard.off.p99, 3);
  const control = m.latencyControl;
  const controlP99Gap = round(control.latencyMs.p99 - judged.latencyOff.latencyMs.p99, 3);
  const { options } = m;
  const slices = (count: number) => `${count} slices of ${options.sliceMs} ms per arm, interleaved`;
  const tables: Table[] = [
    {
      title: `1. Throughput, limiter on Redis vs off: ${options.concurrency} connections, ${slices(options.slices)}`,
      columns: [
        'route',
        'off req/s',
        'on req/s',
        'on/off',
        'slices IQR*',
        'off p99 ms',
        'on p99 ms',
        'off CPU ms/req',
        'added CPU µs/req',
      ],
      rows: results.map((r) => [
        JUDGED_ROUTE,
        r.off.throughput.toFixed(0),
        r.on.throughput.toFixed(0),
        r.throughputRatio.toFixed(3),
        `${r.sliceRatioQuartiles[0].toFixed(3)}–${r.sliceRatioQuartiles[2].toFixed(3)}`,
        r.off.latencyMs.p99.toFixed(2),
        r.on.latencyMs.p99.toFixed(2),
        r.off.cpuMsPerRequest.toFixed(3),
        r.addedCpuUs.toFixed(1),
      ]),
    },
    {
      title: `2. Latency, one client: ${slices(options.latencySlices)}`,
      columns: ['arm', 'requests', 'p50 ms', 'p99 ms', 'p50 vs off ms', 'p99 vs off ms'],
      rows: [judged.latencyOff, judged.latencyOn, control].map((arm) => [
        arm.name,
        arm.requests,
        arm.latencyMs.p50.toFixed(3),
        arm.latencyMs.p99.toFixed(3),
        (arm.latencyMs.p50 - judged.latencyOff.latencyMs.p50).toFixed(3),
        (arm.latencyMs.p99 - judged.latencyOff.latencyMs.p99).toFixed(3),
      ]),
    },
    {
      title: '3. The limiter guard itself, timed inside the API (one client)',
      columns: ['route', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      rows: (['on', 'off'] as const).map((mode) => [
        mode === 'on' ? `${JUDGED_ROUTE} (limited)` : 'the same, limit skipped',
        guard[mode].count,
        guard[mode].p50.toFixed(3),
        guard[mode].p95.toFixed(3),
        guard[mode].p99.toFixed(3),
        guard[mode].max.toFixed(3),
      ]),
    },
  ];
  const verdicts = [
    verdict({
      target: `${JUDGED_ROUTE} throughput, limiter on Redis / off`,
      kind: 'ratio',
      measured: judged.throughputRatio,
      limit: THROUGHPUT_RATIO,
      comparison: '>=',
      unit: '×',
    }),
    verdict({
      target: `p99 latency the limiter adds to ${JUDGED_ROUTE}: its guard, one client, loopback†`,
      kind: 'absolute',
      measured: addedByGuardP99,
      limit: ADDED_P99_MS,
      comparison: '<=',
      unit: 'ms',
      note:
        `end to end: p99 ${judged.addedP99Ms} ms above the exempt arm, ` +
        `while two identical arms land ${controlP99Gap} ms apart`,
    }),
  ];
  const repeated = m.runs.reduce((sum, run) => sum + run.repeatedForNoise, 0);
  return {
    quick: options.quick,
    parameters: {
      ...interleavedParameters(options),
      latencySlices: options.latencySlices,
      ...parameters,
    },
    tables,
    verdicts,
    results: {
      route: judged,
      latencyControl: control,
      guardMs: guard,
      addedByGuardP99Ms: addedByGuardP99,
      controlP99GapMs: controlP99Gap,
      runs: m.runs,
      waitedForQuietSeconds: m.waitedForQuietSeconds,
    },
    notes: [
      'Limiter off = the same handler on a bench route marked @SkipThrottle(): the limiter guard runs, finds ' +
        'the route exempt and stops, so "added" is the counting itself (key, one EVALSHA on Redis, headers). ' +
        'Both arms share one API process, one Redis (the tenant cache uses it too) and one database.',
      '* The arms take turns slice by slice in one run, so a shared machine’s changes of speed reach both ' +
        'alike; "slices IQR" is the middle half of the slice-by-slice on/off ratios, a measure of the noise.',
      '† The limiter adds to a request exactly the time its guard takes, measured around the guard in the ' +
        'API (on the limited route, less the exempt route’s check). The end-to-end p99 difference is ' +
        'reported beside a control arm (the exempt arm again): at one client the slowest 1% are requests ' +
        'that met a garbage collection or a stall of the machine, and the control shows how far apart that ' +
        'leaves two identical arms.',
      'Every request of the "on" arms runs one EVALSHA on Redis; the plan limit is set far above the load, so ' +
        'none is refused.',
      sharedMachineRunsNote(m.waitedForQuietSeconds, repeated),
    ],
  };
}
