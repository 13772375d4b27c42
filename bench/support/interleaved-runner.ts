import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchDatabase } from './bench-database';
import type { LoadArmResult, LoadGenerator, LoadRequest } from './load-generator';
import {
  cpuSnapshot,
  MS_PER_CPU_TICK,
  OTHERS_CPU_LIMIT_PERCENT,
  othersCpuPercent,
  processTicks,
} from './machine-load';
import { memoryAfterGc, type ProcessMemory } from './process-memory';
import { countQueries } from './query-counter';
import { percentile, round, type LatencySummary } from './stats';

/** A server in a process of its own (not the API in this one), answering an arm. */
export interface ArmServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  pid: number;
}

/** One kind of request compared with the others in the same run. */
export interface Arm {
  name: string;
  requests: LoadRequest[];
  /** Where in `requests` to start: the `nextRequest` of an earlier run of the same arm. */
  firstRequest?: number;
  /** Set: the arm's requests go to this process, and its CPU is booked to the arm. Unset: the API here. */
  server?: ArmServer;
}

export interface InterleavePlan {
  concurrency: number;
  sliceMs: number;
  /** Slices per arm. */
  slices: number;
  /**
   * Sample the bench database's connections meanwhile (default true). The sampler's queries run in
   * the API's process; a latency run that does not need the count leaves them out of its tail.
   */
  sampleConnections?: boolean;
}

export interface ArmMeasurement {
  name: string;
  requests: number;
  /** 2xx responses per second over the arm's slices. */
  throughput: number;
  latencyMs: LatencySummary;
  /** CPU time of the process answering the arm (the API here, or the arm's server) per request. */
  cpuMsPerRequest: number;
  /** Queries the API (this process) sent to the bench database per request; unknown for an arm's server. */
  roundTripsPerRequest?: number;
  sliceThroughputs: number[];
  nextRequest: number;
}

export interface InterleavedMeasurement {
  plan: InterleavePlan;
  arms: ArmMeasurement[];
  /** Most client connections to the bench database seen during the run (sampled every 250 ms). */
  connectionsMax: number;
  /** Fewest seen: equal to the most when the count held still throughout. */
  connectionsMin: number;
  connectionsByApplication: Record<string, number>;
  /** The API process (this one) after the run, after a full collection. */
  memory: ProcessMemory;
  /** Machine CPU used by processes outside the bench (percent of all cores), when measurable. */
  othersCpuPercent?: number;
  /** Earlier tries thrown away because other processes took too much CPU. */
  repeatedForNoise: number;
}

/** An arm against a baseline arm measured in the same interleaved run. */
export interface ArmComparison {
  /** Throughput of the arm over the baseline's, each over all its slices. */
  throughputRatio: number;
  /** Quartiles of the slice-by-slice ratios (slices next to each other in time): how noisy the run was. */
  sliceRatioQuartiles: [number, number, number];
  p50Ratio: number;
  p99Ratio: number;
}

const SAMPLE_INTERVAL_MS = 250;
const MAX_TRIES = 4;
const QUIET_WINDOW_MS = 1000;
const MAX_QUIET_WAIT_MS = 60_000;

export function compareArms(arm: ArmMeasurement, baseline: ArmMeasurement): ArmComparison {
  const ratios = arm.sliceThroughputs
    .map((throughput, index) => throughput / baseline.sliceThroughputs[index])
    .sort((a, b) => a - b);
  return {
    throughputRatio: round(arm.throughput / baseline.throughput, 3),
    sliceRatioQuartiles: [25, 50, 75].map((p) => round(percentile(ratios, p), 3)) as [number, number, number],
    p50Ratio: round(arm.latencyMs.p50 / baseline.latencyMs.p50, 3),
    p99Ratio: round(arm.latencyMs.p99 / baseline.latencyMs.p99, 3),
  };
}

export function describeArm(arm: ArmMeasurement): string {
  return (
    `${arm.throughput.toFixed(0)} req/s, p50 ${arm.latencyMs.p50.toFixed(2)} ms, ` +
    `p99 ${arm.latencyMs.p99.toFixed(2)} ms, ${arm.cpuMsPerRequest.toFixed(3)} ms CPU/req` +
    (arm.roundTripsPerRequest === undefined ? '' : `, ${arm.roundTripsPerRequest.toFixed(2)} round trips/req`)
  );
}

/**
 * Compares arms of requests against the API (this process) or servers of their own by interleaving
 * them in short slices within one run, so that a shared machine's changes of speed, which move a
 * run's throughput by tens of percent from one second to the next, reach every arm alike. Watches the API's PostgreSQL
 * connections, memory, CPU and round trips meanwhile. Each run first waits (within a budget) for
 * other processes to go quiet, and a run they disturbed anyway (more than OTHERS_CPU_LIMIT_PERCENT
 * of the machine) is repeated, up to MAX_TRIES times; the last try is kept either way.
 */
export class InterleavedRunner {
  private noiseWaitedMs = 0;
  /** Processes besides the load generator whose CPU is the bench's: arms' servers, their Redis. */
  private readonly ours = new Set<number>();

  constructor(
    private readonly generator: LoadGenerator,
    private readonly database: BenchDatabase,
    private readonly baseUrl: string,
    private readonly progress: (line: string) => void = () => undefined,
    /** Past this much waiting in one bench, runs are taken as they come (and their noise reported). */
    private readonly noiseWaitBudgetMs = 15 * 60_000,
  ) {}

  /** Total time spent waiting for other processes to go quiet. */
  get waitedForQuietSeconds(): number {
    return Math.round(this.noiseWaitedMs / 1000);
  }

