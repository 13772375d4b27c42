import { type Table, verdict, type Verdict } from '../support/bench';
import type { HashingArmResult } from './hashing-arms';

/** The issue's target: other tenants' p99 during a login burst at most 1.5× their p99 without one. */
export const PROJECTS_P99_RATIO_LIMIT = 1.5;

const percent = (share: number) => `${(share * 100).toFixed(0)}%`;

export function hashingTable(arms: HashingArmResult[], loginConcurrency: number, rounds: number): Table {
  return {
    title:
      `5. Password hashing in worker threads vs on the event loop (PASSWORD_HASH_THREADS=0), ${rounds} interleaved ` +
      `round(s): other tenants' GET /api/v1/projects (1 connection) alone and during ${loginConcurrency} concurrent logins`,
    columns: [
      'arm',
      'threads',
      'GET p50 ms alone',
      'GET p99 ms alone',
      'GET p50 ms in logins',
      'GET p99 ms in logins',
      'p99 ratio',
      'logins/s',
      'login p50 ms',
      'signup p50 ms',
      'main thread in bcryptjs',
      'main thread top function',
    ],
    rows: arms.map((arm) => [
      arm.name,
      arm.passwordHashThreads,
      arm.projectsIdleMs.p50.toFixed(2),
      arm.projectsIdleMs.p99.toFixed(2),
      arm.projectsDuringLoginsMs.p50.toFixed(2),
      arm.projectsDuringLoginsMs.p99.toFixed(2),
      `${arm.projectsP99Ratio.toFixed(2)}×`,
      arm.loginsPerSecond.toFixed(2),
      arm.loginP50Ms.toFixed(0),
      arm.signupP50Ms.toFixed(0),
      percent(arm.profile.bcryptShare),
      `${arm.profile.topFunction} (${percent(arm.profile.topShare)})`,
    ]),
  };
}

export function hashingVerdicts(arms: HashingArmResult[]): Verdict[] {
  return arms
    .filter((arm) => arm.passwordHashThreads > 0)
    .map((arm) =>
      verdict({
        target: `GET /projects p99 during logins / without, ${arm.name}`,
        kind: 'ratio',
        measured: arm.projectsP99Ratio,
        limit: PROJECTS_P99_RATIO_LIMIT,
        comparison: '<=',
        unit: '×',
      }),
    );
}

export function hashingNote(arms: HashingArmResult[]): string {
  const [threads, eventLoop] = [
    arms.find((arm) => arm.passwordHashThreads > 0),
    arms.find((arm) => arm.passwordHashThreads === 0),
  ];
  const profiles = arms.map((arm) => `${arm.name}: ${arm.profile.file}`).join(', ');
  return (
    'Table 5: two API processes’ worth of app in this process on the same database, one hashing in worker threads ' +
    '(nice 19), one on the event loop; only the arm being measured gets load. Each round runs the GET load alone, ' +
    'then with the logins, then the logins alone (logins/s), then signups one at a time. ' +
    (threads && eventLoop
      ? `Logins/s: ${threads.loginsPerSecond.toFixed(2)} with threads vs ${eventLoop.loginsPerSecond.toFixed(2)} on the event loop. `
      : '') +
    `The main thread was profiled (V8 CPU profiler, as node --cpu-prof) during the first round's login burst: ${profiles}.`
  );
}
