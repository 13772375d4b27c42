import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startCpuMeter } from '../support/cpu-meter';
import { median, round, summarizeLatencies } from '../support/stats';
import { countStatuses, type JsonLoadGenerator, type JsonRequest } from './json-load';
import type { BenchAccount } from '../support/bench-accounts';

export function loginRequest(account: BenchAccount, password = account.password, email = account.email) {
  const request: JsonRequest = {
    method: 'POST',
    path: '/api/v1/auth/login',
    headers: { 'x-tenant': account.slug },
    body: { email, password },
  };
  return request;
}

export interface LoginRound {
  logins: number;
  loginsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  /** CPU of the API process (this one) per login. */
  cpuMsPerLogin: number;
  /** The API process as a percent of one core. */
  apiCorePercent: number;
  /** How late the API's event loop ran timers meanwhile: what every other request waits on top. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  othersCpuPercent?: number;
}

export interface LoginLoad extends Omit<LoginRound, 'othersCpuPercent'> {
  concurrency: number;
  rounds: LoginRound[];
  /** The most other processes took in any round. */
  othersCpuPercentMax?: number;
}

async function loginRound(
  generator: JsonLoadGenerator,
  baseUrl: string,
  requests: JsonRequest[],
  concurrency: number,
  durationMs: number,
  ourPids: number[],
): Promise<LoginRound> {
  const eventLoop = monitorEventLoopDelay({ resolution: 10 });
  const meter = startCpuMeter(ourPids);
  const cpuAtStart = process.cpuUsage();
  eventLoop.enable();
  const result = await generator.run({ baseUrl, requests, concurrency, durationMs });
  eventLoop.disable();
  const cpu = process.cpuUsage(cpuAtStart);
  const machine = meter.stop();
  const ok = result.samples.filter((sample) => sample.status === 200);
  if (ok.length !== result.samples.length || Object.keys(result.errors).length > 0) {
    throw new Error(
      `logins failed: statuses ${JSON.stringify(countStatuses(result))}, errors ${JSON.stringify(result.errors)}, ` +
        `bodies ${JSON.stringify(result.failureBodies)}`,
    );
  }
  const latency = summarizeLatencies(ok.map((sample) => sample.latencyMs));
  return {
    logins: ok.length,
    loginsPerSecond: round((ok.length / result.elapsedMs) * 1000, 2),
    p50Ms: round(latency.p50, 1),
    p95Ms: round(latency.p95, 1),
    cpuMsPerLogin: round((cpu.user + cpu.system) / 1000 / ok.length, 1),
    apiCorePercent: round(machine.oneCorePercentByPid[process.pid] ?? Number.NaN, 0),
    eventLoopDelayP99Ms: round(eventLoop.percentile(99) / 1e6, 1),
    eventLoopDelayMaxMs: round(eventLoop.max / 1e6, 1),
    othersCpuPercent: machine.othersCpuPercent === undefined ? undefined : round(machine.othersCpuPercent, 1),
  };
}

/** A warm-up round, then `rounds` rounds of valid logins round-robin over the accounts; medians. */
export async function measureLoginLoad(
  generator: JsonLoadGenerator,
  baseUrl: string,
  accounts: BenchAccount[],
  concurrency: number,
  plan: { warmupMs: number; durationMs: number; rounds: number },
  ourPids: number[],
  progress: (line: string) => void,
): Promise<LoginLoad> {
  const requests = accounts.map((account) => loginRequest(account));
  await loginRound(generator, baseUrl, requests, concurrency, plan.warmupMs, ourPids);
  const rounds: LoginRound[] = [];
  for (let index = 0; index < plan.rounds; index++) {
    const measured = await loginRound(generator, baseUrl, requests, concurrency, plan.durationMs, ourPids);
    rounds.push(measured);
    progress(
      `  ${concurrency} connection(s), round ${index + 1}/${plan.rounds}: ${measured.loginsPerSecond} logins/s, ` +
        `p50 ${measured.p50Ms} ms, ${measured.cpuMsPerLogin} CPU ms/login, API ${measured.apiCorePercent}% of a core, ` +
        `event loop p99 ${measured.eventLoopDelayP99Ms} ms` +
        (measured.othersCpuPercent === undefined ? '' : `, others ${measured.othersCpuPercent}% CPU`),
    );
  }
  const of = (field: keyof Omit<LoginRound, 'othersCpuPercent'>) => median(rounds.map((r) => r[field]));
  const others = rounds.flatMap((r) => (r.othersCpuPercent === undefined ? [] : [r.othersCpuPercent]));
  return {
    concurrency,
    logins: rounds.reduce((sum, r) => sum + r.logins, 0),
    loginsPerSecond: of('loginsPerSecond'),
    p50Ms: of('p50Ms'),
    p95Ms: of('p95Ms'),
    cpuMsPerLogin: of('cpuMsPerLogin'),
    apiCorePercent: of('apiCorePercent'),
    eventLoopDelayP99Ms: of('eventLoopDelayP99Ms'),
    eventLoopDelayMaxMs: Math.max(...rounds.map((r) => r.eventLoopDelayMaxMs)),
    othersCpuPercentMax: others.length > 0 ? Math.max(...others) : undefined,
    rounds,
  };
}
