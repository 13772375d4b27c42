import { type BenchOutcome, type Table, verdict, type Verdict } from '../support/bench';
import { OTHERS_CPU_LIMIT_PERCENT } from '../support/round-runner';
import { round } from '../support/stats';
import type { MigrationRunMeasurement } from './migration-run';
import type { ProvisioningTimes } from './provisioning-time';
import type { RouteMeasurement } from './route-comparison';
import type { TenancyBenchOptions } from './tenancy-options';
import type { StageMeasurement } from './tenant-scale';

export interface TenancyMeasurements {
  options: TenancyBenchOptions;
  parameters: Record<string, unknown>;
  routes: RouteMeasurement[];
  stages: StageMeasurement[];
  provisioning: ProvisioningTimes;
  migration: MigrationRunMeasurement;
  waitedForQuietSeconds: number;
}

const THROUGHPUT_RATIO = 0.9;
const P50_RATIO = 1.2;
/** "Flat" is not quantified by the issue: held to the same 1.2× as latency. */
const HEAP_RATIO = 1.2;
const PROVISIONING_P50_MS = 150;
const MIGRATE_SECONDS = 30;
const NOTHING_PENDING_SECONDS = 3;

function routeTable(m: TenancyMeasurements): Table {
  return {
    title:
      `1. GET projects, one tenant: ${m.options.concurrency} connections, ` +
      `medians of ${m.options.rounds} × ${m.options.durationMs / 1000} s rounds`,
    columns: ['route', 'req/s', 'p50 ms', 'p99 ms', 'vs bypass*', 'CPU ms/req', 'round trips'],
    rows: m.routes.map((route) => [
      route.name,
      route.throughput.toFixed(0),
      route.p50Ms.toFixed(2),
      route.p99Ms.toFixed(2),
      route.ratio.toFixed(3),
      route.cpuMsPerRequest.toFixed(3),
      route.roundTripsPerRequest.toFixed(2),
    ]),
  };
}

function stageTable(m: TenancyMeasurements): Table {
  const [first] = m.stages;
  return {
    title:
      `2. Tenant path with N tenant schemas present, requests round-robin over all of them: ` +
      `medians of ${m.options.stageRounds} × ${m.options.durationMs / 1000} s rounds per kind`,
    columns: [
      'tenants',
      'req/s',
      'p50 ms',
      'p99 ms',
      'p50 vs 1',
      'p50 one tenant',
      'all/one*',
      'bypass all/one*',
      'CPU ms/req',
      'round trips',
      'PG conns',
      'RSS MB',
      'heap MB',
    ],
    rows: m.stages.map((stage) => [
      stage.tenants,
      stage.spread.throughput.toFixed(0),
      stage.spread.p50Ms.toFixed(2),
      stage.spread.p99Ms.toFixed(2),
      (stage.spread.p50Ms / first.spread.p50Ms).toFixed(3),
      stage.oneTenant.p50Ms.toFixed(2),
      stage.spreadOverOneTenantP50.toFixed(3),
      stage.bypassSpreadOverOneP50.toFixed(3),
      stage.spread.cpuMsPerRequest.toFixed(3),
      stage.spread.roundTripsPerRequest.toFixed(2),
      stage.connectionsMax,
      stage.memory.rssMb,
      stage.memory.heapUsedMb,
    ]),
  };
}

function oneOffTable(m: TenancyMeasurements): Table {
  const { provisioning: p, migration } = m;
  return {
    title: '3–4. Provisioning and migration:run',
    columns: ['measurement', 'result'],
    rows: [
      [
        `provisioning, ${p.tenants} tenants one after another`,
        `p50 ${p.p50Ms} ms, p95 ${p.p95Ms} ms, mean ${p.meanMs} ms, max ${p.maxMs} ms`,
      ],
      [
        `migration:run, 1 new migration × ${migration.tenants} tenants (concurrency ${migration.concurrency})`,
        `${migration.oneNewMigration.seconds} s: ${migration.oneNewMigration.summary}`,
      ],
      [
        'migration:run, nothing pending',
        `${migration.nothingPending.seconds} s: ${migration.nothingPending.summary}`,
      ],
      [
        'npm run migration:run process, nothing pending',
        `${migration.cliProcessNothingPending.seconds} s incl. ts-node start-up (exit ${migration.cliProcessNothingPending.exitCode})`,
      ],
    ],
  };
}

