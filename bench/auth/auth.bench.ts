import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { DataSource } from 'typeorm';
import { signUp } from '../support/bench-accounts';
import type { LoadRequest } from '../support/load-generator';
import { LoadGenerator } from '../support/load-generator';
import type { BenchOutcome } from '../support/bench';
import { benchOnFreshDatabase, type BenchSession } from '../support/bench-session';
import { authOutcome, HASHING_LOGIN_CONCURRENCY } from './auth-report';
import { type AuthBenchOptions, parseAuthOptions } from './auth-options';
import { timeBcrypt } from './bcrypt-timing';
import { measureEnumerationTiming } from './enumeration-timing';
import { compareHashingArms, type HashingArmResult } from './hashing-arms';
import { JsonLoadGenerator } from './json-load';
import { type LoginLoad, measureLoginLoad } from './login-load';
import { watchSignupPhases } from './signup-phases';
import { benchAccounts, runSignups, type SignupRun } from './signup-runs';
import type { BenchAccount } from '../support/bench-accounts';

const DATABASE_NAME = 'bench_auth';
const WARMUP_SIGNUPS = 2;
/** Tenants whose GET /projects table 5 times, and the first account number of its signups. */
const OTHER_TENANTS = 8;
const HASHING_ACCOUNTS_FROM = 50_000;

/**
 * Table 5: a second app on the same database hashing on the event loop, against the first (threads),
 * in interleaved rounds.
 */
async function measureHashingArms(
  { closeAtEnd, startApp, progress }: BenchSession,
  options: AuthBenchOptions,
  threads: { url: string; env: Record<string, string>; passwordHashThreads: number },
  generator: JsonLoadGenerator,
  logins: BenchAccount[],
): Promise<HashingArmResult[]> {
  const eventLoop = await startApp({ env: { ...threads.env, PASSWORD_HASH_THREADS: '0' } });
  const gets = closeAtEnd(LoadGenerator.start());
  const others = benchAccounts(HASHING_ACCOUNTS_FROM, OTHER_TENANTS);
  const projects: LoadRequest[] = [];
  for (const account of others) {
    const token = await signUp(threads.url, account);
    projects.push({
      path: '/api/v1/projects',
      headers: { 'x-tenant': account.slug, authorization: `Bearer ${token}` },
    });
  }
  const perArm = options.hashingRounds * options.hashingSignups;
  progress(
    `5. worker threads vs event loop: ${options.hashingRounds} interleaved round(s) of ` +
      `${options.hashingPhaseMs / 1000} s phases, ${HASHING_LOGIN_CONCURRENCY} logins at once`,
  );
  return compareHashingArms(
    [
      { name: 'worker threads', passwordHashThreads: threads.passwordHashThreads, url: threads.url },
      { name: 'event loop', passwordHashThreads: 0, url: eventLoop.url },
    ],
    { gets, json: generator },
    {
      projects,
      logins,
      signups: (arm, round) =>
        benchAccounts(
          HASHING_ACCOUNTS_FROM + OTHER_TENANTS + arm * perArm + round * options.hashingSignups,
          options.hashingSignups,
        ),
    },
    {
      rounds: options.hashingRounds,
      durationMs: options.hashingPhaseMs,
      loginConcurrency: HASHING_LOGIN_CONCURRENCY,
      signupsPerRound: options.hashingSignups,
    },
    progress,
  );
}

/** The bcrypt cost the signups really used, read back from a stored hash. */
async function storedCost(dataSource: DataSource, slug: string): Promise<number> {
  const [{ schema_name: schema }] = await dataSource.query<{ schema_name: string }[]>(
    'SELECT schema_name FROM public.tenants WHERE slug = $1',
    [slug],
  );
  const [{ password_hash: hash }] = await dataSource.query<{ password_hash: string }[]>(
    `SELECT i.password_hash FROM "${schema}".memberships m JOIN public.identities i ON i.id = m.identity_id LIMIT 1`,
  );
  return bcrypt.getRounds(hash);
}

