import { type BenchAccount } from '../support/bench-accounts';
import type { LoadArmResult, LoadGenerator, LoadRequest } from '../support/load-generator';
import { median, round, summarizeLatencies } from '../support/stats';
import { countStatuses, type JsonLoadGenerator, type JsonRoundResult, latenciesInOrder } from './json-load';
import { loginRequest } from './login-load';
import { type MainThreadProfile, MainThreadProfiler } from './main-thread-profile';
import { signupRequest } from './signup-runs';

/** One API process of the comparison: the same app and database, hashing in threads or on the event loop. */
export interface HashingArm {
  name: string;
  passwordHashThreads: number;
  url: string;
}

export interface HashingPlan {
  rounds: number;
  durationMs: number;
  loginConcurrency: number;
  signupsPerRound: number;
}

export interface HashingArmResult {
  name: string;
  passwordHashThreads: number;
  /** Other tenants' GET /api/v1/projects, one connection, medians of the rounds. */
  projectsIdleMs: { p50: number; p99: number };
  projectsDuringLoginsMs: { p50: number; p99: number };
  /** p99 during the logins over p99 without them. */
  projectsP99Ratio: number;
  loginsPerSecond: number;
  loginP50Ms: number;
  /** Signups one at a time, over all rounds. */
  signupP50Ms: number;
  signups: number;
  /** The API's main thread during the first round's login burst. */
  profile: MainThreadProfile;
}

interface ArmRound {
  idle: LoadArmResult;
  duringLogins: LoadArmResult;
  logins: JsonRoundResult;
  signupLatencies: number[];
  profile?: MainThreadProfile;
}

function checked(result: LoadArmResult, what: string): LoadArmResult {
  if (result.ok !== result.requests || Object.keys(result.errors).length > 0) {
    throw new Error(
      `${what}: statuses ${JSON.stringify(result.statuses)}, errors ${JSON.stringify(result.errors)}`,
    );
  }
  return result;
}

function checkedLogins(result: JsonRoundResult): JsonRoundResult {
  const failed = result.samples.filter((sample) => sample.status !== 200);
  if (failed.length > 0 || Object.keys(result.errors).length > 0) {
    throw new Error(
      `logins failed: statuses ${JSON.stringify(countStatuses(result))}, errors ${JSON.stringify(result.errors)}, ` +
        `bodies ${JSON.stringify(result.failureBodies)}`,
    );
  }
  return result;
}

/**
 * The two arms interleaved round by round (A B, B A, …), each round: other tenants' GET /projects
 * alone, the same with `loginConcurrency` logins at once, the logins alone, then signups one at a time.
 */
export async function compareHashingArms(
  arms: HashingArm[],
  generators: { gets: LoadGenerator; json: JsonLoadGenerator },
  load: {
    projects: LoadRequest[];
    logins: BenchAccount[];
    signups: (arm: number, round: number) => BenchAccount[];
  },
  plan: HashingPlan,
  progress: (line: string) => void,
): Promise<HashingArmResult[]> {
  const loginRequests = load.logins.map((account) => loginRequest(account));
  const projectsFor = (baseUrl: string, what: string) =>
    generators.gets
      .interleave({
        arms: [{ baseUrl, requests: load.projects }],
        concurrency: 1,
        sliceMs: plan.durationMs,
        slices: 1,
      })
      .then(([result]) => checked(result, what));
  const loginsFor = (baseUrl: string) =>
    generators.json
      .run({
        baseUrl,
        requests: loginRequests,
        concurrency: plan.loginConcurrency,
        durationMs: plan.durationMs,
      })
      .then(checkedLogins);

  const rounds: ArmRound[][] = arms.map(() => []);
  for (let roundIndex = 0; roundIndex < plan.rounds; roundIndex++) {
    const order =
      roundIndex % 2 === 0 ? arms.map((_, index) => index) : arms.map((_, index) => arms.length - 1 - index);
    for (const index of order) {
      const arm = arms[index];
      const idle = await projectsFor(arm.url, `${arm.name}: GET /projects`);
      const profiler = roundIndex === 0 ? new MainThreadProfiler() : undefined;
      await profiler?.start();
      const [duringLogins] = await Promise.all([
        projectsFor(arm.url, `${arm.name}: GET /projects during logins`),
        loginsFor(arm.url),
      ]);
      const profile = await profiler?.stop(
        `auth-login-burst-${arm.passwordHashThreads === 0 ? 'event-loop' : 'threads'}`,
      );
      const logins = await loginsFor(arm.url);
      const accounts = load.signups(index, roundIndex);
      const signups = await generators.json.run({
        baseUrl: arm.url,
        requests: accounts.map(signupRequest),
        concurrency: 1,
      });
      const signupLatencies = latenciesInOrder(signups, accounts.length, 201);
      rounds[index].push({ idle, duringLogins, logins, signupLatencies, profile });
      progress(
        `  ${arm.name}, round ${roundIndex + 1}/${plan.rounds}: GET /projects p99 ${idle.latencyMs.p99.toFixed(1)} ms alone, ` +
          `${duringLogins.latencyMs.p99.toFixed(1)} ms during ${plan.loginConcurrency} logins; ` +
          `${((logins.samples.length / logins.elapsedMs) * 1000).toFixed(2)} logins/s; ` +
          `signup p50 ${summarizeLatencies(signupLatencies).p50.toFixed(0)} ms` +
          (profile ? `; main thread in bcryptjs ${(profile.bcryptShare * 100).toFixed(0)}% of samples` : ''),
      );
    }
  }
  return arms.map((arm, index) => summarizeArm(arm, rounds[index]));
}

function summarizeArm(arm: HashingArm, rounds: ArmRound[]): HashingArmResult {
  const of = (pick: (round: ArmRound) => number) => round(median(rounds.map(pick)), 2);
  const idleP99 = of((r) => r.idle.latencyMs.p99);
  const duringP99 = of((r) => r.duringLogins.latencyMs.p99);
  const signupLatencies = rounds.flatMap((r) => r.signupLatencies);
  const profile = rounds[0].profile;
  if (!profile) throw new Error('the first round is profiled');
  return {
    name: arm.name,
    passwordHashThreads: arm.passwordHashThreads,
    projectsIdleMs: { p50: of((r) => r.idle.latencyMs.p50), p99: idleP99 },
    projectsDuringLoginsMs: { p50: of((r) => r.duringLogins.latencyMs.p50), p99: duringP99 },
    projectsP99Ratio: round(duringP99 / idleP99, 2),
    loginsPerSecond: of((r) => (r.logins.samples.length / r.logins.elapsedMs) * 1000),
    loginP50Ms: of((r) => summarizeLatencies(r.logins.samples.map((sample) => sample.latencyMs)).p50),
    signupP50Ms: round(summarizeLatencies(signupLatencies).p50, 1),
    signups: signupLatencies.length,
    profile,
  };
}
