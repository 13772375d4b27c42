import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ExecutionContext } from '@nestjs/common';
import { RateLimitGuard } from '../../src/rate-limit/rate-limit.guard';
import type { Bench, BenchContext, BenchOutcome } from '../support/bench';
import { startBenchApp, type BenchApp } from '../support/bench-app';
import { createBenchDatabase, type BenchDatabase } from '../support/bench-database';
import { LoadGenerator, type LoadRequest } from '../support/load-generator';
import { describeRound, type MeasuredRound, RoundRunner } from '../support/round-runner';
import {
  type Mode,
  type RouteName,
  rateLimitOutcome,
  ROUTES,
  type RateLimitMeasurements,
} from './ratelimit-report';
import { parseRateLimitOptions, type RateLimitBenchOptions } from './ratelimit-options';
import { RateLimitPingController } from './ratelimit-routes';

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
  const slug = `rl${randomBytes(5).toString('hex')}`;
  const response = await fetch(`${url}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      organizationName: 'Rate limit bench',
      slug,
      name: 'Bench Owner',
      email: `owner@${slug}.example.com`,
      password: `bench-${randomBytes(12).toString('hex')}`,
    }),
  });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${await response.text()}`);
  const { accessToken } = (await response.json()) as { accessToken: string };
  for (let i = 0; i < PROJECTS; i++) {
    const created = await fetch(`${url}/api/v1/projects`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tenant': slug,
        authorization: `Bearer ${accessToken}`,
      },
      body: JSON.stringify({ name: `Project ${i}` }),
    });
    if (created.status !== 201) throw new Error(`project creation failed: ${created.status}`);
  }
  return { slug, accessToken };
}

function requestsFor(account: Account): Record<RouteName, LoadRequest> {
  const tenant = { 'x-tenant': account.slug };
  return {
    'GET /api/v1/projects': {
      path: '/api/v1/projects',
      headers: { ...tenant, authorization: `Bearer ${account.accessToken}` },
    },
    'tenant ping': { path: '/api/v1/bench/ratelimit-ping', headers: tenant },
  };
}

/** Times the limiter guard inside the API: what it adds to a request, Redis round trip included. */
function timeGuard(benchApp: BenchApp): number[] {
  const samples: number[] = [];
  const guard = benchApp.app.get(RateLimitGuard);
  const canActivate = guard.canActivate.bind(guard);
  guard.canActivate = async (context: ExecutionContext) => {
    const startedAt = performance.now();
    try {
      return await canActivate(context);
    } finally {
      samples.push(performance.now() - startedAt);
    }
  };
  return samples;
}

async function runRateLimitBench({ args, progress }: BenchContext): Promise<BenchOutcome> {
  const options: RateLimitBenchOptions = parseRateLimitOptions(args);
  const redisHost = process.env.BENCH_REDIS_HOST ?? '127.0.0.1';
  const redisPort = process.env.BENCH_REDIS_PORT ?? '6379';
  const env = {
    REDIS_HOST: redisHost,
    REDIS_PORT: redisPort,
    PLANS_FILE: unlimitedPlansFile(),
    JWT_SECRET: randomBytes(32).toString('hex'),
    JWT_ACCESS_TTL_SECONDS: '86400',
    BCRYPT_COST: '4',
  };
  progress(`fresh database ${DATABASE_NAME}; Redis on ${redisHost}:${redisPort}`);
  const database: BenchDatabase = await createBenchDatabase(DATABASE_NAME);
  const generator = LoadGenerator.start();
  const apps: Partial<Record<Mode, BenchApp>> = {};
  const measurements: RateLimitMeasurements = {
    options,
    throughput: { on: emptyRuns(), off: emptyRuns() },
    latency: { on: emptyRuns(), off: emptyRuns() },
    guardMs: [],
  };
  try {
    // Both APIs stay up (one idles while the other is measured), so rounds of the two modes can
    // alternate closely and a change in the machine's background load hits both alike.
    for (const mode of ['off', 'on'] as const) {
      apps[mode] = await startBenchApp({
        database: database.endpoint,
        env: { ...env, RATE_LIMIT_ENABLED: mode === 'on' ? 'true' : 'false' },
        controllers: [RateLimitPingController],
      });
    }
    const urls = { off: apps.off!.url, on: apps.on!.url };
    const account = await signUpWithProjects(urls.off);
    const requests = requestsFor(account);
    const guardSamples = timeGuard(apps.on!);
    const runner = (mode: Mode, concurrency: number) =>
      new RoundRunner(generator, database, urls[mode], concurrency, progress);

    for (const route of ROUTES) {
      for (const mode of ['off', 'on'] as const)
        await runner(mode, options.concurrency).run([requests[route]], options.warmupMs);
    }
    for (let index = 0; index < options.rounds; index++) {
      // Alternate which mode goes first, so neither always runs right after the other.
      const modes: Mode[] = index % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      for (const route of ROUTES) {
        for (const mode of modes) {
          const round = await runner(mode, options.concurrency).run([requests[route]], options.durationMs);
          measurements.throughput[mode][route].push(round);
          progress(
            `  round ${index + 1} limiter ${mode}, ${route}, ${options.concurrency} clients: ${describeRound(round)}`,
          );
        }
        for (const mode of modes) {
          guardSamples.length = 0;
          const latency = await runner(mode, 1).run([requests[route]], options.latencyDurationMs);
          measurements.latency[mode][route].push(latency);
          if (mode === 'on' && route === 'GET /api/v1/projects') measurements.guardMs.push(...guardSamples);
          progress(
            `  round ${index + 1} limiter ${mode}, ${route}, 1 client: ` +
              `p50 ${latency.load.latencyMs.p50.toFixed(3)} ms, p99 ${latency.load.latencyMs.p99.toFixed(3)} ms`,
          );
        }
      }
    }
    return rateLimitOutcome(measurements, {
      database: DATABASE_NAME,
      redis: `${redisHost}:${redisPort}`,
      nodeEnv: 'production',
      projectsPerTenant: PROJECTS,
    });
  } finally {
    generator.stop();
    await apps.on?.close();
    await apps.off?.close();
    if (options.keepDatabase) {
      progress(`kept database ${DATABASE_NAME}`);
      await database.close();
    } else {
      await database.drop();
    }
  }
}

function emptyRuns(): Record<RouteName, MeasuredRound[]> {
  return { 'GET /api/v1/projects': [], 'tenant ping': [] };
}

export const bench: Bench = { run: runRateLimitBench };
