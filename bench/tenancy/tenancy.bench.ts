import { DataSource } from 'typeorm';
import { AuditModule } from '../../src/audit/audit.module';
import { BillingModule } from '../../src/billing/billing.module';
import { ProjectsService } from '../../src/projects/projects.service';
import { TenantProvisioningService } from '../../src/tenancy/tenant-provisioning.service';
import type { BenchOutcome } from '../support/bench';
import { QUICK_SIGNUP_ENV } from '../support/bench-accounts';
import type { BenchApp } from '../support/bench-app';
import { benchRedisServer, redisServerPid } from '../support/bench-redis';
import { benchOnFreshDatabase, type BenchSession } from '../support/bench-session';
import type { InterleavedRunner } from '../support/interleaved-runner';
import {
  type ActiveBenchTenant,
  PROJECTS_PER_TENANT,
  type ProvisionProgress,
  provisionSeededTenants,
  signUpSeededTenants,
} from './bench-tenants';
import { type BenchTenant, BypassProjectsController, TenantPathProjectsController } from './bench-routes';
import { measureMigrationRun } from './migration-run';
import { compareWithFloor, type FloorComparison, floorRequest, ProductAndFloor } from './product-vs-floor';
import { timeSequentialProvisioning } from './provisioning-time';
import { checkSameAnswers, HEADLINE_PROJECTS, routesFor, signUpOwner } from './single-tenant-routes';
import { compareRoutes, type SlicePlan } from './route-comparison';
import { tenancyOutcome } from './tenancy-report';
import { parseTenancyOptions, type TenancyBenchOptions } from './tenancy-options';
import { measureStage, type StageMeasurement } from './tenant-scale';

const DATABASE_NAME = 'bench_tenancy';

/** The product and the floor on the signup tenant (the headline), each server closed afterwards. */
async function measureHeadline(
  session: BenchSession,
  benchApp: BenchApp,
  servers: ProductAndFloor,
  runner: InterleavedRunner,
  plan: SlicePlan,
): Promise<{ owner: ActiveBenchTenant; headline: FloorComparison }> {
  const product = session.closeAtEnd(await servers.startProduct());
  try {
    const owner = await signUpOwner(benchApp, product.url);
    const floor = session.closeAtEnd(await servers.startFloor());
    try {
      const headline = await compareWithFloor(
        runner,
        { product, floor },
        [floorRequest(owner)],
        1,
        plan,
        session.progress,
      );
      return { owner, headline };
    } finally {
      await floor.close();
    }
  } finally {
    await product.close();
  }
}

