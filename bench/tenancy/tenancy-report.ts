import { interleavedParameters } from '../support/bench-options';
import type { BenchOutcome, Table } from '../support/bench';
import { sharedMachineRunsNote } from '../support/machine-load';
import { connectionsHeld, FLOOR_NOTE, floorTable } from './floor-report';
import type { MigrationRunMeasurement } from './migration-run';
import type { FloorComparison } from './product-vs-floor';
import type { ProvisioningTimes } from './provisioning-time';
import type { RouteMeasurement } from './route-comparison';
import type { TenancyBenchOptions } from './tenancy-options';
import type { StageMeasurement } from './tenant-scale';
import { verdicts } from './tenancy-verdicts';

/** Everything after the headline; not measured with --headline-only. */
export interface TenancySections {
  routes: RouteMeasurement[];
  routeRun: { connectionsMax: number; othersCpuPercent?: number; repeatedForNoise: number };
  stages: StageMeasurement[];
  provisioning: ProvisioningTimes;
  migration: MigrationRunMeasurement;
  /** The product vs the floor at the last stage, round-robin over its active tenants. */
  floorAtScale: FloorComparison;
}

export interface TenancyMeasurements {
  options: TenancyBenchOptions;
  parameters: Record<string, unknown>;
  /** The product vs the floor on one tenant. */
  headline: FloorComparison;
  /** Projects of the headline's tenant. */
  headlineProjects: number;
  sections?: TenancySections;
  waitedForQuietSeconds: number;
}

const quartiles = ([low, , high]: [number, number, number]) => `${low.toFixed(3)}–${high.toFixed(3)}`;

function routeTable(options: TenancyBenchOptions, m: TenancySections): Table {
  return {
    title:
      `1. GET projects, one tenant: ${options.concurrency} connections, ${options.slices} slices of ` +
      `${options.sliceMs} ms per route, the routes taking turns slice by slice`,
    columns: ['route', 'req/s', 'p50 ms', 'p99 ms', 'vs bypass', 'slices IQR*', 'CPU ms/req', 'round trips'],
    rows: m.routes.map((route) => [
      route.name,
      route.throughput.toFixed(0),
      route.latencyMs.p50.toFixed(2),
      route.latencyMs.p99.toFixed(2),
      route.throughputRatio.toFixed(3),
      quartiles(route.sliceRatioQuartiles),
      route.cpuMsPerRequest.toFixed(3),
      route.roundTripsPerRequest?.toFixed(2) ?? '-',
    ]),
  };
}

function stageTable(options: TenancyBenchOptions, m: TenancySections): Table {
  const [first] = m.stages;
  return {
    title:
      `2. Tenant path with N tenant schemas present, on one tenant and round-robin over all of them: ` +
      `${options.stageSlices} slices of ${options.sliceMs} ms per arm, interleaved`,
    columns: [
      'tenants',
      'req/s all',
      'p50 all',
      'p99 all',
      'p50 one',
      'p50 all/one',
      'bypass all/one',
      'p50 all vs stage 1†',
      'round trips',
      'PG conns',
      'RSS MB',
      'heap MB',
    ],
    rows: m.stages.map((stage) => [
      stage.tenants,
      stage.spread.throughput.toFixed(0),
      stage.spread.latencyMs.p50.toFixed(2),
      stage.spread.latencyMs.p99.toFixed(2),
      stage.oneTenant.latencyMs.p50.toFixed(2),
      stage.spreadVsOne.p50Ratio.toFixed(3),
      stage.bypassSpreadVsOne.p50Ratio.toFixed(3),
      (stage.spread.latencyMs.p50 / first.spread.latencyMs.p50).toFixed(3),
      stage.spread.roundTripsPerRequest?.toFixed(2) ?? '-',
      stage.connectionsMax,
      stage.memory.rssMb,
      stage.memory.heapUsedMb,
    ]),
  };
}

