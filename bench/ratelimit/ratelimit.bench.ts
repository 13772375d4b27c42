import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ProjectsService } from '../../src/projects/projects.service';
import { RateLimitGuard } from '../../src/rate-limit/rate-limit.guard';
import type { BenchOutcome } from '../support/bench';
import { benchAccount, QUICK_SIGNUP_ENV, signUp } from '../support/bench-accounts';
import type { BenchApp } from '../support/bench-app';
import { benchOnFreshDatabase, type BenchSession } from '../support/bench-session';
import { type Arm, describeArm, type InterleavedMeasurement } from '../support/interleaved-runner';
import { JUDGED_ROUTE, type Mode, rateLimitOutcome } from './ratelimit-report';
import { parseRateLimitOptions, type RateLimitBenchOptions } from './ratelimit-options';
import { UNLIMITED_PROJECTS_ROUTE, UnlimitedProjectsController } from './ratelimit-routes';

const DATABASE_NAME = 'bench_ratelimit';
const PROJECTS = 20;

/** Far above what the bench sends, so every request is counted and none is refused. */
function unlimitedPlansFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bench-plans-')), 'plans.json');
  const limits = { projects: 1000, members: 10, requestsPerMinute: 1_000_000_000 };
  writeFileSync(
    file,
    JSON.stringify({ plans: [{ id: 'free', name: 'Free', stripePriceId: null, features: [], limits }] }),
  );
  return file;
}

interface Account {
  slug: string;
  accessToken: string;
}

async function signUpWithProjects(url: string): Promise<Account> {
  const account = benchAccount(`rl${randomBytes(5).toString('hex')}`);
  const accessToken = await signUp(url, account);
  for (let i = 0; i < PROJECTS; i++) {
    const created = await fetch(`${url}/api/v1/projects`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tenant': account.slug,
        authorization: `Bearer ${accessToken}`,
      },
      body: JSON.stringify({ name: `Project ${i}` }),
    });
    if (created.status !== 201) throw new Error(`project creation failed: ${created.status}`);
  }
  return { slug: account.slug, accessToken };
}

/** The route with the tenant limit on Redis, and the same handler with the limit skipped. */
function armsFor(account: Account): Record<Mode, Arm> {
  const headers = { 'x-tenant': account.slug, authorization: `Bearer ${account.accessToken}` };
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
        const { path: requestPath } = context.switchToHttp().getRequest<Request>();
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
  const redisHost = process.env.BENCH_REDIS_HOST ?? '127.0.0.1';
  const redisPort = process.env.BENCH_REDIS_PORT ?? '6379';
  progress(`Redis on ${redisHost}:${redisPort}`);
  const benchApp = await session.startApp({
    env: {
      ...QUICK_SIGNUP_ENV,
      REDIS_HOST: redisHost,
      REDIS_PORT: redisPort,
      PLANS_FILE: unlimitedPlansFile(),
    },
    controllers: [UnlimitedProjectsController],
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
      redis: `${redisHost}:${redisPort}`,
      nodeEnv: benchApp.config.env,
      projectsPerTenant: PROJECTS,
    },
  );
}

export const bench = benchOnFreshDatabase(DATABASE_NAME, parseRateLimitOptions, measureRateLimit);
