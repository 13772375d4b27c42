import {
  type Arm,
  type ArmComparison,
  type ArmServer,
  type ArmMeasurement,
  compareArms,
  describeArm,
  type InterleavedRunner,
} from '../support/interleaved-runner';
import type { LoadRequest } from '../support/load-generator';
import type { ProcessMemory } from '../support/process-memory';
import { type BenchTenant, bypassRequest, tenantPathRequest } from './bench-routes';
import type { SlicePlan } from './route-comparison';

export interface StageMeasurement {
  tenants: number;
  /** The tenant path on one tenant while the others are present. */
  oneTenant: ArmMeasurement;
  /** The judged one: the tenant path, requests round-robin over every tenant present. */
  spread: ArmMeasurement;
  /** Spread against one tenant, in the same run. */
  spreadVsOne: ArmComparison;
  /**
   * The bypass over every schema / on one schema: what spreading costs PostgreSQL alone (the
   * relation and catalogue caches of its backends), without the app's tenant catalogue.
   */
  bypassOne: ArmMeasurement;
  bypassSpread: ArmMeasurement;
  bypassSpreadVsOne: ArmComparison;
  connectionsMax: number;
  connectionsByApplication: Record<string, number>;
  repeatedForNoise: number;
  othersCpuPercent?: number;
  /** After the stage: what the API holds with this many tenants. */
  memory: ProcessMemory;
}

/** An arm that carries on through its requests from one run to the next, so every tenant takes its turn. */
export class ArmCycle {
  private next = 0;
  /** Requests answered so far, in passes over the list. */
  passesDone = 0;

  constructor(
    readonly name: string,
    private readonly requests: LoadRequest[],
    private readonly server?: ArmServer,
  ) {}

  get arm(): Arm {
    return { name: this.name, requests: this.requests, firstRequest: this.next, server: this.server };
  }

  advance(measured: ArmMeasurement): void {
    this.next = measured.nextRequest % this.requests.length;
    this.passesDone += measured.requests / this.requests.length;
  }
}

/**
 * Warm-ups of `cycles` until each has been through all its requests more than once, so a run after
 * it measures revisits, as a running server sees them, not each tenant's very first request.
 */
export async function warmUpThroughEveryRequest(
  runner: InterleavedRunner,
  cycles: ArmCycle[],
  plan: SlicePlan,
): Promise<void> {
  do {
    const warmup = await runner.warmUp(
      cycles.map((cycle) => cycle.arm),
      plan.concurrency,
      plan.warmupMs,
    );
    warmup.arms.forEach((arm, index) => cycles[index].advance(arm));
  } while (cycles.some((cycle) => cycle.passesDone < 1.5));
}

/**
 * With every tenant present: the tenant path and the bypass, each on one tenant and round-robin over
 * all of them, interleaved in one run, after a warm-up that reaches every tenant more than once.
 */
export async function measureStage(
  runner: InterleavedRunner,
  tenants: BenchTenant[],
  plan: SlicePlan,
  progress: (line: string) => void,
): Promise<StageMeasurement> {
  const cycles = [
    new ArmCycle('tenant, one', [tenantPathRequest(tenants[0])]),
    new ArmCycle('tenant, all', tenants.map(tenantPathRequest)),
    new ArmCycle('bypass, one', [bypassRequest(tenants[0])]),
    new ArmCycle(
      'bypass, all',
      tenants.map((tenant) => bypassRequest(tenant)),
    ),
  ];
  await warmUpThroughEveryRequest(runner, [cycles[1], cycles[3]], plan);

  const run = await runner.run(
    cycles.map((cycle) => cycle.arm),
    plan,
  );
  const [oneTenant, spread, bypassOne, bypassSpread] = run.arms;
  for (const arm of run.arms) progress(`  ${tenants.length} tenants, ${arm.name}: ${describeArm(arm)}`);
  return {
    tenants: tenants.length,
    oneTenant,
    spread,
    spreadVsOne: compareArms(spread, oneTenant),
    bypassOne,
    bypassSpread,
    bypassSpreadVsOne: compareArms(bypassSpread, bypassOne),
    connectionsMax: run.connectionsMax,
    connectionsByApplication: run.connectionsByApplication,
    repeatedForNoise: run.repeatedForNoise,
    othersCpuPercent: run.othersCpuPercent,
    memory: run.memory,
  };
}
