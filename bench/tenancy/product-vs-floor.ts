import { isDeepStrictEqual } from 'node:util';
import { loadAppConfig } from '../../src/config';
import { ownerHeaders, QUICK_SIGNUP_ENV, type SignedUpOwner } from '../support/bench-accounts';
import { benchEnvironment } from '../support/bench-app';
import type { DatabaseEndpoint } from '../../src/database/embedded-postgres.launcher';
import { startApiProcess } from '../support/api-process';
import { benchRedisEnvironment, benchRedisServer } from '../support/bench-redis';
import type { ChildServer } from '../support/child-server';
import {
  type ArmComparison,
  type ArmMeasurement,
  compareArms,
  describeArm,
  type InterleavedRunner,
} from '../support/interleaved-runner';
import type { LoadRequest } from '../support/load-generator';
import type { ProcessMemory } from '../support/process-memory';
import { unlimitedPlansFile } from '../support/unlimited-plans';
import { startFloorProcess } from './floor-process';
import { FLOOR_ROUTE } from './floor-server';
import type { SlicePlan } from './route-comparison';
import { ArmCycle, warmUpThroughEveryRequest } from './tenant-scale';

/** The product against the floor in one interleaved run. */
export interface FloorComparison {
  /** Tenant schemas present. */
  tenants: number;
  /** Tenants the requests go round-robin over, each with its owner's token. */
  activeTenants: number;
  floor: ArmMeasurement;
  /** Its ratios are product / floor. */
  product: ArmMeasurement & ArmComparison;
  /** Client connections to the bench database over the run (both servers), sampled every 250 ms. */
  connections: { min: number; max: number; byApplication: Record<string, number> };
  othersCpuPercent?: number;
  repeatedForNoise: number;
  /** The bench process (the load generator's parent), not either server. */
  benchMemory: ProcessMemory;
}

/**
 * Starts the product as `npm start` runs it (production, PostgreSQL, Redis, the tenant limiter on)
 * and the floor with the same JWT secret, pool size and tenant rule, each in a process of its own.
 */
export class ProductAndFloor {
  readonly productEnv: Record<string, string>;
  private readonly plansFile = unlimitedPlansFile();

  constructor(
    private readonly database: DatabaseEndpoint,
    jwtSecret: string,
    appEnv: Record<string, string>,
  ) {
    this.productEnv = benchEnvironment(database, {
      ...QUICK_SIGNUP_ENV,
      ...benchRedisEnvironment(),
      JWT_SECRET: jwtSecret,
      // Plan limits far above the load, so the limiter counts every request and refuses none.
      PLANS_FILE: this.plansFile,
      // Signups of hundreds of tenants come from one address.
      RATE_LIMIT_PUBLIC_PER_IP_PER_MINUTE: '1000000',
      ...appEnv,
    });
  }

  startProduct(): Promise<ChildServer> {
    return startApiProcess({ env: this.productEnv, database: this.database });
  }

  /** Loads the tenants present now: start it after the last signup it must know. */
  startFloor(): Promise<ChildServer> {
    const config = loadAppConfig(this.productEnv);
    return startFloorProcess({
      database: this.database,
      poolSize: config.database.poolSize,
      jwtSecret: config.auth.jwtSecret!,
      redis: benchRedisServer,
      appDomain: config.http.domain,
      keepAliveTimeoutMs: config.http.keepAliveTimeoutMs,
    });
  }
}

export function floorRequest(owner: SignedUpOwner): LoadRequest {
  return { path: FLOOR_ROUTE, headers: ownerHeaders(owner) };
}

async function pageOf(server: ChildServer, { path, headers }: LoadRequest) {
  const response = await fetch(`${server.url}${path}`, { headers });
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`GET ${path} (${headers['x-tenant']}): ${response.status} ${body}`);
  return JSON.parse(body) as { items: unknown[]; total: number };
}

/** The floor must answer what the product answers, tenant by tenant, or the ratio means nothing. */
async function checkSameAnswers(product: ChildServer, floor: ChildServer, requests: LoadRequest[]) {
  for (const request of requests) {
    const [fromProduct, fromFloor] = await Promise.all([pageOf(product, request), pageOf(floor, request)]);
    if (fromProduct.items.length === 0) throw new Error(`${request.headers['x-tenant']} has no projects`);
    if (!isDeepStrictEqual(fromProduct.items, fromFloor.items) || fromProduct.total !== fromFloor.total) {
      throw new Error(
        `the floor answers ${request.headers['x-tenant']} differently: ` +
          `${JSON.stringify(fromFloor)} vs the product's ${JSON.stringify(fromProduct)}`,
      );
    }
  }
}

/**
 * Checks the two answer alike, then warms both through every request more than once and measures
 * them in one interleaved run, the floor first (the baseline).
 */
export async function compareWithFloor(
  runner: InterleavedRunner,
  servers: { product: ChildServer; floor: ChildServer },
  requests: LoadRequest[],
  tenants: number,
  plan: SlicePlan,
  progress: (line: string) => void,
): Promise<FloorComparison> {
  await checkSameAnswers(servers.product, servers.floor, requests);
  const cycles = [
    new ArmCycle('floor', requests, servers.floor),
    new ArmCycle('GET /api/v1/projects', requests, servers.product),
  ];
  await warmUpThroughEveryRequest(runner, cycles, plan);
  const run = await runner.run(
    cycles.map((cycle) => cycle.arm),
    plan,
  );
  const [floor, product] = run.arms;
  for (const arm of run.arms) progress(`  ${arm.name}: ${describeArm(arm)}`);
  const comparison = compareArms(product, floor);
  progress(`  product / floor: ${comparison.throughputRatio}× req/s`);
  return {
    tenants,
    activeTenants: requests.length,
    floor,
    product: { ...product, ...comparison },
    connections: {
      min: run.connectionsMin,
      max: run.connectionsMax,
      byApplication: run.connectionsByApplication,
    },
    othersCpuPercent: run.othersCpuPercent,
    repeatedForNoise: run.repeatedForNoise,
    benchMemory: run.memory,
  };
}
