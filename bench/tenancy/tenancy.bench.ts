import { DataSource } from 'typeorm';
import { ProjectsService } from '../../src/projects/projects.service';
import { TenantCatalogue } from '../../src/tenancy/tenant-catalogue';
import { TenantProvisioningService } from '../../src/tenancy/tenant-provisioning.service';
import { runInTenantSchema } from '../../src/tenancy/tenant-transaction';
import type { BenchOutcome } from '../support/bench';
import { benchAccount, QUICK_SIGNUP_ENV, signUp } from '../support/bench-accounts';
import type { BenchApp } from '../support/bench-app';
import { benchOnFreshDatabase, type BenchSession } from '../support/bench-session';
import type { LoadRequest } from '../support/load-generator';
import { benchSlug, PROJECTS_PER_TENANT, provisionSeededTenants, seedProjects } from './bench-tenants';
import {
  type BenchTenant,
  BypassProjectsController,
  bypassRequest,
  TenantPathProjectsController,
  tenantPathRequest,
} from './bench-routes';
import { measureMigrationRun } from './migration-run';
import { timeSequentialProvisioning } from './provisioning-time';
import { compareRoutes, type RouteUnderTest } from './route-comparison';
import { tenancyOutcome } from './tenancy-report';
import { parseTenancyOptions, type TenancyBenchOptions } from './tenancy-options';
import { measureStage, type StageMeasurement } from './tenant-scale';

const DATABASE_NAME = 'bench_tenancy';

interface Owner extends BenchTenant {
  accessToken: string;
}

/** The tenant every single-tenant measurement reads: made by the real signup, so it has an owner. */
async function signUpOwner(benchApp: BenchApp): Promise<Owner> {
  const slug = benchSlug(0);
  const accessToken = await signUp(benchApp.url, benchAccount(slug));
  const tenant = await benchApp.app.get(TenantCatalogue).findBySlugFresh(slug);
  if (!tenant) throw new Error('the signed-up tenant is not in the catalogue');
  await runInTenantSchema(benchApp.app.get(DataSource), tenant.schemaName, seedProjects);
  return { slug, schemaName: tenant.schemaName, accessToken };
}

function routesFor(owner: Owner): RouteUnderTest[] {
  return [
    {
      name: 'bypass',
      description: 'same findAndCount, schema-qualified, no tenancy (baseline)',
      request: bypassRequest(owner),
    },
    {
      name: 'bypass (control)',
      description: 'the baseline again: how far apart two identical arms land (not judged)',
      request: bypassRequest(owner),
    },
    {
      name: 'bypass in a transaction',
      description: 'the same in a plain BEGIN … COMMIT, no tenancy (not judged)',
      request: bypassRequest(owner, true),
    },
    {
      name: 'tenant path',
      description: 'tenant resolution + ProjectsService.list, each statement pinned to the schema',
      request: tenantPathRequest(owner),
    },
    {
      name: 'GET /api/v1/projects',
      description: 'the real route: tenant path + access token check',
      request: {
        path: '/api/v1/projects',
        headers: { 'x-tenant': owner.slug, authorization: `Bearer ${owner.accessToken}` },
      },
    },
  ];
}

async function get(baseUrl: string, { path, headers }: LoadRequest): Promise<string> {
  const response = await fetch(`${baseUrl}${path}`, { headers });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${body}`);
  return body;
}

/** The routes must answer the same page, or the comparison means nothing. */
async function checkSameAnswers(baseUrl: string, routes: RouteUnderTest[]): Promise<void> {
  const bodies = await Promise.all(routes.map((route) => get(baseUrl, route.request)));
  const page = JSON.parse(bodies[0]) as { items: unknown[]; total: number };
  if (page.items.length !== 20 || page.total !== PROJECTS_PER_TENANT) {
    throw new Error(`unexpected page: ${page.items.length} items, total ${page.total}`);
  }
  bodies.forEach((body, index) => {
    if (body !== bodies[0])
      throw new Error(`${routes[index].name} answers differently from ${routes[0].name}`);
  });
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
    providers: [ProjectsService],
  });
  const { app, config, url } = benchApp;
  const dataSource = app.get(DataSource);
  const provisioning = app.get(TenantProvisioningService);
  const runner = session.interleavedRunner(url);
  const [{ server_version: postgresVersion }] =
    await dataSource.query<{ server_version: string }[]>('SHOW server_version');

  const owner = await signUpOwner(benchApp);
  const routes = routesFor(owner);
  await checkSameAnswers(url, routes);

  progress('1. tenant path vs bypass, one tenant');
  const { routes: routeResults, run: routeRun } = await compareRoutes(runner, routes, plan, progress);

  const stages: StageMeasurement[] = [];
  let tenants: BenchTenant[] = [{ slug: owner.slug, schemaName: owner.schemaName }];
  progress('2. one tenant present');
  stages.push(await measureStage(runner, tenants, stagePlan, progress));

  progress(`3. provisioning ${options.provisioningSample} tenants one after another`);
  await runner.waitForQuiet();
  const sample = await timeSequentialProvisioning(provisioning, dataSource, 1, options.provisioningSample);
  tenants = [...tenants, ...sample.tenants];
  progress(`  p50 ${sample.times.p50Ms} ms, p95 ${sample.times.p95Ms} ms`);

  let migration: Awaited<ReturnType<typeof measureMigrationRun>> | undefined;
  for (const [index, stageTenants] of options.tenantStages.entries()) {
    if (index === 0) continue;
    const missing = stageTenants - tenants.length;
    progress(
      `provisioning ${missing} more tenants (${options.provisioningConcurrency} at a time) to reach ${stageTenants}`,
    );
    const added = await provisionSeededTenants(
      provisioning,
      tenants.length,
      missing,
      options.provisioningConcurrency,
      ({ done, total, perSecond }) => progress(`  ${done}/${total} (${perSecond.toFixed(1)}/s)`),
    );
    tenants = [...tenants, ...added];
    progress(`2. ${stageTenants} tenants present`);
    stages.push(await measureStage(runner, tenants, stagePlan, progress));
    if (index === 1) {
      progress(`4. migration:run over ${stageTenants} tenants`);
      await runner.waitForQuiet();
      migration = await measureMigrationRun(config, session.database.endpoint, stageTenants, progress);
    }
  }

  return tenancyOutcome({
    options,
    parameters: {
      database: DATABASE_NAME,
      postgres: postgresVersion,
      poolSize: config.database.poolSize,
      poolMaxLifetimeSeconds: config.database.poolMaxLifetimeSeconds,
      tenancy: config.tenancy,
      redis: config.redis ? 'configured' : 'none: in-process stores',
      nodeEnv: config.env,
      logLevel: config.log.level,
      projectsPerTenant: PROJECTS_PER_TENANT,
    },
    routes: routeResults,
    routeRun: {
      connectionsMax: routeRun.connectionsMax,
      othersCpuPercent: routeRun.othersCpuPercent,
      repeatedForNoise: routeRun.repeatedForNoise,
    },
    stages,
    provisioning: sample.times,
    migration: migration!,
    waitedForQuietSeconds: runner.waitedForQuietSeconds,
  });
}

export const bench = benchOnFreshDatabase(DATABASE_NAME, parseTenancyOptions, measureTenancy);
