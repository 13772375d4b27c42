import type { LoadRequest } from '../support/load-generator';
import type { ProcessMemory } from '../support/process-memory';
import {
  describeRound,
  type MeasuredRound,
  type RoundRunner,
  type RoundsSummary,
  summarizeRounds,
} from '../support/round-runner';
import { median, round } from '../support/stats';
import { type BenchTenant, bypassRequest, tenantPathRequest } from './bench-routes';
import type { RoundPlan } from './route-comparison';

/** The four kinds of round of a stage, in the order of the first round. */
const KINDS = ['tenant, all', 'tenant, one', 'bypass, all', 'bypass, one'] as const;
type RoundKind = (typeof KINDS)[number];

export interface StageMeasurement {
  tenants: number;
  /** The judged one: the tenant path, requests round-robin over every tenant present. */
  spread: RoundsSummary;
  /** The tenant path on one tenant, in rounds interleaved with the others. */
  oneTenant: RoundsSummary;
  /** p50 over all tenants / p50 on one tenant, per pair of back-to-back rounds, and their median. */
  spreadOverOneTenantP50Ratios: number[];
  spreadOverOneTenantP50: number;
  /**
   * The bypass route over every schema / on one schema: what spreading costs PostgreSQL alone
   * (relation and catalogue caches of its backends), without the app's tenant catalogue.
   */
  bypassSpread: RoundsSummary;
  bypassOne: RoundsSummary;
  bypassSpreadOverOneP50: number;
  connectionsMax: number;
  connectionsByApplication: Record<string, number>;
  memory: ProcessMemory;
}

function pairedP50Ratios(numerator: MeasuredRound[], denominator: MeasuredRound[]): number[] {
  return numerator.map((r, index) => round(r.load.latencyMs.p50 / denominator[index].load.latencyMs.p50, 3));
}

/**
 * Hands the same requests out round after round, each round continuing where the last one stopped
 * (the load generator starts at the first request of a round), so every tenant takes its turn.
 */
class RequestCycle {
  private sent = 0;

  constructor(readonly requests: LoadRequest[]) {}

  async run(runner: RoundRunner, durationMs: number): Promise<MeasuredRound> {
    const start = this.sent % this.requests.length;
    const result = await runner.run(
      [...this.requests.slice(start), ...this.requests.slice(0, start)],
      durationMs,
    );
    this.sent += result.load.requests;
    return result;
  }

  /**
   * A warm-up long enough to reach every tenant at least once (1.5 passes at the rate just seen), so
   * that rounds measure revisits, as a running API sees them, not each tenant's very first request.
   */
  async warmUp(runner: RoundRunner, warmupMs: number): Promise<void> {
    const first = await this.run(runner, warmupMs);
    const passMs = ((1.5 * this.requests.length) / first.load.throughput) * 1000;
    if (passMs > warmupMs) await this.run(runner, passMs - warmupMs);
  }
}

/**
 * With every tenant present: the tenant path and the bypass, each over all tenants and on one tenant,
 * in rounds whose order rotates, after a warm-up over all tenants.
 */
export async function measureStage(
  runner: RoundRunner,
  tenants: BenchTenant[],
  plan: RoundPlan,
  progress: (line: string) => void,
): Promise<StageMeasurement> {
  const cycles: Record<RoundKind, RequestCycle> = {
    'tenant, all': new RequestCycle(tenants.map(tenantPathRequest)),
    'tenant, one': new RequestCycle([tenantPathRequest(tenants[0])]),
    'bypass, all': new RequestCycle(tenants.map((tenant) => bypassRequest(tenant))),
    'bypass, one': new RequestCycle([bypassRequest(tenants[0])]),
  };
  await cycles['tenant, all'].warmUp(runner, plan.warmupMs);
  await cycles['bypass, all'].warmUp(runner, plan.warmupMs);
  const rounds = new Map<RoundKind, MeasuredRound[]>(KINDS.map((kind) => [kind, []]));
  let last: MeasuredRound | undefined;
  for (let index = 0; index < plan.rounds; index++) {
    for (let position = 0; position < KINDS.length; position++) {
      const kind = KINDS[(position + index) % KINDS.length];
      const result = await cycles[kind].run(runner, plan.durationMs);
      rounds.get(kind)!.push(result);
      last = result;
      progress(
        `  ${tenants.length} tenants, round ${index + 1}/${plan.rounds} ${kind}: ${describeRound(result)}`,
      );
    }
  }
  const of = (kind: RoundKind) => rounds.get(kind)!;
  const all = KINDS.flatMap(of);
  const connectionsByApplication: Record<string, number> = {};
  for (const measured of all) {
    for (const [application, count] of Object.entries(measured.connectionsByApplication)) {
      connectionsByApplication[application] = Math.max(connectionsByApplication[application] ?? 0, count);
    }
  }
  const spreadOverOneTenantP50Ratios = pairedP50Ratios(of('tenant, all'), of('tenant, one'));
  return {
    tenants: tenants.length,
    spread: summarizeRounds(of('tenant, all')),
    oneTenant: summarizeRounds(of('tenant, one')),
    spreadOverOneTenantP50Ratios,
    spreadOverOneTenantP50: median(spreadOverOneTenantP50Ratios),
    bypassSpread: summarizeRounds(of('bypass, all')),
    bypassOne: summarizeRounds(of('bypass, one')),
    bypassSpreadOverOneP50: median(pairedP50Ratios(of('bypass, all'), of('bypass, one'))),
    connectionsMax: Math.max(...all.map((measured) => measured.connectionsMax)),
    connectionsByApplication,
    // After the stage's last round: what the API holds with this many tenants.
    memory: last!.memory,
  };
}
