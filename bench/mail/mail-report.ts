import { type BenchOutcome, type Table, verdict, type Verdict } from '../support/bench';
import { sharedMachineNote } from '../support/machine-load';
import { orDash } from '../support/report';
import { round } from '../support/stats';
import type { LatencyRun } from './latency-runs';
import type { MailBenchOptions } from './mail-options';
import { mailNotes } from './mail-notes';
import type { ThroughputRun } from './throughput-run';

export interface DeliveryIntegrity {
  /** Outbox rows: every mail of the run, warm-up included. */
  enqueued: number;
  /** Mails the fake delivered, repeats included. */
  received: number;
  duplicates: number;
  deadLettered: number;
  /** Still neither sent nor dead at the end. */
  backlog: number;
  rateLimited: number;
  /** Answers of the fake other than 200 (429s included). */
  failedRequests: number;
  /** Jobs the worker sent to a retry tier at least once. */
  retried: number;
}

export interface MailMeasurements {
  options: MailBenchOptions;
  parameters: Record<string, unknown>;
  /** One after another, the light-load rate (judged), the steady stream above the request limit. */
  latency: LatencyRun[];
  throughput: ThroughputRun;
  integrity: DeliveryIntegrity;
}

const SUSTAINED_MAILS_PER_SECOND = 150;
const LIGHT_LOAD_P50_MS = 200;
const MAX_BATCH = 100;
/** The worker's throttle: 2 requests per rolling second plus a 50 ms margin. */
const THROTTLE_WINDOW_MS = 1050;

function latencyTable(m: MailMeasurements): Table {
  return {
    title: `1. Commit-to-receipt latency, one worker, the fake Resend at ${String(m.parameters.fakeRequestsPerSecond)} requests/s`,
    columns: [
      'load',
      'mails',
      'enqueued/s',
      'p50 ms',
      'p95 ms',
      'max ms',
      '> 500 ms',
      'relay p50/p95 ms*',
      'after publish p50/p95 ms*',
      'requests',
      'mails/request',
      '429s',
      'retried',
      'worker % core',
      'others CPU %',
    ],
    rows: m.latency.map((run, index) => [
      index === 1 ? `${run.name} (light load, judged)` : run.name,
      run.mails,
      run.enqueuedPerSecond.toFixed(2),
      run.p50Ms,
      run.p95Ms,
      run.maxMs,
      run.slowerThanHalfSecond,
      `${run.relayP50Ms.toFixed(0)} / ${run.relayP95Ms.toFixed(0)}`,
      `${run.workerP50Ms.toFixed(0)} / ${run.workerP95Ms.toFixed(0)}`,
      run.requests,
      run.mailsPerRequest.toFixed(2),
      run.rateLimited,
      run.retried,
      orDash(run.workerCorePercent),
      orDash(run.othersCpuPercent),
    ]),
  };
}

function throughputTable({ throughput: t }: MailMeasurements): Table {
  return {
    title: `2. Sustained throughput, outbox → RabbitMQ → one worker → fake Resend: deliveries in a ${t.windowSeconds} s window`,
    columns: [
      'offered/s',
      'enqueued/s',
      'mails/s',
      'requests/s',
      'mails/request',
      'backlog start → end',
      'drain s',
      'worker % core',
      'bench % core',
      'others CPU %',
    ],
    rows: [
      [
        t.offeredPerSecond,
        t.enqueuedPerSecond.toFixed(1),
        t.deliveredPerSecond.toFixed(1),
        t.requestsPerSecond.toFixed(2),
        t.mailsPerRequest.toFixed(1),
        `${t.backlogAtWindowStart} → ${t.backlogAtWindowEnd}`,
        t.drainSeconds.toFixed(1),
        orDash(t.workerCorePercent),
        orDash(t.benchCorePercent),
        orDash(t.othersCpuPercent),
      ],
    ],
  };
}

function integrityTable({ integrity: i, throughput: t }: MailMeasurements): Table {
  return {
    title: '3. Delivery check over the whole run (counted by X-Mail-Job-Id)',
    columns: ['check', 'mails'],
    rows: [
      ['enqueued (outbox rows, warm-up included)', i.enqueued],
      ['received by the fake', i.received],
      ['delivered twice', i.duplicates],
      ['never arrived (throughput run)', t.missing],
      ['dead-lettered', i.deadLettered],
      ['left unsent in the outbox', i.backlog],
      ['fake answers other than 200 (429s included)', i.failedRequests],
      ['jobs the worker put in a retry tier', i.retried],
    ],
  };
}

function verdicts(m: MailMeasurements): Verdict[] {
  const light = m.latency[1];
  return [
    verdict({
      target: 'sustained mails/s, one worker, 2 requests/s',
      kind: 'absolute',
      measured: m.throughput.deliveredPerSecond,
      limit: SUSTAINED_MAILS_PER_SECOND,
      comparison: '>=',
      unit: 'mails/s',
    }),
    verdict({
      target: `commit-to-receipt p50 at light load (${light.name})`,
      kind: 'absolute',
      measured: light.p50Ms,
      limit: LIGHT_LOAD_P50_MS,
      comparison: '<=',
      unit: 'ms',
    }),
    verdict({
      target: 'mails delivered twice or never (whole run)',
      kind: 'absolute',
      measured: m.integrity.duplicates + m.throughput.missing,
      limit: 0,
      comparison: '<=',
      unit: '',
    }),
  ];
}

function loadNote(m: MailMeasurements): string {
  return sharedMachineNote([
    ...m.latency.map((run) => ({ phase: run.name, othersCpuPercent: run.othersCpuPercent })),
    { phase: 'throughput window', othersCpuPercent: m.throughput.othersCpuPercent },
  ]);
}

export function mailOutcome(m: MailMeasurements): BenchOutcome {
  const notes = [...mailNotes(m, { throttleWindowMs: THROTTLE_WINDOW_MS, maxBatch: MAX_BATCH }), loadNote(m)];
  if (m.options.quick)
    notes.unshift('Quick run: few mails and a short window; not the measurement of record.');
  return {
    quick: m.options.quick,
    parameters: {
      latencyMails: m.options.latencyMails,
      lightRatePerSecond: m.options.lightRatePerSecond,
      streamRatePerSecond: m.options.streamRatePerSecond,
      offeredPerSecond: m.options.offeredPerSecond,
      throughputSeconds: m.options.throughputDurationMs / 1000,
      rampSeconds: m.options.throughputRampMs / 1000,
      ...m.parameters,
    },
    tables: [latencyTable(m), throughputTable(m), integrityTable(m)],
    verdicts: verdicts(m),
    results: {
      latency: m.latency,
      throughput: m.throughput,
      integrity: m.integrity,
      ceilingMailsPerSecond: round((2 * MAX_BATCH * 1000) / THROTTLE_WINDOW_MS, 1),
    },
    notes,
  };
}
