import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeResendServer } from '../../test/support/fake-resend.server';
import { startCpuMeter } from '../support/cpu-meter';
import { median, round, summarizeLatencies } from '../support/stats';
import type { DeliveryWatch } from './delivery-watch';
import type { EnqueuedMail, MailEnqueuer } from './mail-enqueuer';
import type { RetryTap } from './retry-tap';

export interface LatencyRun {
  name: string;
  mails: number;
  /** Mails enqueued per second over the run, as it happened. */
  enqueuedPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  minMs: number;
  /** Mails that took longer than half a second: they waited for a request slot or a retry. */
  slowerThanHalfSecond: number;
  /** Commit → the relay marked the job published (broker confirm included): p50 and p95. */
  relayP50Ms: number;
  relayP95Ms: number;
  /** Published → the fake's receipt (delivery, worker, throttle wait, HTTP): p50 and p95. */
  workerP50Ms: number;
  workerP95Ms: number;
  /** Accepted requests to the fake during the run, and mails per request. */
  requests: number;
  mailsPerRequest: number;
  rateLimited: number;
  /** Jobs the worker sent to a retry tier, and how long after the relay's `published_at` it did so (median). */
  retried: number;
  retriedAfterPublishMs?: number;
  workerCorePercent?: number;
  othersCpuPercent?: number;
}

export interface LatencyContext {
  enqueuer: MailEnqueuer;
  watch: DeliveryWatch;
  fake: FakeResendServer;
  retryTap: RetryTap;
  ourPids: () => number[];
  workerPid?: number;
}

const ARRIVAL_TIMEOUT_MS = 60_000;
/** Longer than the worker's throttle window (1 s + 50 ms), so a run starts with both request slots free. */
const SETTLE_MS = 1500;

async function measure(
  name: string,
  context: LatencyContext,
  send: () => Promise<EnqueuedMail[]>,
): Promise<LatencyRun> {
  const { watch, fake } = context;
  await sleep(SETTLE_MS);
  const requestsBefore = fake.requests.length;
  const meter = startCpuMeter(context.ourPids());
  const mails = await send();
  const jobIds = mails.map((mail) => mail.jobId);
  if (!(await watch.waitFor(jobIds, ARRIVAL_TIMEOUT_MS))) {
    throw new Error(`${name}: not every mail reached the fake within ${ARRIVAL_TIMEOUT_MS / 1000} s`);
  }
  const cpu = meter.stop();
  const latencies = mails.map((mail) => watch.receivedAtOf(mail.jobId)! - mail.committedAt);
  const summary = summarizeLatencies(latencies);
  const publishedAt = await context.enqueuer.publishedAt(jobIds);
  const relay = summarizeLatencies(mails.map((mail) => publishedAt.get(mail.jobId)! - mail.committedAt));
  const worker = summarizeLatencies(
    mails.map((mail) => watch.receivedAtOf(mail.jobId)! - publishedAt.get(mail.jobId)!),
  );
  const requests = fake.requests.slice(requestsBefore);
  const retries = context.retryTap.retriesOf(jobIds);
  const accepted = requests.filter((request) => request.status === 200 && !request.replayed).length;
  const span = mails[mails.length - 1].committedAt - mails[0].committedAt;
  return {
    name,
    mails: mails.length,
    enqueuedPerSecond: round(((mails.length - 1) / span) * 1000, 2),
    p50Ms: summary.p50,
    p95Ms: summary.p95,
    maxMs: summary.max,
    minMs: Math.min(...latencies),
    slowerThanHalfSecond: latencies.filter((ms) => ms > 500).length,
    relayP50Ms: round(relay.p50, 1),
    relayP95Ms: round(relay.p95, 1),
    workerP50Ms: round(worker.p50, 1),
    workerP95Ms: round(worker.p95, 1),
    requests: accepted,
    mailsPerRequest: round(mails.length / accepted, 2),
    rateLimited: requests.filter((request) => request.status === 429).length,
    retried: new Set(retries.map((retry) => retry.jobId)).size,
    retriedAfterPublishMs:
      retries.length === 0
        ? undefined
        : round(median(retries.map((retry) => retry.at - publishedAt.get(retry.jobId)!)), 1),
    workerCorePercent:
      context.workerPid === undefined ? undefined : round(cpu.oneCorePercentByPid[context.workerPid] ?? 0, 1),
    othersCpuPercent: cpu.othersCpuPercent === undefined ? undefined : round(cpu.othersCpuPercent, 1),
  };
}

/** Closed loop: each mail is enqueued as soon as the previous one reached the fake. */
export function oneAfterAnother(context: LatencyContext, count: number): Promise<LatencyRun> {
  return measure('one after another (each once the previous arrived)', context, async () => {
    const mails: EnqueuedMail[] = [];
    for (let index = 0; index < count; index++) {
      const mail = await context.enqueuer.enqueue();
      mails.push(mail);
      await context.watch.waitFor([mail.jobId], ARRIVAL_TIMEOUT_MS);
    }
    return mails;
  });
}

/** Open loop: one mail every 1/rate seconds, on the clock, whatever the pipeline is doing. */
export function fixedRate(context: LatencyContext, count: number, perSecond: number): Promise<LatencyRun> {
  return measure(`${perSecond} mail${perSecond === 1 ? '' : 's'}/s, evenly spaced`, context, async () => {
    const startedAt = Date.now();
    const pending: Promise<EnqueuedMail>[] = [];
    for (let index = 0; index < count; index++) {
      const dueAt = startedAt + (index * 1000) / perSecond;
      if (dueAt > Date.now()) await sleep(dueAt - Date.now());
      pending.push(context.enqueuer.enqueue());
    }
    return Promise.all(pending);
  });
}
