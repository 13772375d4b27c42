import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BenchOutcome } from '../support/bench';
import {
  benchAccount,
  createProjects,
  ownerHeaders,
  QUICK_SIGNUP_ENV,
  signUp,
} from '../support/bench-accounts';
import { benchEnvironment } from '../support/bench-app';
import { benchRedisEnvironment, redisServerPid } from '../support/bench-redis';
import { benchOnFreshDatabase, type BenchSession } from '../support/bench-session';
import type { ChildServer } from '../support/child-server';
import { type Arm, describeArm, type InterleavedRunner } from '../support/interleaved-runner';
import type { LoadRequest } from '../support/load-generator';
import { RESULTS_DIR } from '../support/report';
import { unlimitedPlansFile } from '../support/unlimited-plans';
import type { HttpAdapterName } from './http-adapter.child';
import { startHttpAdapterProcess } from './http-adapter-process';
import { httpOutcome, type AdapterRun } from './http-report';
import { type HttpBenchOptions, parseHttpOptions } from './http-options';
import { summarizeProfile } from './profile-summary';
import { checkSameAnswers } from './same-answers';

const DATABASE_NAME = 'bench_http';
const PROJECTS = 20;
const ADAPTERS: HttpAdapterName[] = ['express', 'fastify'];

type Servers = Record<HttpAdapterName, ChildServer>;

function armsFor(servers: Servers, request: LoadRequest): Arm[] {
  return ADAPTERS.map((adapter) => ({ name: adapter, requests: [request], server: servers[adapter] }));
}

async function measureHttp(session: BenchSession, options: HttpBenchOptions): Promise<BenchOutcome> {
  const { progress, database } = session;
  // Production as `npm start` runs it: PostgreSQL, Redis, the tenant limiter on (counting, never refusing).
  const env = benchEnvironment(database.endpoint, {
    ...QUICK_SIGNUP_ENV,
    ...benchRedisEnvironment(),
    PLANS_FILE: unlimitedPlansFile(),
    MIGRATIONS_RUN: 'true',
  });
  const start = async (profileFiles?: Record<HttpAdapterName, string>): Promise<Servers> => {
    // One after another: the first migrates the fresh database.
    const express = await startHttpAdapterProcess({
      adapter: 'express',
      env,
      database: database.endpoint,
      profileFile: profileFiles?.express,
    });
    session.closeAtEnd(express);
    const fastify = await startHttpAdapterProcess({
      adapter: 'fastify',
      env,
      database: database.endpoint,
      profileFile: profileFiles?.fastify,
    });
    session.closeAtEnd(fastify);
    return { express, fastify };
  };
  const plan = { concurrency: options.concurrency, sliceMs: options.sliceMs };

  progress('starting the API on express, then on fastify');
  let servers = await start();
  const account = benchAccount('bench-http');
  const owner = { slug: account.slug, accessToken: await signUp(servers.express.url, account) };
  await createProjects(servers.express.url, owner, PROJECTS);
  const request: LoadRequest = { path: '/api/v1/projects', headers: ownerHeaders(owner) };
  const headerDifferences = await checkSameAnswers(servers.express, servers.fastify, request);
  progress(`same status and body; headers that differ: ${headerDifferences.length}`);

  const runner: InterleavedRunner = session.interleavedRunner(servers.express.url);
  runner.countAsOurs(await redisServerPid());
  const measure = async (arms: Arm[], slices: number) => {
    await runner.warmUp(arms, options.concurrency, options.warmupMs);
    return runner.run(arms, { ...plan, slices });
  };

  const runs: AdapterRun[] = [];
  for (let index = 1; index <= options.runs; index++) {
    progress(`${index}. interleaved run, ${options.slices} slices per adapter`);
    const run = await measure(armsFor(servers, request), options.slices);
    for (const arm of run.arms) progress(`  ${arm.name}: ${describeArm(arm)}`);
    runs.push({
      express: run.arms[0],
      fastify: run.arms[1],
      othersCpuPercent: run.othersCpuPercent,
      repeatedForNoise: run.repeatedForNoise,
    });
  }
  await Promise.all(ADAPTERS.map((adapter) => servers[adapter].close()));

  progress('profiled run: both restarted with the profiler on');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const profileFiles = {
    express: path.join(RESULTS_DIR, 'http-express.cpuprofile'),
    fastify: path.join(RESULTS_DIR, 'http-fastify.cpuprofile'),
  };
  servers = await start(profileFiles);
  await checkSameAnswers(servers.express, servers.fastify, request);
  await measure(armsFor(servers, request), options.profileSlices);
  await Promise.all(ADAPTERS.map((adapter) => servers[adapter].close()));

  return httpOutcome({
    options,
    runs,
    profiles: {
      express: summarizeProfile(profileFiles.express),
      fastify: summarizeProfile(profileFiles.fastify),
    },
    headerDifferences,
    waitedForQuietSeconds: runner.waitedForQuietSeconds,
    parameters: { database: DATABASE_NAME, projectsPerTenant: PROJECTS, nodeEnv: env.NODE_ENV },
  });
}

export const bench = benchOnFreshDatabase(DATABASE_NAME, parseHttpOptions, measureHttp);