function oneOffTable(m: TenancySections): Table {
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

function headlineTable(m: TenancyMeasurements): Table {
  const { options } = m;
  return floorTable(
    `GET /api/v1/projects, one tenant with ${m.headlineProjects} projects: the product vs the floor, ` +
      `${options.concurrency} keep-alive connections, ${options.slices} slices of ${options.sliceMs} ms ` +
      'per server, taking turns',
    [m.headline],
    // The idle API of sections 1–4 is connected too, and its pool shrinks meanwhile.
    false,
  );
}

function floorAtScaleTable(options: TenancyBenchOptions, { floorAtScale: f }: TenancySections): Table {
  return floorTable(
    `5. The product vs the floor with ${f.tenants} tenant schemas, round-robin over ${f.activeTenants} ` +
      `active tenants: ${options.stageSlices} slices of ${options.sliceMs} ms per server; PG connections ` +
      connectionsHeld(f.connections),
    [f],
    true,
  );
}

function sectionNotes(m: TenancySections, poolSize: unknown): string[] {
  return [
    '† Across stages, minutes apart, with tenants provisioned in between: exposed to the drift the ' +
      'interleaving cancels within a stage, so reported, not judged.',
    'Sections 1–4 run the API in the bench process. The judged tenant path is a bench route (public, ' +
      '@TenantController) calling the real ProjectsService; GET /api/v1/projects also checks an access ' +
      'token (one more round trip), reported but not judged. Rate limiting is off there ' +
      '(RATE_LIMIT_ENABLED=false): it would cap the tenant routes only.',
    `Pool: ${String(poolSize)} connections (the app default); PG conns counts every backend on ` +
      'the bench database (API pool, mail relay and tenant-change listeners), sampled every 250 ms.',
    'Timings of migration:run are the command in-process (shared migrations, tenant run, DataSource open and ' +
      'close); the CLI process line adds Node and ts-node start-up.',
    `Section 5: the in-process API is closed first, so PG conns are the product's and the floor's alone ` +
      `(by application: ${JSON.stringify(m.floorAtScale.connections.byApplication)}).`,
  ];
}

export function tenancyOutcome(m: TenancyMeasurements): BenchOutcome {
  const { options, headline, sections } = m;
  const repeated =
    headline.repeatedForNoise +
    (sections
      ? sections.routeRun.repeatedForNoise +
        sections.floorAtScale.repeatedForNoise +
        sections.stages.reduce((sum, stage) => sum + stage.repeatedForNoise, 0)
      : 0);
  const notes = [
    '* Interleaved arms: each arm’s throughput is over all its slices; "slices IQR" is the middle half of ' +
      'the slice-by-slice ratios to the baseline (slices run back to back), a measure of the run’s noise. ' +
      'The control arm (the baseline again) shows how far apart two identical arms land.',
    FLOOR_NOTE,
    sharedMachineRunsNote(m.waitedForQuietSeconds, repeated),
    ...(sections ? sectionNotes(sections, m.parameters.poolSize) : []),
  ];
  if (!options.ofRecord)
    notes.unshift(
      options.headlineOnly
        ? 'Headline only (--headline-only): not the measurement of record.'
        : options.quick
          ? 'Quick run: fewer tenants and shorter rounds; not the measurement of record.'
          : 'Options differ from the defaults: not the measurement of record (written to tenancy.quick.json).',
    );
  return {
    quick: !options.ofRecord,
    parameters: {
      ...interleavedParameters(options),
      stageSlices: options.stageSlices,
      tenantStages: options.tenantStages,
      activeTenants: options.activeTenants,
      headlineOnly: options.headlineOnly,
      headlineProjects: m.headlineProjects,
      provisioningSample: options.provisioningSample,
      provisioningConcurrency: options.provisioningConcurrency,
      migrationConcurrency: sections?.migration.concurrency,
      appEnv: options.appEnv,
      ...m.parameters,
    },
    tables: [
      headlineTable(m),
      ...(sections
        ? [
            routeTable(options, sections),
            stageTable(options, sections),
            oneOffTable(sections),
            floorAtScaleTable(options, sections),
          ]
        : []),
    ],
    verdicts: sections ? verdicts(sections) : [],
    results: {
      headline: {
        productOverFloor: headline.product.throughputRatio,
        product: headline.product,
        floor: headline.floor,
        connections: headline.connections,
        othersCpuPercent: headline.othersCpuPercent,
        repeatedForNoise: headline.repeatedForNoise,
      },
      ...(sections && {
        routes: sections.routes,
        routeRun: sections.routeRun,
        tenantStages: sections.stages,
        provisioning: sections.provisioning,
        migrationRun: sections.migration,
        floorAtScale: {
          productOverFloor: sections.floorAtScale.product.throughputRatio,
          connectionsConstant:
            sections.floorAtScale.connections.min === sections.floorAtScale.connections.max,
          ...sections.floorAtScale,
        },
      }),
      waitedForQuietSeconds: m.waitedForQuietSeconds,
    },
    notes,
  };
}
