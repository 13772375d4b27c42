import { randomBytes } from 'node:crypto';
import type { BenchOutcome } from '../support/bench';
import {
  benchAccount,
  createProjects,
  ownerHeaders,
  QUICK_SIGNUP_ENV,
  signUp,
} from '../support/bench-accounts';
import { benchRedisEnvironment } from '../support/bench-redis';
import { benchOnFreshDatabase, type BenchSession } from '../support/bench-session';
import { type Arm, describeArm } from '../support/interleaved-runner';
import { unlimitedPlansFile } from '../support/unlimited-plans';
import { apiKeysOutcome, JUDGED_ROUTE } from './api-keys-report';
import { type ApiKeysBenchOptions, parseApiKeysOptions } from './api-keys-options';

const DATABASE_NAME = 'bench_api_keys';
const PROJECTS = 20;

async function createApiKey(url: string, slug: string, accessToken: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ownerHeaders({ slug, accessToken }) },
    body: JSON.stringify({ name: 'Bench', scopes: ['projects:read'] }),
  });
  if (response.status !== 201) throw new Error(`API key creation failed: ${response.status}`);
  return ((await response.json()) as { key: string }).key;
}

async function measureApiKeys(session: BenchSession, options: ApiKeysBenchOptions): Promise<BenchOutcome> {
  const { progress } = session;
  const benchApp = await session.startApp({
    env: { ...QUICK_SIGNUP_ENV, ...benchRedisEnvironment(), PLANS_FILE: unlimitedPlansFile() },
  });
  const account = benchAccount(`ak${randomBytes(5).toString('hex')}`);
  const owner = { slug: account.slug, accessToken: await signUp(benchApp.url, account) };
  await createProjects(benchApp.url, owner, PROJECTS);
  const key = await createApiKey(benchApp.url, owner.slug, owner.accessToken);
  const arms: Arm[] = [
    {
      name: `${JUDGED_ROUTE}, access token`,
      requests: [{ path: '/api/v1/projects', headers: ownerHeaders(owner) }],
    },
    {
      name: `${JUDGED_ROUTE}, API key`,
      requests: [{ path: '/api/v1/projects', headers: ownerHeaders({ slug: owner.slug, accessToken: key }) }],
    },
  ];
  const runner = session.interleavedRunner(benchApp.url);
  progress('warming up');
  await runner.warmUp(arms, options.concurrency, options.warmupMs);
  progress(`throughput, ${options.concurrency} connections`);
  const run = await runner.run(arms, {
    concurrency: options.concurrency,
    sliceMs: options.sliceMs,
    slices: options.slices,
  });
  for (const arm of run.arms) progress(`  ${arm.name}: ${describeArm(arm)}`);
  return apiKeysOutcome(
    {
      options,
      accessToken: run.arms[0],
      apiKey: run.arms[1],
      othersCpuPercent: run.othersCpuPercent,
      repeatedForNoise: run.repeatedForNoise,
      waitedForQuietSeconds: runner.waitedForQuietSeconds,
    },
    { database: DATABASE_NAME, nodeEnv: benchApp.config.env, projectsPerTenant: PROJECTS },
  );
}

export const bench = benchOnFreshDatabase(DATABASE_NAME, parseApiKeysOptions, measureApiKeys);
