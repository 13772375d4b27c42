import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuditModule } from '../../src/audit/audit.module';
import { BillingModule } from '../../src/billing/billing.module';
import { ProjectsService } from '../../src/projects/projects.service';
import { RateLimitGuard } from '../../src/rate-limit/rate-limit.guard';
import type { BenchOutcome } from '../support/bench';
import {
  benchAccount,
  createProjects,
  ownerHeaders,
  QUICK_SIGNUP_ENV,
  type SignedUpOwner,
  signUp,
} from '../support/bench-accounts';
import type { BenchApp } from '../support/bench-app';
import { benchRedisEnvironment, benchRedisServer } from '../support/bench-redis';
import { benchOnFreshDatabase, type BenchSession } from '../support/bench-session';
import { type Arm, describeArm, type InterleavedMeasurement } from '../support/interleaved-runner';
import { unlimitedPlansFile } from '../support/unlimited-plans';
import { JUDGED_ROUTE, type Mode, rateLimitOutcome } from './ratelimit-report';
import { parseRateLimitOptions, type RateLimitBenchOptions } from './ratelimit-options';
import { UNLIMITED_PROJECTS_ROUTE, UnlimitedProjectsController } from './ratelimit-routes';

const DATABASE_NAME = 'bench_ratelimit';
const PROJECTS = 20;

async function signUpWithProjects(url: string): Promise<SignedUpOwner> {
  const account = benchAccount(`rl${randomBytes(5).toString('hex')}`);
  const owner = { slug: account.slug, accessToken: await signUp(url, account) };
  await createProjects(url, owner, PROJECTS);
  return owner;
}

/** The route with the tenant limit on Redis, and the same handler with the limit skipped. */
function armsFor(owner: SignedUpOwner): Record<Mode, Arm> {
  const headers = ownerHeaders(owner);
  return {
    off: { name: `${JUDGED_ROUTE}, limit skipped`, requests: [{ path: UNLIMITED_PROJECTS_ROUTE, headers }] },
    on: { name: JUDGED_ROUTE, requests: [{ path: '/api/v1/projects', headers }] },
  };
}

/**
 * Times the limiter guard inside the API, per route: on the limited route, what the limiter adds to a
 * request (key, Redis round trip, headers); on the exempt one, its check that the route is exempt.
 */
function timeGuard(benchApp: BenchApp): { samples: Map<string, number[]>; recording: boolean } {
  const timing = { samples: new Map<string, number[]>(), recording: false };
  const guard = benchApp.app.get(RateLimitGuard);
  const canActivate = guard.canActivate.bind(guard);
  guard.canActivate = async (context: ExecutionContext) => {
    const startedAt = performance.now();
    try {
      return await canActivate(context);
    } finally {
      if (timing.recording) {
        const requestPath = context.switchToHttp().getRequest<FastifyRequest>().url.split('?')[0];
        const samples = timing.samples.get(requestPath) ?? [];
        samples.push(performance.now() - startedAt);
        timing.samples.set(requestPath, samples);
      }
    }
  };
  return timing;
}

async function measureRateLimit(
  session: BenchSession,
  options: RateLimitBenchOptions,
): Promise<BenchOutcome> {
  const { progress } = session;
  const redis = `${benchRedisServer.host}:${benchRedisServer.port}`;
  progress(`Redis on ${redis}`);
  const benchApp = await session.startApp({
    env: {
      ...QUICK_SIGNUP_ENV,
      ...benchRedisEnvironment(),
      PLANS_FILE: unlimitedPlansFile(),
    },
    controllers: [UnlimitedProjectsController],
    // ProjectsService checks plan limits and writes the audit log: these modules export them.
    imports: [BillingModule, AuditModule],
    providers: [ProjectsService],
  });
  const account = await signUpWithProjects(benchApp.url);
  const arms = armsFor(account);
  const ordered = [arms.off, arms.on];
  const guard = timeGuard(benchApp);
  const runner = session.interleavedRunner(benchApp.url);

  progress('warming up');
  await runner.warmUp(ordered, options.concurrency, options.warmupMs);
  progress(`1. throughput, ${options.concurrency} connections`);
  const throughput = await runner.run(ordered, {
    concurrency: options.concurrency,
    sliceMs: options.sliceMs,
    slices: options.slices,
  });
  for (const arm of throughput.arms) progress(`  ${arm.name}: ${describeArm(arm)}`);
  progress('2. latency, one client');
  guard.recording = true;
  // The exempt arm twice: how far apart the tails of two identical arms land on this machine.
  const control = { ...arms.off, name: `${arms.off.name} (control)` };
  const latency = await runner.run([...ordered, control], {
    concurrency: 1,
    sliceMs: options.sliceMs,
    slices: options.latencySlices,
    sampleConnections: false,
  });
  guard.recording = false;
  for (const arm of latency.arms) progress(`  ${arm.name}: ${describeArm(arm)}`);

  const byMode = (run: InterleavedMeasurement) => ({ off: run.arms[0], on: run.arms[1] });
  return rateLimitOutcome(
    {
      options,
      throughput: byMode(throughput),
      latency: byMode(latency),
      latencyControl: latency.arms[2],
      guardMs: {
        on: guard.samples.get('/api/v1/projects') ?? [],
        off: guard.samples.get(UNLIMITED_PROJECTS_ROUTE) ?? [],
      },
      runs: [throughput, latency].map((run) => ({
        othersCpuPercent: run.othersCpuPercent,
        repeatedForNoise: run.repeatedForNoise,
      })),
      waitedForQuietSeconds: runner.waitedForQuietSeconds,
    },
    {
      database: DATABASE_NAME,
      redis,
      nodeEnv: benchApp.config.env,
      projectsPerTenant: PROJECTS,
    },
  );
}

export const bench = benchOnFreshDatabase(DATABASE_NAME, parseRateLimitOptions, measureRateLimit);
