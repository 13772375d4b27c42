import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchDatabase } from './bench-database';
import type { LoadGenerator, LoadRequest, LoadRoundResult } from './load-generator';
import { cpuSnapshot, othersCpuPercent } from './machine-load';
import { memoryAfterGc, type ProcessMemory } from './process-memory';
import { countQueries } from './query-counter';
import { median, round } from './stats';

export interface MeasuredRound {
  load: LoadRoundResult;
  /** Most client connections to the bench database seen while the round ran (sampled every 250 ms). */
  connectionsMax: number;
  connectionsByApplication: Record<string, number>;
  /** The API process (this one) after the round, after a full GC. */
  memory: ProcessMemory;
  /** CPU time of the API process per request. */
  cpuMsPerRequest: number;
  /** Queries the API sent to the bench database per request. */
  roundTripsPerRequest: number;
  /** Machine CPU used by processes outside the bench (percent of all cores), when measurable. */
  othersCpuPercent?: number;
  /** Earlier tries of this round thrown away because other processes took too much CPU. */
  repeatedForNoise: number;
}

const SAMPLE_INTERVAL_MS = 250;
/** Background on an idle machine stays well below this; a test run or a build next door does not. */
export const OTHERS_CPU_LIMIT_PERCENT = 12;
const MAX_TRIES = 4;
const QUIET_WINDOW_MS = 1000;
const MAX_QUIET_WAIT_MS = 60_000;

/**
 * Runs load rounds against the API (this process) while watching its PostgreSQL connections, memory,
 * CPU and round trips. On a shared machine, each round first waits (within a budget) for other
 * processes to go quiet, and a round they disturbed anyway (more than OTHERS_CPU_LIMIT_PERCENT of the
 * machine's CPU) is run again, up to MAX_TRIES times; the last try is kept either way.
 */
export class RoundRunner {
  private noiseWaitedMs = 0;

  constructor(
    private readonly generator: LoadGenerator,
    private readonly database: BenchDatabase,
    private readonly baseUrl: string,
    private readonly concurrency: number,
    private readonly progress: (line: string) => void = () => undefined,
    /** Past this much waiting in one run, rounds are taken as they come (and their noise reported). */
    private readonly noiseWaitBudgetMs = 15 * 60_000,
  ) {}

  /** Total time spent waiting for other processes to go quiet. */
  get waitedForQuietSeconds(): number {
    return Math.round(this.noiseWaitedMs / 1000);
  }

  async run(requests: LoadRequest[], durationMs: number): Promise<MeasuredRound> {
    for (let attempt = 1; ; attempt++) {
      await this.waitForQuiet();
      const measured = await this.runOnce(requests, durationMs);
      const others = measured.othersCpuPercent;
      const withinBudget = this.noiseWaitedMs < this.noiseWaitBudgetMs;
      if (
        others === undefined ||
        others <= OTHERS_CPU_LIMIT_PERCENT ||
        attempt === MAX_TRIES ||
        !withinBudget
      ) {
        return { ...measured, repeatedForNoise: attempt - 1 };
      }
      this.progress(`  other processes took ${others.toFixed(0)}% of the machine's CPU: repeating the round`);
    }
  }

