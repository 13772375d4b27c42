import os from 'node:os';
import { type BenchOutcome, type Table, verdict, type Verdict } from '../support/bench';
import { sharedMachineNote } from '../support/machine-load';
import { orDash } from '../support/report';
import { round } from '../support/stats';
import type { AuthBenchOptions } from './auth-options';
import type { BcryptTimes } from './bcrypt-timing';
import type { EnumerationTiming } from './enumeration-timing';
import type { HashingArmResult } from './hashing-arms';
import { hashingNote, hashingTable, hashingVerdicts } from './hashing-report';
import type { LoginLoad } from './login-load';
import type { SignupRun } from './signup-runs';

export interface AuthMeasurements {
  options: AuthBenchOptions;
  parameters: Record<string, unknown>;
  bcrypt: BcryptTimes;
  /** One at a time first, then the concurrent run. */
  signups: SignupRun[];
  enumeration: EnumerationTiming;
  logins: LoginLoad[];
  /** Worker threads vs event loop, interleaved. */
  hashing: HashingArmResult[];
}

/** "The same work for unknown emails": bcrypt dominates both answers, so their p50s should meet. */
const ENUMERATION_P50_DIFFERENCE_PERCENT = 5;

/** The burst of the issue: 8 logins at once. */
export const HASHING_LOGIN_CONCURRENCY = 8;

const percent = (share: number) => `${(share * 100).toFixed(0)}%`;

function bcryptTable({ bcrypt }: AuthMeasurements): Table {
  return {
    title: `1. bcryptjs ${bcrypt.cost === 12 ? '(cost 12, the default)' : `(cost ${bcrypt.cost})`}, one at a time, API idle`,
    columns: ['operation', 'samples', 'p50 ms', 'mean ms', 'max ms', 'CPU ms'],
    rows: (['hash', 'compare'] as const).map((operation) => {
      const times = bcrypt[operation];
      return [operation, times.samples, times.p50Ms, times.meanMs, times.maxMs, times.cpuMsMean];
    }),
  };
}

function signupTable({ signups }: AuthMeasurements): Table {
  return {
    title:
      '2. Signup, POST /api/v1/signup: hashing, then provisioning (tenant, schema, migrations, owner) in one transaction',
    columns: [
      'at a time',
      'signups',
      'signups/s',
      'p50 ms',
      'p95 ms',
      'max ms',
      'hash ms*',
      'provision ms*',
      'of it migrations*',
      'other ms*',
      'hash share',
      'API % core',
      'others CPU %',
    ],
    rows: signups.map((run) => [
      run.concurrency,
      run.signups,
      run.signupsPerSecond.toFixed(2),
      run.latencyMs.p50.toFixed(1),
      run.latencyMs.p95.toFixed(1),
      run.latencyMs.max.toFixed(1),
      run.phasesMeanMs.hash.toFixed(1),
      run.phasesMeanMs.provision.toFixed(1),
      run.phasesMeanMs.migrate.toFixed(1),
      run.phasesMeanMs.other.toFixed(1),
      percent(run.hashShareOfLatency),
      run.apiCorePercent,
      orDash(run.othersCpuPercent),
    ]),
  };
}

function loginTable(m: AuthMeasurements): Table {
  const compareCpuMs = m.bcrypt.compare.cpuMsMean;
  return {
    title:
      `3. Login, POST /api/v1/auth/login with valid credentials over ${m.signups.reduce((sum, run) => sum + run.signups, 0)} ` +
      `tenants: medians of ${m.options.loginRounds} × ${m.options.durationMs / 1000} s rounds`,
    columns: [
      'connections',
      'logins/s',
      'p50 ms',
      'p95 ms',
      'CPU ms/login',
      'compare share**',
      'API % core',
      'one-thread ceiling/s**',
      'event loop p99 ms',
      'event loop max ms',
      'others CPU % max',
    ],
    rows: m.logins.map((load) => [
      load.concurrency,
      load.loginsPerSecond.toFixed(2),
      load.p50Ms.toFixed(1),
      load.p95Ms.toFixed(1),
      load.cpuMsPerLogin.toFixed(1),
      percent(compareCpuMs / load.cpuMsPerLogin),
      load.apiCorePercent,
      (1000 / compareCpuMs).toFixed(2),
      load.eventLoopDelayP99Ms.toFixed(1),
      load.eventLoopDelayMaxMs.toFixed(1),
      orDash(load.othersCpuPercentMax),
    ]),
  };
}

function enumerationTable({ enumeration: e }: AuthMeasurements): Table {
  return {
    title: `4. Failed login, known email (wrong password) vs unknown email: ${e.pairs} alternating pairs, one at a time`,
    columns: ['case', 'samples', 'p50 ms', 'mean ms', 'p95 ms', 'answer'],
    rows: [
      [
        'known email, wrong password',
        e.knownEmail.samples,
        e.knownEmail.p50Ms,
        e.knownEmail.meanMs,
        e.knownEmail.p95Ms,
        e.knownAnswer,
      ],
      [
        'unknown email',
        e.unknownEmail.samples,
        e.unknownEmail.p50Ms,
        e.unknownEmail.meanMs,
        e.unknownEmail.p95Ms,
        e.unknownAnswer,
      ],
    ],
  };
}

