import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ProjectsService } from '../../src/projects/projects.service';
import { TenantCatalogue } from '../../src/tenancy/tenant-catalogue';
import { TenantProvisioningService } from '../../src/tenancy/tenant-provisioning.service';
import { runInTenantSchema } from '../../src/tenancy/tenant-transaction';
import type { Bench, BenchContext, BenchOutcome } from '../support/bench';
import { startBenchApp, type BenchApp } from '../support/bench-app';
import { createBenchDatabase } from '../support/bench-database';
import { LoadGenerator, type LoadRequest } from '../support/load-generator';
import { InterleavedRunner } from '../support/interleaved-runner';
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
  const response = await fetch(`${benchApp.url}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      organizationName: 'Bench owner',
      slug,
      name: 'Bench Owner',
      email: `owner@${slug}.example.com`,
      password: `bench-${randomBytes(12).toString('hex')}`,
    }),
  });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${await response.text()}`);
  const { accessToken } = (await response.json()) as { accessToken: string };
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

async function runTenancyBench({ args, progress }: BenchContext): Promise<BenchOutcome> {
  const options: TenancyBenchOptions = parseTenancyOptions(args);
  const plan = {
    concurrency: options.concurrency,
    warmupMs: options.warmupMs,
    sliceMs: options.sliceMs,
    slices: options.slices,
  };
  const stagePlan = { ...plan, slices: options.stageSlices };
  progress(`fresh database ${DATABASE_NAME}`);
  const database = await createBenchDatabase(DATABASE_NAME);
  const generator = LoadGenerator.start();
  let benchApp: BenchApp | undefined;
  try {
    benchApp = await startBenchApp({
      database: database.endpoint,
      env: {
        // The lowest bcrypt cost keeps the one signup fast; tokens outlive a full run.
        BCRYPT_COST: '4',
        JWT_ACCESS_TTL_SECONDS: '86400',
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
    const runner = new InterleavedRunner(
      generator,
      database,
      url,
      progress,
      // A smoke run should not sit out other people's test runs for long.
      options.quick ? 60_000 : 15 * 60_000,
    );
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
        migration = await measureMigrationRun(config, database.endpoint, stageTenants, progress);
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
  } finally {
    generator.stop();
    await benchApp?.close();
    if (options.keepDatabase) {
      progress(`kept database ${DATABASE_NAME}`);
      await database.close();
    } else {
      await database.drop();
    }
  }
}

export const bench: Bench = { run: runTenancyBench };