  /** Counts these processes' CPU as the bench's own, not as other people's load. */
  countAsOurs(...pids: (number | undefined)[]): void {
    for (const pid of pids) if (pid !== undefined) this.ours.add(pid);
  }

  /** One slice of `warmupMs` per arm, not measured: connections, caches and JIT warm. */
  warmUp(arms: Arm[], concurrency: number, warmupMs: number): Promise<InterleavedMeasurement> {
    return this.run(arms, { concurrency, sliceMs: warmupMs, slices: 1 });
  }

  async run(arms: Arm[], plan: InterleavePlan): Promise<InterleavedMeasurement> {
    this.countAsOurs(...arms.map((arm) => arm.server?.pid));
    for (let attempt = 1; ; attempt++) {
      await this.waitForQuiet();
      const measured = await this.runOnce(arms, plan);
      const others = measured.othersCpuPercent;
      if (
        others === undefined ||
        others <= OTHERS_CPU_LIMIT_PERCENT ||
        attempt === MAX_TRIES ||
        this.noiseWaitedMs >= this.noiseWaitBudgetMs
      ) {
        return { ...measured, repeatedForNoise: attempt - 1 };
      }
      this.progress(`  other processes took ${others.toFixed(0)}% of the machine's CPU: running again`);
    }
  }

  /** Waits until other processes leave the machine nearly idle for a moment (or the wait runs out). */
  async waitForQuiet(): Promise<void> {
    const pids = await this.database.ourPids(this.generator.pid, ...this.ours);
    const startedAt = Date.now();
    let reported = false;
    while (this.noiseWaitedMs + (Date.now() - startedAt) < this.noiseWaitBudgetMs) {
      const before = cpuSnapshot(pids);
      await sleep(QUIET_WINDOW_MS);
      const others = othersCpuPercent(before, cpuSnapshot(pids));
      if (others === undefined || others <= OTHERS_CPU_LIMIT_PERCENT) break;
      if (Date.now() - startedAt >= MAX_QUIET_WAIT_MS) break;
      if (!reported) this.progress(`  waiting for other processes to go quiet (${others.toFixed(0)}% CPU)`);
      reported = true;
    }
    this.noiseWaitedMs += Math.max(0, Date.now() - startedAt - QUIET_WINDOW_MS);
  }

  private async runOnce(
    arms: Arm[],
    plan: InterleavePlan,
  ): Promise<Omit<InterleavedMeasurement, 'repeatedForNoise'>> {
    const pids = new Set(await this.database.ourPids(this.generator.pid, ...this.ours));
    const machineAtStart = cpuSnapshot([...pids]);

    const samples: Record<string, number>[] = [];
    let sampling = plan.sampleConnections ?? true;
    const sampler = (async () => {
      while (sampling) {
        const activity = await this.database.activity();
        samples.push(activity.connections);
        // Backends that appear meanwhile (autovacuum on the bench database) are ours too.
        activity.pids.forEach((pid) => pids.add(pid));
        await sleep(SAMPLE_INTERVAL_MS);
      }
    })();

    // CPU and queries are booked to the arm whose slice is running.
    let current = -1;
    let cpuAtSliceStart = 0;
    const cpuMs = arms.map(() => 0);
    const cpuMsOf = arms.map(({ server }) =>
      server
        ? () => (processTicks(server.pid) ?? 0) * MS_PER_CPU_TICK
        : () => {
            const { user, system } = process.cpuUsage();
            return (user + system) / 1000;
          },
    );
    const queries = countQueries(this.database.endpoint.database, arms.length, () => current);
    const onSliceStart = (arm: number) => {
      if (current >= 0) cpuMs[current] += cpuMsOf[current]() - cpuAtSliceStart;
      if (arm >= 0) cpuAtSliceStart = cpuMsOf[arm]();
      current = arm;
    };
    let results: LoadArmResult[];
    try {
      results = await this.generator.interleave(
        {
          arms: arms.map((arm) => ({
            baseUrl: arm.server?.url ?? this.baseUrl,
            requests: arm.requests,
            firstRequest: arm.firstRequest,
          })),
          concurrency: plan.concurrency,
          sliceMs: plan.sliceMs,
          slices: plan.slices,
        },
        onSliceStart,
      );
    } finally {
      queries.stop();
      sampling = false;
      await sampler;
    }
    const machineAtEnd = cpuSnapshot([...pids]);
    results.forEach((result, index) => {
      if (result.ok !== result.requests || Object.keys(result.errors).length > 0) {
        throw new Error(
          `arm ${arms[index].name} had failures: statuses ${JSON.stringify(result.statuses)}, ` +
            `errors ${JSON.stringify(result.errors)}`,
        );
      }
    });
    const connectionsByApplication: Record<string, number> = {};
    for (const sample of samples) {
      for (const [application, count] of Object.entries(sample)) {
        connectionsByApplication[application] = Math.max(connectionsByApplication[application] ?? 0, count);
      }
    }
    const totals = samples.map((sample) => Object.values(sample).reduce((sum, count) => sum + count, 0));
    return {
      plan,
      arms: results.map((result, index) => ({
        name: arms[index].name,
        requests: result.requests,
        throughput: result.throughput,
        latencyMs: result.latencyMs,
        cpuMsPerRequest: cpuMs[index] / result.requests,
        roundTripsPerRequest: arms[index].server ? undefined : queries.counts[index] / result.requests,
        sliceThroughputs: result.sliceThroughputs,
        nextRequest: result.nextRequest,
      })),
      connectionsMax: Math.max(0, ...totals),
      connectionsMin: totals.length > 0 ? Math.min(...totals) : 0,
      connectionsByApplication,
      memory: memoryAfterGc(),
      othersCpuPercent: othersCpuPercent(machineAtStart, machineAtEnd),
    };
  }
}