function verdicts({ enumeration, hashing }: AuthMeasurements): Verdict[] {
  return [
    ...hashingVerdicts(hashing),
    verdict({
      target: 'failed login p50, unknown vs known email: |difference| / known',
      kind: 'ratio',
      measured: enumeration.p50DifferencePercent,
      limit: ENUMERATION_P50_DIFFERENCE_PERCENT,
      comparison: '<=',
      unit: '%',
      note:
        enumeration.knownAnswer === enumeration.unknownAnswer
          ? undefined
          : `the answers differ: ${enumeration.knownAnswer} vs ${enumeration.unknownAnswer}`,
    }),
  ];
}

function loadNote(m: AuthMeasurements): string {
  return sharedMachineNote(
    [
      ...m.signups.map((run) => ({
        phase: `signups ${run.concurrency} at a time`,
        othersCpuPercent: run.othersCpuPercent,
      })),
      ...m.logins.map((load) => ({
        phase: `logins, ${load.concurrency} connection(s), most of any round`,
        othersCpuPercent: load.othersCpuPercentMax,
      })),
    ],
    'Login figures are medians of rounds, which damp one disturbed round; each round’s share is in the JSON.',
  );
}

function eventLoopNote(m: AuthMeasurements): string {
  const busiest = m.logins.reduce((most, load) => (load.concurrency > most.concurrency ? load : most));
  return (
    `Event loop delay: how late the API ran a 10 ms timer during the login rounds. With ${busiest.concurrency} ` +
    `logins in flight it stalled up to ${busiest.eventLoopDelayMaxMs} ms (p99 ${busiest.eventLoopDelayP99Ms} ms). ` +
    'On the event loop (PASSWORD_HASH_THREADS=0) bcryptjs computes in slices of at least 100 ms queued with ' +
    'setImmediate, all pending slices run in one pass of the loop, and every other request of the process waits ' +
    'about 100 ms per hash in progress; table 5 compares the two.'
  );
}

export function authOutcome(m: AuthMeasurements): BenchOutcome {
  const [oneAtATime] = m.signups;
  const { hash, compare } = m.bcrypt;
  const notes = [
    `bcrypt cost ${m.bcrypt.cost} (BCRYPT_COST unset, the default; the stored hashes say cost ` +
      `${String(m.parameters.bcryptCostInStoredHashes)}). Hashing alone takes ${hash.p50Ms} ms (p50) and a compare ` +
      `${compare.p50Ms} ms: ${percent(hash.p50Ms / oneAtATime.latencyMs.p50)} of the one-at-a-time signup p50 ` +
      `(${oneAtATime.latencyMs.p50} ms); the timed hash phase inside the signups, ${percent(oneAtATime.hashShareOfLatency)} of their mean.`,
    'Latencies are measured by the client, a child process sending JSON over keep-alive connections; the API ' +
      'runs in the bench process in production mode. * Phase times are means of wall time, taken by wrapping ' +
      'PasswordHasher.hash, TenantProvisioningService.provision and TenantSchemaMigrator.migrate in the running ' +
      'app; "other" is the rest of the request (HTTP, validation, token signing). With several signups at once ' +
      'each phase also holds the time spent waiting for the shared event loop.',
    `** bcryptjs runs in the API's ${String(m.parameters.passwordHashThreads)} password hash thread(s) (the process's ` +
      `CPU per login counts them): the compare's CPU time (${compare.cpuMsMean} ms) over it gives the compare share, ` +
      `and ${(1000 / compare.cpuMsMean).toFixed(2)}/s is what one thread can check, on ${os.cpus().length} core(s) here ` +
      'shared with PostgreSQL, the load generator and the event loop.',
    eventLoopNote(m),
    hashingNote(m.hashing),
    'Rate limiting is off (RATE_LIMIT_ENABLED=false, its per-IP limit of public routes would stop the load); ' +
      `failed-login counting is in memory (no REDIS_HOST) with limits raised for the timing comparison. RABBITMQ_URL ` +
      'is set as deployed, so the API only writes the welcome mail to the outbox.',
    loadNote(m),
  ];
  if (m.options.quick)
    notes.unshift('Quick run: few samples and short rounds; not the measurement of record.');
  return {
    quick: m.options.quick,
    parameters: {
      hashSamples: m.options.hashSamples,
      signups: m.options.signups,
      concurrentSignups: m.options.concurrentSignups,
      signupConcurrency: m.options.signupConcurrency,
      loginConcurrency: m.options.loginConcurrency,
      loginRounds: m.options.loginRounds,
      warmupSeconds: m.options.warmupMs / 1000,
      roundSeconds: m.options.durationMs / 1000,
      timingPairs: m.options.timingPairs,
      ...m.parameters,
    },
    tables: [
      bcryptTable(m),
      signupTable(m),
      loginTable(m),
      enumerationTable(m),
      hashingTable(m.hashing, HASHING_LOGIN_CONCURRENCY, m.options.hashingRounds),
    ],
    verdicts: verdicts(m),
    results: {
      bcrypt: m.bcrypt,
      signups: m.signups,
      logins: m.logins.map((load) => ({
        ...load,
        compareShareOfCpu: round(m.bcrypt.compare.cpuMsMean / load.cpuMsPerLogin, 3),
        oneThreadCeilingPerSecond: round(1000 / m.bcrypt.compare.cpuMsMean, 2),
      })),
      enumeration: m.enumeration,
      hashing: m.hashing,
    },
    notes,
  };
}
