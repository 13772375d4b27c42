import { DataSource } from 'typeorm';
import { MailRetentionJob } from '../../src/mail/retention/mail-retention.job';
import type { CurrentTenant } from '../../src/tenancy/tenant-context';
import { TEST_RABBITMQ_URL, uniqueMailQueuePrefix } from '../support/rabbitmq';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTenant } from '../support/tenants';
import { waitFor } from '../support/wait-for';

describe('the mail retention job', () => {
  let testApp: TestApp;
  let dataSource: DataSource;
  let tenant: CurrentTenant;
  const jobs: MailRetentionJob[] = [];

  const retentionJob = (intervalMs = 60_000) => {
    const job = new MailRetentionJob(dataSource, {
      deliveredRetentionDays: 7,
      deadLetterRetentionDays: 30,
      intervalMs,
      batchSize: 5,
    });
    jobs.push(job);
    return job;
  };
  /** `count` delivered rows sent `days` ago, as the worker leaves them. */
  const delivered = async (count: number, days: number): Promise<string[]> =>
    (
      await dataSource.query<Array<{ id: string }>>(
        `INSERT INTO public.outbox (tenant_id, recipient, kind, content, published_at, request_key, sent_at, resend_id)
         SELECT $1, 'sent' || n || '@example.com', 'welcome', NULL, now(), gen_random_uuid()::text,
                now() - make_interval(days => $3), gen_random_uuid()::text
         FROM generate_series(1, $2) AS n RETURNING id`,
        [tenant.id, count, days],
      )
    ).map((row) => row.id);
  const remaining = async (jobIds: string[]): Promise<number> =>
    (await dataSource.query<unknown[]>(`SELECT id FROM public.outbox WHERE id = ANY($1::uuid[])`, [jobIds]))
      .length;

  beforeAll(async () => {
    // RabbitMQ configured but no worker here: the app runs no retention job of its own.
    testApp = await startTestApp({
      env: { RABBITMQ_URL: TEST_RABBITMQ_URL, MAIL_QUEUE_PREFIX: uniqueMailQueuePrefix('sweep') },
    });
    dataSource = testApp.app.get(DataSource);
    tenant = await createTenant(testApp.app);
  });
  afterEach(async () => {
    await Promise.all(jobs.splice(0).map((job) => job.stop()));
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('deletes every expired row exactly once when several workers sweep at the same time, in small batches', async () => {
    const expired = await delivered(43, 8);
    const young = await delivered(3, 6);

    const deleted = await Promise.all([
      retentionJob().sweep(),
      retentionJob().sweep(),
      retentionJob().sweep(),
    ]);

    expect(deleted.reduce((sum, count) => sum + count, 0)).toBe(43);
    expect(await remaining(expired)).toBe(0);
    expect(await remaining(young)).toBe(3);
  });

  it('sweeps on its own every interval, and not once stopped', async () => {
    const job = retentionJob(100);
    job.start();
    const first = await delivered(4, 8);
    await waitFor(async () => (await remaining(first)) === 0, { what: 'the periodic sweep' });

    await job.stop();
    const afterStop = await delivered(4, 8);
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(await remaining(afterStop)).toBe(4);
  });
});