async function measureAuth(session: BenchSession, options: AuthBenchOptions): Promise<BenchOutcome> {
  const { database, progress, closeAtEnd, startApp } = session;
  const generator = closeAtEnd(JsonLoadGenerator.start());
  const env = {
    // Table 5's second app must accept the access tokens the first one signs.
    JWT_SECRET: randomBytes(32).toString('hex'),
    // The per-IP limit of public routes (30/min) would stop signup and login load; it has a bench of its own.
    RATE_LIMIT_ENABLED: 'false',
    // Only failures count; the timing comparison fails logins on purpose, from one IP.
    LOGIN_MAX_FAILURES: '1000',
    LOGIN_MAX_FAILURES_PER_IP: '100000',
    // As deployed: the API only writes the welcome mail to the outbox, a separate worker sends it.
    // The API opens no RabbitMQ connection for that (only its readiness check would).
    RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
  };
  const { app, config, url } = await startApp({ env });
  const dataSource = app.get(DataSource);

  progress(`1. bcryptjs at cost ${config.auth.bcryptCost}: ${options.hashSamples} hashes, as many compares`);
  const bcryptTimes = await timeBcrypt(config.auth.bcryptCost, options.hashSamples);
  progress(`  hash p50 ${bcryptTimes.hash.p50Ms} ms, compare p50 ${bcryptTimes.compare.p50Ms} ms`);

  const phases = watchSignupPhases(app);
  const signups: SignupRun[] = [];
  const warmup = benchAccounts(0, WARMUP_SIGNUPS);
  await runSignups(generator, url, warmup, 1, phases.take, await database.ourPids(generator.pid));
  progress(`2. ${options.signups} signups one at a time`);
  const sequential = benchAccounts(WARMUP_SIGNUPS, options.signups);
  signups.push(
    await runSignups(generator, url, sequential, 1, phases.take, await database.ourPids(generator.pid)),
  );
  progress(`  p50 ${signups[0].latencyMs.p50} ms, p95 ${signups[0].latencyMs.p95} ms`);
  progress(`   ${options.concurrentSignups} signups ${options.signupConcurrency} at a time`);
  const concurrent = benchAccounts(WARMUP_SIGNUPS + options.signups, options.concurrentSignups);
  signups.push(
    await runSignups(
      generator,
      url,
      concurrent,
      options.signupConcurrency,
      phases.take,
      await database.ourPids(generator.pid),
    ),
  );
  progress(`  p50 ${signups[1].latencyMs.p50} ms, ${signups[1].signupsPerSecond} signups/s`);
  phases.stop();
  const costInStoredHashes = await storedCost(dataSource, sequential[0].slug);
  const accounts = [...sequential, ...concurrent];

  progress(`3. ${options.timingPairs} wrong-password logins for known emails vs unknown emails`);
  const enumeration = await measureEnumerationTiming(generator, url, accounts, options.timingPairs);
  progress(
    `  known p50 ${enumeration.knownEmail.p50Ms} ms, unknown p50 ${enumeration.unknownEmail.p50Ms} ms`,
  );

  const logins: LoginLoad[] = [];
  for (const concurrency of options.loginConcurrency) {
    progress(`4. login load, ${concurrency} connection(s)`);
    logins.push(
      await measureLoginLoad(
        generator,
        url,
        accounts,
        concurrency,
        { warmupMs: options.warmupMs, durationMs: options.durationMs, rounds: options.loginRounds },
        await database.ourPids(generator.pid),
        progress,
      ),
    );
  }

  const hashing = await measureHashingArms(
    session,
    options,
    { url, env, passwordHashThreads: config.auth.passwordHashThreads },
    generator,
    accounts,
  );

  const [{ server_version: postgresVersion }] =
    await dataSource.query<{ server_version: string }[]>('SHOW server_version');
  return authOutcome({
    options,
    parameters: {
      database: DATABASE_NAME,
      postgres: postgresVersion,
      bcryptCost: config.auth.bcryptCost,
      bcryptCostInStoredHashes: costInStoredHashes,
      passwordHashThreads: config.auth.passwordHashThreads,
      passwordHashMaxQueue: config.auth.passwordHashMaxQueue,
      poolSize: config.database.poolSize,
      nodeEnv: config.env,
      logLevel: config.log.level,
      rateLimitEnabled: config.rateLimit.enabled,
      loginFailureCounter: config.redis ? 'redis' : 'memory',
    },
    bcrypt: bcryptTimes,
    signups,
    enumeration,
    logins,
    hashing,
  });
}

export const bench = benchOnFreshDatabase(DATABASE_NAME, parseAuthOptions, measureAuth);
