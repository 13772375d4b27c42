import { type BenchOutcome, type Table, verdict } from '../support/bench';
import { type MeasuredRound, type RoundsSummary, summarizeRounds } from '../support/round-runner';
import { median, round, summarizeLatencies } from '../support/stats';
import type { RateLimitBenchOptions } from './ratelimit-options';

export const ROUTES = ['GET /api/v1/projects', 'tenant ping'] as const;
export type RouteName = (typeof ROUTES)[number];
export type Mode = 'on' | 'off';

export interface RateLimitMeasurements {
  options: RateLimitBenchOptions;
  /** Rounds at `concurrency` clients, per mode and route. */
  throughput: Record<Mode, Record<RouteName, MeasuredRound[]>>;
  /** Rounds at one client, per mode and route. */
  latency: Record<Mode, Record<RouteName, MeasuredRound[]>>;
  /** Time spent in the limiter guard per request (GET /projects, one client), in ms. */
  guardMs: number[];
}

const THROUGHPUT_RATIO = 0.9;
const ADDED_P99_MS = 1;
/** The route the targets are judged on: a real tenant route. */
const JUDGED: RouteName = 'GET /api/v1/projects';

interface RouteResult {
  route: RouteName;
  off: RoundsSummary;
  on: RoundsSummary;
  /** Median over rounds of on/off throughput, each round paired with the other mode's next to it. */
  ratio: number;
  /** Median over paired rounds of the API's extra CPU per request with the limiter, in µs. */
  addedCpuUs: number;
  latencyOff: RoundsSummary;
  latencyOn: RoundsSummary;
  /** Medians over paired one-client rounds of on minus off. */
  addedP50Ms: number;
  addedP99Ms: number;
}

/** Median of `pick(on_i, off_i)` over the rounds: pairs cancel what the machine did meanwhile. */
function pairedMedian(
  on: MeasuredRound[],
  off: MeasuredRound[],
  pick: (on: MeasuredRound, off: MeasuredRound) => number,
): number {
  return median(on.map((round, index) => pick(round, off[index])));
}

function routeResults(m: RateLimitMeasurements): RouteResult[] {
  return ROUTES.map((route) => {
    const [on, off] = [m.throughput.on[route], m.throughput.off[route]];
    const [latencyOn, latencyOff] = [m.latency.on[route], m.latency.off[route]];
    return {
      route,
      off: summarizeRounds(off),
      on: summarizeRounds(on),
      ratio: round(
        pairedMedian(on, off, (a, b) => a.load.throughput / b.load.throughput),
        3,
      ),
      addedCpuUs: round(
        pairedMedian(on, off, (a, b) => (a.cpuMsPerRequest - b.cpuMsPerRequest) * 1000),
        1,
      ),
      latencyOff: summarizeRounds(latencyOff),
      latencyOn: summarizeRounds(latencyOn),
      addedP50Ms: round(
        pairedMedian(latencyOn, latencyOff, (a, b) => a.load.latencyMs.p50 - b.load.latencyMs.p50),
        3,
      ),
      addedP99Ms: round(
        pairedMedian(latencyOn, latencyOff, (a, b) => a.load.latencyMs.p99 - b.load.latencyMs.p99),
        3,
      ),
    };
  });
}

export function rateLimitOutcome(
  m: RateLimitMeasurements,
  parameters: Record<string, unknown>,
): BenchOutcome {
  const results = routeResults(m);
  const judged = results.find((result) => result.route === JUDGED)!;
  const guard = summarizeLatencies(m.guardMs);
  const { options } = m;
  const tables: Table[] = [
    {
      title:
        `1. Throughput, limiter on Redis vs off: ${options.concurrency} connections, ` +
        `medians of ${options.rounds} × ${options.durationMs / 1000} s rounds (on/off and added CPU: paired rounds)`,
      columns: [
        'route',
        'off req/s',
        'on req/s',
        'on/off',
        'off p99 ms',
        'on p99 ms',
        'off CPU ms/req',
        'added CPU µs/req',
      ],
      rows: results.map((r) => [
        r.route,
        r.off.throughput.toFixed(0),
        r.on.throughput.toFixed(0),
        r.ratio.toFixed(3),
        r.off.p99Ms.toFixed(2),
        r.on.p99Ms.toFixed(2),
        r.off.cpuMsPerRequest.toFixed(3),
        r.addedCpuUs.toFixed(1),
      ]),
    },
    {
      title:
        `2. Latency, one client: medians of ${options.rounds} × ${options.latencyDurationMs / 1000} s rounds ` +
        '(added: paired rounds)',
      columns: [
        'route',
        'off p50 ms',
        'on p50 ms',
        'off p99 ms',
        'on p99 ms',
        'added p50 ms',
        'added p99 ms',
      ],
      rows: results.map((r) => [
        r.route,
        r.latencyOff.p50Ms.toFixed(3),
        r.latencyOn.p50Ms.toFixed(3),
        r.latencyOff.p99Ms.toFixed(3),
        r.latencyOn.p99Ms.toFixed(3),
        r.addedP50Ms.toFixed(3),
        r.addedP99Ms.toFixed(3),
      ]),
    },
    {
      title: '3. The limiter guard itself, timed inside the API (GET /api/v1/projects, one client)',
      columns: ['requests', 'p50 ms', 'p99 ms', 'max ms'],
      rows: [[guard.count, guard.p50.toFixed(3), guard.p99.toFixed(3), guard.max.toFixed(3)]],
    },
  ];
  const verdicts = [
    verdict({
      target: `${JUDGED} throughput, limiter on Redis / off`,
      kind: 'ratio',
      measured: judged.ratio,
      limit: THROUGHPUT_RATIO,
      comparison: '>=',
      unit: '×',
    }),
    verdict({
      target: `p99 the limiter adds to ${JUDGED} (one client, loopback)`,
      kind: 'absolute',
      measured: judged.addedP99Ms,
      limit: ADDED_P99_MS,
      comparison: '<=',
      unit: 'ms',
      note: `the guard itself: p99 ${guard.p99.toFixed(3)} ms over ${guard.count} requests`,
    }),
  ];
  return {
    quick: options.quick,
    parameters: {
      concurrency: options.concurrency,
      warmupSeconds: options.warmupMs / 1000,
      roundSeconds: options.durationMs / 1000,
      latencyRoundSeconds: options.latencyDurationMs / 1000,
      rounds: options.rounds,
      ...parameters,
    },
    tables,
    verdicts,
    results: {
      routes: results,
      guardMs: {
        count: guard.count,
        mean: round(guard.mean, 4),
        p50: round(guard.p50, 4),
        p95: round(guard.p95, 4),
        p99: round(guard.p99, 4),
        max: round(guard.max, 4),
      },
    },
    notes: [
      'Limiter off = RATE_LIMIT_ENABLED=false (no guard); both modes use the same Redis for the tenant cache.',
      'Both APIs run in this process, one idle while the other is measured; rounds alternate between them (the first one alternating too), and the load comes from a child process.',
      `Every request of the "on" rounds runs one EVALSHA on Redis; the plan limit is set far above the load, so none is refused.`,
    ],
  };
}