function verdicts(m: TenancyMeasurements): Verdict[] {
  const byName = (name: string) => m.routes.find((route) => route.name === name);
  const tenantPath = byName('tenant path')!;
  const inTransaction = byName('bypass in a transaction');
  const [first, ...later] = m.stages;
  const list: Verdict[] = [
    verdict({
      target: 'tenant path / bypass throughput',
      kind: 'ratio',
      measured: tenantPath.ratio,
      limit: THROUGHPUT_RATIO,
      comparison: '>=',
      unit: '×',
      note: inTransaction && `the bypass in a plain transaction scores ${inTransaction.ratio}`,
    }),
  ];
  for (const stage of later) {
    list.push(
      verdict({
        target: `p50 with ${stage.tenants} tenants / with 1`,
        kind: 'ratio',
        measured: round(stage.spread.p50Ms / first.spread.p50Ms, 3),
        limit: P50_RATIO,
        comparison: '<=',
        unit: '×',
      }),
      verdict({
        target: `p50 all ${stage.tenants} tenants / one tenant, same stage*`,
        kind: 'ratio',
        measured: stage.spreadOverOneTenantP50,
        limit: P50_RATIO,
        comparison: '<=',
        unit: '×',
      }),
      verdict({
        target: `PG connections with ${stage.tenants} tenants / with 1`,
        kind: 'ratio',
        measured: round(stage.connectionsMax / first.connectionsMax, 3),
        limit: 1,
        comparison: '<=',
        unit: '×',
      }),
      verdict({
        target: `API heap with ${stage.tenants} tenants / with 1`,
        kind: 'ratio',
        measured: round(stage.memory.heapUsedMb / first.memory.heapUsedMb, 3),
        limit: HEAP_RATIO,
        comparison: '<=',
        unit: '×',
      }),
    );
  }
  list.push(
    verdict({
      target: `provisioning p50 (${m.provisioning.tenants} tenants)`,
      kind: 'absolute',
      measured: m.provisioning.p50Ms,
      limit: PROVISIONING_P50_MS,
      comparison: '<=',
      unit: 'ms',
    }),
    verdict({
      target: `migration:run, 1 new migration × ${m.migration.tenants} tenants`,
      kind: 'absolute',
      measured: m.migration.oneNewMigration.seconds,
      limit: MIGRATE_SECONDS,
      comparison: '<=',
      unit: 's',
      note: m.migration.oneNewMigration.exitCode === 0 ? undefined : 'the run reported failures',
    }),
    verdict({
      target: 'migration:run, nothing pending',
      kind: 'absolute',
      measured: m.migration.nothingPending.seconds,
      limit: NOTHING_PENDING_SECONDS,
      comparison: '<=',
      unit: 's',
    }),
  );
  return list;
}

export function tenancyOutcome(m: TenancyMeasurements): BenchOutcome {
  const { options } = m;
  const repeated = [...m.routes, ...m.stages.flatMap((stage) => [stage.spread, stage.oneTenant])]
    .flatMap((summary) => summary.rounds)
    .reduce((sum, r) => sum + r.repeatedForNoise, 0);
  const notes = [
    '* Medians of per-round ratios, the two rounds of each pair run back to back, so drift of a shared ' +
      'machine between rounds cancels out; the other columns are medians of the rounds.',
    `Shared machine: rounds waited for other processes to go quiet (${m.waitedForQuietSeconds} s in all), and ` +
      `rounds they still disturbed (over ${OTHERS_CPU_LIMIT_PERCENT}% of the machine's CPU) were run again ` +
      `(${repeated} time(s)); each round's share taken by others is in the JSON.`,
    'The judged tenant path is a bench route (public, @TenantController) calling the real ProjectsService; ' +
      'GET /api/v1/projects now also checks an access token (one more round trip), reported but not judged. ' +
      'Rate limiting is off (RATE_LIMIT_ENABLED=false): it would cap the tenant routes only.',
    `Pool: ${String(m.parameters.poolSize)} connections (the app default); PG conns counts every backend on ` +
      'the bench database (API pool + mail relay listener), sampled every 250 ms during the rounds.',
    'Timings of migration:run are the command in-process (shared migrations, tenant run, DataSource open and ' +
      'close); the CLI process line adds Node and ts-node start-up.',
  ];
  if (!options.ofRecord)
    notes.unshift(
      options.quick
        ? 'Quick run: fewer tenants and shorter rounds; not the measurement of record.'
        : 'Options differ from the defaults: not the measurement of record (written to tenancy.quick.json).',
    );
  return {
    quick: !options.ofRecord,
    parameters: {
      concurrency: options.concurrency,
      warmupSeconds: options.warmupMs / 1000,
      roundSeconds: options.durationMs / 1000,
      rounds: options.rounds,
      stageRounds: options.stageRounds,
      tenantStages: options.tenantStages,
      provisioningSample: options.provisioningSample,
      provisioningConcurrency: options.provisioningConcurrency,
      migrationConcurrency: m.migration.concurrency,
      appEnv: options.appEnv,
      ...m.parameters,
    },
    tables: [routeTable(m), stageTable(m), oneOffTable(m)],
    verdicts: verdicts(m),
    results: {
      routes: m.routes,
      tenantStages: m.stages,
      provisioning: m.provisioning,
      migrationRun: m.migration,
      waitedForQuietSeconds: m.waitedForQuietSeconds,
    },
    notes,
  };
}
