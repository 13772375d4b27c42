import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MailOutbox } from '../../src/mail/outbox/mail-outbox';
import { TenantProvisioningService } from '../../src/tenancy/tenant-provisioning.service';
import { FakeResendServer } from '../../test/support/fake-resend.server';
import { deleteMailTopology, TEST_RABBITMQ_URL } from '../../test/support/rabbitmq';
import type { BenchOutcome } from '../support/bench';
import { benchEnvironment } from '../support/bench-app';
import { benchOnFreshDatabase, type BenchSession } from '../support/bench-session';
import { DeliveryWatch } from './delivery-watch';
import { fixedRate, type LatencyContext, type LatencyRun, oneAfterAnother } from './latency-runs';
import { MailEnqueuer, rabbitMqPids } from './mail-enqueuer';
import { MailTopology } from '../../src/mail/queue/mail-topology';
import { type MailBenchOptions, parseMailOptions } from './mail-options';
import { RetryTap } from './retry-tap';
import { mailOutcome } from './mail-report';
import { MailWorkerProcess } from './mail-worker-process';
import { measureThroughput } from './throughput-run';

const DATABASE_NAME = 'bench_mail';
/** Resend's default limit per API key (team), enforced by the fake and configured in the worker alike. */
const REQUESTS_PER_SECOND = 2;
const WARMUP_MAILS = 5;

async function measureMail(session: BenchSession, options: MailBenchOptions): Promise<BenchOutcome> {
  const { database, progress, closeAtEnd } = session;
  const prefix = `bench-mail-${randomBytes(4).toString('hex')}`;
  progress(`queues under ${prefix}`);
  const fake = new FakeResendServer({ requestsPerSecond: REQUESTS_PER_SECOND });
  const resendUrl = await fake.start();
  closeAtEnd(fake);
  const mailEnv = {
    RABBITMQ_URL: TEST_RABBITMQ_URL,
    MAIL_QUEUE_PREFIX: prefix,
    RESEND_API_KEY: fake.apiKey,
    RESEND_BASE_URL: resendUrl,
    RESEND_REQUESTS_PER_SECOND: String(REQUESTS_PER_SECOND),
  };
  // The API only writes the outbox when RABBITMQ_URL is set; here it migrates and lends its pool.
  const { app, config } = await session.startApp({ env: mailEnv });
  // Deleting is idempotent on RabbitMQ, so this also cleans up after a worker that failed to start.
  closeAtEnd({ close: () => deleteMailTopology(prefix, config.mail.retryDelaysMs) });
  const dataSource = app.get(DataSource);
  const { tenant } = await app
    .get(TenantProvisioningService)
    .provision({ slug: 'bench-mail', name: 'Bench Mail' });
  const worker = closeAtEnd(
    await MailWorkerProcess.start(
      benchEnvironment(database.endpoint, { ...mailEnv, MIGRATIONS_RUN: 'false', MAIL_WORKER_PORT: '0' }),
      database.endpoint,
    ),
  );
  const workerPid = worker.pid;
  const retryTap = closeAtEnd(
    await RetryTap.start(TEST_RABBITMQ_URL, new MailTopology(prefix, config.mail.retryDelaysMs)),
  );
  const enqueuer = new MailEnqueuer(dataSource, app.get(MailOutbox), tenant);
  const watch = new DeliveryWatch(fake);
  // The pipeline under test: this process (enqueuer, fake), the worker, the broker, the database's backends.
  const brokerPids = rabbitMqPids();
  const pipelinePids = () => database.ourPids(workerPid, ...brokerPids);
  let pids = await pipelinePids();
  const context: LatencyContext = { enqueuer, watch, fake, retryTap, ourPids: () => pids, workerPid };

  progress(`warm-up: ${WARMUP_MAILS} mails one after another`);
  await oneAfterAnother(context, WARMUP_MAILS);

  const latency: LatencyRun[] = [];
  const runs = [
    () => oneAfterAnother(context, options.latencyMails),
    () => fixedRate(context, options.latencyMails, options.lightRatePerSecond),
    () => fixedRate(context, options.latencyMails, options.streamRatePerSecond),
  ];
  for (const [index, run] of runs.entries()) {
    pids = await pipelinePids();
    const measured = await run();
    latency.push(measured);
    progress(
      `${index + 1}. ${measured.name}: p50 ${measured.p50Ms} ms, p95 ${measured.p95Ms} ms ` +
        `(relay ${measured.relayP50Ms}/${measured.relayP95Ms}, then ${measured.workerP50Ms}/${measured.workerP95Ms}), ` +
        `${measured.retried} retried (${measured.retriedAfterPublishMs ?? '-'} ms after published_at), ` +
        `${measured.mailsPerRequest} mails/request`,
    );
  }

  progress(
    `4. ${options.offeredPerSecond} mails/s offered for ${options.throughputDurationMs / 1000} s ` +
      `(window after ${options.throughputRampMs / 1000} s)`,
  );
  const throughput = await measureThroughput(
    enqueuer,
    watch,
    fake,
    retryTap,
    {
      offeredPerSecond: options.offeredPerSecond,
      durationMs: options.throughputDurationMs,
      rampMs: options.throughputRampMs,
    },
    await pipelinePids(),
    workerPid,
    progress,
  );
  progress(`  ${throughput.deliveredPerSecond} mails/s, ${throughput.mailsPerRequest} mails/request`);

  // The worker records outcomes just after the fake answered.
  const backlog = await enqueuer.settledBacklog(10_000);
  const [{ count: outboxRows }] = await dataSource.query<{ count: string }[]>(
    'SELECT count(*) FROM public.outbox',
  );
  return mailOutcome({
    options,
    parameters: {
      database: DATABASE_NAME,
      queuePrefix: prefix,
      fakeRequestsPerSecond: REQUESTS_PER_SECOND,
      workerRequestsPerSecond: config.resend.requestsPerSecond,
      workerPrefetch: config.mail.prefetch,
      relayPollIntervalMs: config.mail.relayPollIntervalMs,
      retryDelaysMs: config.mail.retryDelaysMs,
      nodeEnv: config.env,
    },
    latency,
    throughput,
    integrity: {
      enqueued: Number(outboxRows),
      received: fake.deliveries.length,
      duplicates: watch.duplicates().length,
      deadLettered: await enqueuer.deadLettered(),
      backlog,
      rateLimited: fake.requests.filter((request) => request.status === 429).length,
      failedRequests: fake.requests.filter((request) => request.status !== 200).length,
      retried: new Set(retryTap.retries.map((retry) => retry.jobId)).size,
    },
  });
}

export const bench = benchOnFreshDatabase(DATABASE_NAME, parseMailOptions, measureMail);
