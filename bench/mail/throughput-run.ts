import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeResendServer } from '../../test/support/fake-resend.server';
import { startCpuMeter } from '../support/cpu-meter';
import { round } from '../support/stats';
import type { DeliveryWatch } from './delivery-watch';
import type { EnqueuedMail, MailEnqueuer } from './mail-enqueuer';
import type { RetryTap } from './retry-tap';

export interface ThroughputRun {
  offeredPerSecond: number;
  /** What the enqueuer achieved over the run. */
  enqueuedPerSecond: number;
  enqueued: number;
  windowSeconds: number;
  /** Mails that reached the fake within the window, per second: the sustained rate. */
  deliveredPerSecond: number;
  /** Accepted requests in the window, per second, and mails per request. */
  requestsPerSecond: number;
  mailsPerRequest: number;
  rateLimited: number;
  /** Jobs neither sent nor dead at the window's start and end: more than zero means the worker was the limit. */
  backlogAtWindowStart: number;
  backlogAtWindowEnd: number;
  /** From the last enqueue until the last mail arrived. */
  drainSeconds: number;
  delivered: number;
  /** Jobs of this run the worker sent to a retry tier. */
  retried: number;
  /** Enqueued in this run and never received. */
  missing: number;
  workerCorePercent?: number;
  benchCorePercent?: number;
  othersCpuPercent?: number;
}

export interface ThroughputPlan {
  offeredPerSecond: number;
  durationMs: number;
  rampMs: number;
}

/** Transactions in flight at once: the API's pool holds 10 connections. */
const MAX_IN_FLIGHT = 8;
const TICK_MS = 5;
const DRAIN_MS_PER_MAIL = 20;

/**
 * Offers more mail than one worker can send (one transaction per mail, on the clock) and counts what
 * reaches the fake per second once the pipeline is full; afterwards waits until every mail arrived.
 */
export async function measureThroughput(
  enqueuer: MailEnqueuer,
  watch: DeliveryWatch,
  fake: FakeResendServer,
  retryTap: RetryTap,
  plan: ThroughputPlan,
  ourPids: number[],
  workerPid: number | undefined,
  progress: (line: string) => void,
): Promise<ThroughputRun> {
  const requestsBefore = fake.requests.length;
  const mails: EnqueuedMail[] = [];
  const inFlight = new Set<Promise<void>>();
  const failures: Error[] = [];
  const launch = () => {
    const work = enqueuer.enqueue().then(
      (mail) => void mails.push(mail),
      (error: Error) => void failures.push(error),
    );
    inFlight.add(work);
    void work.then(() => inFlight.delete(work));
  };
  const startedAt = Date.now();
  const windowStart = startedAt + plan.rampMs;
  const windowEnd = startedAt + plan.durationMs;
  let launched = 0;
  let backlogAtWindowStart: number | undefined;
  let meter: ReturnType<typeof startCpuMeter> | undefined;
  while (Date.now() < windowEnd && failures.length === 0) {
    const due = Math.floor(((Date.now() - startedAt) * plan.offeredPerSecond) / 1000);
    while (launched < due && inFlight.size < MAX_IN_FLIGHT) {
      launch();
      launched++;
    }
    if (backlogAtWindowStart === undefined && Date.now() >= windowStart) {
      meter = startCpuMeter(ourPids);
      backlogAtWindowStart = await enqueuer.backlog();
      progress(`  window opens: ${mails.length} enqueued, backlog ${backlogAtWindowStart}`);
    }
    await (inFlight.size >= MAX_IN_FLIGHT ? Promise.race(inFlight) : sleep(TICK_MS));
  }
  const cpu = meter?.stop();
  const backlogAtWindowEnd = await enqueuer.backlog();
  await Promise.all(inFlight);
  if (failures.length > 0) throw new Error(`enqueueing failed: ${failures[0].message}`);
  const lastEnqueuedAt = Math.max(...mails.map((mail) => mail.committedAt));
  progress(`  window closes: ${mails.length} enqueued, backlog ${backlogAtWindowEnd}; draining`);

  const jobIds = mails.map((mail) => mail.jobId);
  await watch.waitFor(jobIds, 60_000 + backlogAtWindowEnd * DRAIN_MS_PER_MAIL);
  const receipts = jobIds.map((jobId) => watch.receivedAtOf(jobId));
  const arrived = receipts.filter((at): at is number => at !== undefined);
  const windowSeconds = (windowEnd - windowStart) / 1000;
  const inWindow = (at: number) => at >= windowStart && at < windowEnd;
  const requests = fake.requests.slice(requestsBefore);
  const acceptedInWindow = requests.filter(
    (request) => request.status === 200 && !request.replayed && inWindow(request.at),
  ).length;
  const deliveredInWindow = arrived.filter(inWindow).length;
  return {
    offeredPerSecond: plan.offeredPerSecond,
    enqueuedPerSecond: round((mails.length / (lastEnqueuedAt - startedAt)) * 1000, 1),
    enqueued: mails.length,
    windowSeconds,
    deliveredPerSecond: round(deliveredInWindow / windowSeconds, 1),
    requestsPerSecond: round(acceptedInWindow / windowSeconds, 2),
    mailsPerRequest: round(deliveredInWindow / acceptedInWindow, 1),
    rateLimited: requests.filter((request) => request.status === 429).length,
    backlogAtWindowStart: backlogAtWindowStart ?? 0,
    backlogAtWindowEnd,
    drainSeconds: round((Math.max(...arrived) - lastEnqueuedAt) / 1000, 1),
    delivered: arrived.length,
    retried: new Set(retryTap.retriesOf(jobIds).map((retry) => retry.jobId)).size,
    missing: receipts.length - arrived.length,
    workerCorePercent:
      workerPid === undefined ? undefined : round(cpu?.oneCorePercentByPid[workerPid] ?? 0, 1),
    benchCorePercent: round(cpu?.oneCorePercentByPid[process.pid] ?? 0, 1),
    othersCpuPercent: cpu?.othersCpuPercent === undefined ? undefined : round(cpu.othersCpuPercent, 1),
  };
}
