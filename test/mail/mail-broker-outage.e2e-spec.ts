import { DataSource } from 'typeorm';
import type { CurrentTenant } from '../../src/tenancy/tenant-context';
import { FakeResendServer } from '../support/fake-resend.server';
import { startTestWorker, type TestWorker } from '../support/mail-worker';
import { closeConnectionsNamed, deleteMailTopology, uniqueMailQueuePrefix } from '../support/rabbitmq';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTenant } from '../support/tenants';
import { waitFor } from '../support/wait-for';
import { deliveredMoreThanOnce, enqueueMails, mailEnvironment, TEST_RETRY_DELAYS_MS } from './mail-support';

describe('mail while RabbitMQ drops the connection', () => {
  const prefix = uniqueMailQueuePrefix('outage');
  let fake: FakeResendServer;
  let api: TestApp;
  let worker: TestWorker;
  let tenant: CurrentTenant;

  beforeAll(async () => {
    fake = new FakeResendServer();
    // Small batches at a few requests per second, so 500 mails take long enough to be cut in the middle.
    const env = {
      ...mailEnvironment(prefix, fake, await fake.start()),
      RESEND_REQUESTS_PER_SECOND: '8',
      MAIL_WORKER_PREFETCH: '40',
    };
    api = await startTestApp({ env });
    worker = await startTestWorker(api.databaseName, env);
    tenant = await createTenant(api.app);
    // Requests stay open a while, so the connection drops while some are on the wire.
    fake.responseDelayMs = 150;
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await fake?.close();
    await deleteMailTopology(prefix, TEST_RETRY_DELAYS_MS);
  });

  it('delivers all 500 mails, none twice, when the broker closes the connection mid-flow', async () => {
    const jobIds: string[] = [];
    for (let round = 0; round < 2; round += 1) jobIds.push(...(await enqueueMails(api.app, tenant, 100)));
    await waitFor(() => fake.deliveries.length >= 60, { what: 'the first mails' });

    const closed = await closeConnectionsNamed(prefix);
    for (let round = 0; round < 3; round += 1) jobIds.push(...(await enqueueMails(api.app, tenant, 100)));
    await waitFor(() => fake.deliveries.length >= 300, {
      what: 'mails after the first drop',
      timeoutMs: 20_000,
    });
    const closedAgain = await closeConnectionsNamed(prefix);

    const unsent = async () =>
      (await api.app.get(DataSource).query<unknown[]>(`SELECT id FROM public.outbox WHERE sent_at IS NULL`))
        .length;
    await waitFor(async () => (await unsent()) === 0, {
      what: 'all 500 mails recorded sent',
      timeoutMs: 40_000,
    });

    expect(closed).toBe(1);
    expect(closedAgain).toBe(1);
    expect(deliveredMoreThanOnce(fake)).toEqual({});
    expect(new Set(fake.deliveries.map((mail) => mail.jobId))).toEqual(new Set(jobIds));
  });
});
