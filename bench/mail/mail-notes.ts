import { round } from '../support/stats';
import type { MailMeasurements } from './mail-report';

/** The worker's throttle and Resend's batch size, as the notes quote them. */
export interface PipelineLimits {
  throttleWindowMs: number;
  maxBatch: number;
}

/** How each number was taken, and what the runs showed beyond the targets. */
export function mailNotes(m: MailMeasurements, { throttleWindowMs, maxBatch }: PipelineLimits): string[] {
  const [sequential, light, stream] = m.latency;
  const t = m.throughput;
  const ceiling = round((2 * maxBatch * 1000) / throttleWindowMs, 1);
  const notes = [
    `Light load (judged): ${light.mails} mails enqueued on the clock at ${m.options.lightRatePerSecond}/s (open loop), ` +
      'each in a transaction of its own: below the 2 requests/s limit, so no mail has to wait for a request slot and ' +
      'what is measured is the pipeline (commit, NOTIFY, relay, broker confirm, worker, render, claim, HTTP). Latency ' +
      'runs from the moment COMMIT had returned in the bench process to the fake’s Date.now() at the arrival of the ' +
      'request carrying the mail, in the same process.',
    '* Split at the relay’s published_at (set after the broker confirmed, just before the relay commits): relay = ' +
      'commit → published_at; after publish = published_at → arrival at the fake (broker, worker, throttle, HTTP).',
    `One after another (closed loop): the next mail is enqueued as soon as the previous one arrived, ` +
      `${sequential.enqueuedPerSecond} mails/s here. The worker lets 2 requests go back to back and then none until ` +
      `${throttleWindowMs} ms after the first, so every other mail waits for that window: ` +
      `${sequential.slowerThanHalfSecond} of ${sequential.mails} took over 500 ms, and the p50 ` +
      `(${sequential.p50Ms} ms) sits on the edge between the two groups and can land in either from run to run.`,
    `${m.options.streamRatePerSecond} mails/s steady stream: more mails per second than requests, so mails share ` +
      `requests (${stream.mailsPerRequest} per request) and most wait for the next free slot (p50 ${stream.p50Ms} ms). ` +
      'That wait comes from the 2 requests/s limit, not from the pipeline: even requests spaced perfectly every ' +
      '500 ms would leave a steady stream a median wait of about 250 ms; batching trades it for throughput.',
    `Throughput: ${t.offeredPerSecond} mails/s offered on the clock (one transaction per mail, at most 8 at once; ` +
      `${t.enqueuedPerSecond}/s achieved), above the worker’s ceiling of 2 requests per ${throttleWindowMs} ms × ` +
      `${maxBatch} mails = ${ceiling} mails/s. mails/s counts arrivals at the fake from ` +
      `${m.options.throughputRampMs / 1000} s after the start to the end of the offer; a backlog above zero at both ` +
      'ends of that window shows the worker, not the enqueueing, was the limit.',
    'Real RabbitMQ on this machine under a queue prefix of its own (deleted afterwards); the real worker ' +
      '(createMailWorkerApp, production mode, default prefetch, relay poll and retry tiers) in a child process; the ' +
      'fake Resend of test/support in the bench process, limited to 2 requests/s per API key. A queue of the bench ' +
      'bound to the retry exchange counts the jobs the worker sends to a retry tier. Broker, worker and database ' +
      'backends count as the pipeline’s CPU, not as others’.',
  ];
  const selfRetried = m.latency.reduce((sum, run) => sum + run.retried, 0);
  if (selfRetried > 0 && m.integrity.failedRequests === 0) {
    const delays = m.latency.flatMap((run) =>
      run.retriedAfterPublishMs === undefined ? [] : [`${run.retriedAfterPublishMs} ms`],
    );
    notes.push(
      `Finding: ${selfRetried} of the latency runs’ mails went to the ` +
        `${String((m.parameters.retryDelaysMs as number[])[0])} ms retry tier although the fake refused nothing, ` +
        'so they arrived more than 5 s late (max column). The worker’s claim (SELECT … FOR UPDATE SKIP LOCKED in ' +
        'MailJobStore.claimRequest) skips rows still locked by the relay, whose transaction holds them until after ' +
        'the broker’s confirm; the worker, handed the message first, takes the relay for “another worker” and ' +
        `retries the job: the retries left a median ${delays.join(' / ')} after the relay’s published_at (per run ` +
        'with retries), consistent with a claim made before the relay had committed.',
    );
  }
  if (sequential.relayP50Ms - light.relayP50Ms > 20) {
    notes.push(
      `Finding: the relay takes ${sequential.relayP50Ms} ms (p50) one after another against ${light.relayP50Ms} ms at ` +
        `${m.options.lightRatePerSecond}/s. amqplib leaves Nagle’s algorithm on (noDelay false) and the queue does not ` +
        'turn it off, so a publish that follows the worker’s ack on the same connection waits for the broker’s ' +
        'delayed TCP ACK (about 40 ms).',
    );
  }
  return notes;
}