async function measureTenancy(session: BenchSession, options: TenancyBenchOptions): Promise<BenchOutcome> {
  const { progress } = session;
  const plan = {
    concurrency: options.concurrency,
    warmupMs: options.warmupMs,
    sliceMs: options.sliceMs,
    slices: options.slices,
  };
  const stagePlan = { ...plan, slices: options.stageSlices };
  const benchApp = await session.startApp({
    env: {
      ...QUICK_SIGNUP_ENV,
      // Plan rate limits would cap the tenant routes and not the bypass; they have a bench of their own.
      RATE_LIMIT_ENABLED: 'false',
      ...options.appEnv,
    },
    controllers: [TenantPathProjectsController, BypassProjectsController],
    // ProjectsService checks plan limits and writes the audit log: these modules export them.
    imports: [BillingModule, AuditModule],
    providers: [ProjectsService],
  });
  const { app, config, url } = benchApp;
  const dataSource = app.get(DataSource);
  const provisioning = app.get(TenantProvisioningService);
  const runner = session.interleavedRunner(url);
  runner.countAsOurs(await redisServerPid());
  const servers = new ProductAndFloor(session.database.endpoint, config.auth.jwtSecret!, options.appEnv);
  const [{ server_version: postgresVersion }] =
    await dataSource.query<{ server_version: string }[]>('SHOW server_version');
  const parameters = {
    database: DATABASE_NAME,
    postgres: postgresVersion,
    poolSize: config.database.poolSize,
    poolMaxLifetimeSeconds: config.database.poolMaxLifetimeSeconds,
    tenancy: config.tenancy,
    redis: `${benchRedisServer.host}:${benchRedisServer.port} (the product and the floor); in-process stores (the API in the bench process)`,
    nodeEnv: config.env,
    logLevel: config.log.level,
    projectsPerTenant: PROJECTS_PER_TENANT,
  };

  progress(`headline: the product vs the floor, one tenant with ${HEADLINE_PROJECTS} projects`);
  const { owner, headline } = await measureHeadline(session, benchApp, servers, runner, plan);
  const measured = { options, parameters, headline, headlineProjects: HEADLINE_PROJECTS };
  if (options.headlineOnly) {
    return tenancyOutcome({ ...measured, waitedForQuietSeconds: runner.waitedForQuietSeconds });
  }

  const routes = routesFor(owner);
  await checkSameAnswers(url, routes);

  progress('1. tenant path vs bypass, one tenant');
  const { routes: routeResults, run: routeRun } = await compareRoutes(runner, routes, plan, progress);

  const stages: StageMeasurement[] = [];
  let tenants: BenchTenant[] = [{ slug: owner.slug, schemaName: owner.schemaName }];
  let active: ActiveBenchTenant[] = [];
  progress('2. one tenant present');
  stages.push(await measureStage(runner, tenants, stagePlan, progress));

  progress(`3. provisioning ${options.provisioningSample} tenants one after another`);
  await runner.waitForQuiet();
  const sample = await timeSequentialProvisioning(provisioning, dataSource, 1, options.provisioningSample);
  tenants = [...tenants, ...sample.tenants];
  progress(`  p50 ${sample.times.p50Ms} ms, p95 ${sample.times.p95Ms} ms`);

  let migration: Awaited<ReturnType<typeof measureMigrationRun>> | undefined;
  const lastStage = options.tenantStages.length - 1;
  for (const [index, stageTenants] of options.tenantStages.entries()) {
    if (index === 0) continue;
    const signups = index === lastStage ? options.activeTenants : 0;
    const missing = stageTenants - tenants.length - signups;
    progress(
      `provisioning ${missing} more tenants (${options.provisioningConcurrency} at a time) to reach ${stageTenants}`,
    );
    const onProgress = ({ done, total, perSecond }: ProvisionProgress) =>
      progress(`  ${done}/${total} (${perSecond.toFixed(1)}/s)`);
    const added = await provisionSeededTenants(
      provisioning,
      tenants.length,
      missing,
      options.provisioningConcurrency,
      onProgress,
    );
    tenants = [...tenants, ...added];
    if (signups > 0) {
      progress(`signing up ${signups} active tenants through the product`);
      const product = session.closeAtEnd(await servers.startProduct());
      try {
        active = await signUpSeededTenants(
          product.url,
          dataSource,
          tenants.length,
          signups,
          options.provisioningConcurrency,
          onProgress,
        );
      } finally {
        await product.close();
      }
      tenants = [...tenants, ...active];
    }
    progress(`2. ${stageTenants} tenants present`);
    stages.push(await measureStage(runner, tenants, stagePlan, progress));
    if (index === 1) {
      progress(`4. migration:run over ${stageTenants} tenants`);
      await runner.waitForQuiet();
      migration = await measureMigrationRun(config, session.database.endpoint, stageTenants, progress);
    }
  }

  progress(`5. the product vs the floor, ${tenants.length} tenants, round-robin over ${active.length}`);
  // Its idle pool would close connections mid-run: the count is the product's and the floor's alone.
  await benchApp.close();
  const floorAtScale = await measureFloorAtScale(session, servers, runner, active, tenants.length, stagePlan);

  return tenancyOutcome({
    ...measured,
    sections: {
      routes: routeResults,
      routeRun: {
        connectionsMax: routeRun.connectionsMax,
        othersCpuPercent: routeRun.othersCpuPercent,
        repeatedForNoise: routeRun.repeatedForNoise,
      },
      stages,
      provisioning: sample.times,
      migration: migration!,
      floorAtScale,
    },
    waitedForQuietSeconds: runner.waitedForQuietSeconds,
  });
}

async function measureFloorAtScale(
  session: BenchSession,
  servers: ProductAndFloor,
  runner: InterleavedRunner,
  active: ActiveBenchTenant[],
  tenants: number,
  plan: SlicePlan,
): Promise<FloorComparison> {
  const product = session.closeAtEnd(await servers.startProduct());
  const floor = session.closeAtEnd(await servers.startFloor());
  try {
    return await compareWithFloor(
      runner,
      { product, floor },
      active.map(floorRequest),
      tenants,
      plan,
      session.progress,
    );
  } finally {
    await floor.close();
    await product.close();
  }
}

export const bench = benchOnFreshDatabase(DATABASE_NAME, parseTenancyOptions, measureTenancy);