  /** Waits until other processes leave the machine nearly idle for a moment (or the wait runs out). */
  async waitForQuiet(): Promise<void> {
    const pids = [process.pid, this.generator.pid ?? -1, ...(await this.database.activity()).pids];
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
    requests: LoadRequest[],
    durationMs: number,
  ): Promise<Omit<MeasuredRound, 'repeatedForNoise'>> {
    const samples: Record<string, number>[] = [];
    const pids = new Set([process.pid, this.generator.pid ?? -1]);
    const first = await this.database.activity();
    first.pids.forEach((pid) => pids.add(pid));
    const startPids = [...pids];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const activity = await this.database.activity();
        samples.push(activity.connections);
        // Backends that appear meanwhile (autovacuum on the bench database) are ours too.
        activity.pids.forEach((pid) => pids.add(pid));
        await sleep(SAMPLE_INTERVAL_MS);
      }
    })();
    const cpuAtStart = process.cpuUsage();
    const machineAtStart = cpuSnapshot(startPids);
    let counted: { queries: number; result: LoadRoundResult };
    try {
      counted = await countQueries(this.database.endpoint.database, () =>
        this.generator.run({ baseUrl: this.baseUrl, requests, concurrency: this.concurrency, durationMs }),
      );
    } finally {
      sampling = false;
      await sampler;
    }
    const machineAtEnd = cpuSnapshot([...pids]);
    const cpu = process.cpuUsage(cpuAtStart);
    const load = counted.result;
    if (load.ok !== load.requests || Object.keys(load.errors).length > 0) {
      throw new Error(
        `a load round had failures: statuses ${JSON.stringify(load.statuses)}, errors ${JSON.stringify(load.errors)}`,
      );
    }
    const connectionsByApplication: Record<string, number> = {};
    for (const sample of samples) {
      for (const [application, count] of Object.entries(sample)) {
        connectionsByApplication[application] = Math.max(connectionsByApplication[application] ?? 0, count);
      }
    }
    const totals = samples.map((sample) => Object.values(sample).reduce((sum, count) => sum + count, 0));
    return {
      load,
      connectionsMax: Math.max(0, ...totals),
      connectionsByApplication,
      memory: memoryAfterGc(),
      cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / load.requests,
      roundTripsPerRequest: counted.queries / load.requests,
      othersCpuPercent: othersCpuPercent(machineAtStart, machineAtEnd),
    };
  }
}

export interface RoundsSummary {
  /** Medians over the rounds: a slow or fast outlier round does not move them. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  roundTripsPerRequest: number;
  rounds: {
    throughput: number;
    p50Ms: number;
    p99Ms: number;
    cpuMsPerRequest: number;
    roundTripsPerRequest: number;
    requests: number;
    othersCpuPercent?: number;
    repeatedForNoise: number;
  }[];
}

export function summarizeRounds(rounds: MeasuredRound[]): RoundsSummary {
  const perRound = rounds.map((measured) => ({
    throughput: round(measured.load.throughput, 1),
    p50Ms: round(measured.load.latencyMs.p50),
    p99Ms: round(measured.load.latencyMs.p99),
    cpuMsPerRequest: round(measured.cpuMsPerRequest, 3),
    roundTripsPerRequest: round(measured.roundTripsPerRequest),
    requests: measured.load.requests,
    othersCpuPercent:
      measured.othersCpuPercent === undefined ? undefined : round(measured.othersCpuPercent, 1),
    repeatedForNoise: measured.repeatedForNoise,
  }));
  return {
    throughput: median(perRound.map((r) => r.throughput)),
    p50Ms: median(perRound.map((r) => r.p50Ms)),
    p99Ms: median(perRound.map((r) => r.p99Ms)),
    cpuMsPerRequest: median(perRound.map((r) => r.cpuMsPerRequest)),
    roundTripsPerRequest: median(perRound.map((r) => r.roundTripsPerRequest)),
    rounds: perRound,
  };
}

/** One progress line for a round. */
export function describeRound(measured: MeasuredRound): string {
  const others = measured.othersCpuPercent;
  return (
    `${measured.load.throughput.toFixed(0)} req/s, p50 ${measured.load.latencyMs.p50.toFixed(2)} ms, ` +
    `${measured.cpuMsPerRequest.toFixed(3)} CPU ms/req, ${measured.roundTripsPerRequest.toFixed(2)} round trips/req, ` +
    `${measured.connectionsMax} connections, heap ${measured.memory.heapUsedMb} MB` +
    (others === undefined ? '' : `, others ${others.toFixed(0)}% CPU`)
  );
}
