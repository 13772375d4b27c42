import { DataSource } from 'typeorm';
import { OutboxRelay } from '../../src/mail/outbox/outbox-relay';
import type { MailJobDelivery, MailJobQueue } from '../../src/mail/queue/mail-job-queue';
import type { CurrentTenant } from '../../src/tenancy/tenant-context';
import { deleteMailTopology, TEST_RABBITMQ_URL, uniqueMailQueuePrefix } from '../support/rabbitmq';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTenant } from '../support/tenants';
import { waitFor } from '../support/wait-for';
import { enqueueMail, enqueueMails, TEST_RETRY_DELAYS_MS } from './mail-support';

/** A queue that records what it was given, after a short confirm delay, or refuses everything. */
class RecordingQueue implements MailJobQueue {
  readonly published: string[] = [];
  readonly isConnected = true;
  attempts = 0;

  constructor(private readonly refuse = false) {}

  async publish(jobIds: readonly string[]): Promise<void> {
    this.attempts += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.refuse) throw new Error('the broker is away');
    this.published.push(...jobIds);
  }

  consume(_onDelivery: (delivery: MailJobDelivery) => void): Promise<void> {
    return Promise.resolve();
  }

  stopConsuming(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('the outbox relay', () => {
  const prefix = uniqueMailQueuePrefix('relay');
  let testApp: TestApp;
  let tenant: CurrentTenant;
  let dataSource: DataSource;
  const relays: OutboxRelay[] = [];

  const relayTo = (queue: MailJobQueue, pollIntervalMs = 60_000) => {
    const relay = new OutboxRelay(dataSource, queue, { pollIntervalMs, batchSize: 25 });
    relays.push(relay);
    return relay;
  };
  const unpublished = async () =>
    (await dataSource.query<unknown[]>(`SELECT id FROM public.outbox WHERE published_at IS NULL`)).length;

  beforeAll(async () => {
    // RabbitMQ configured but no worker here: the app itself runs no relay, these tests run their own.
    testApp = await startTestApp({ env: { RABBITMQ_URL: TEST_RABBITMQ_URL, MAIL_QUEUE_PREFIX: prefix } });
    dataSource = testApp.app.get(DataSource);
    tenant = await createTenant(testApp.app);
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  });
  afterAll(async () => {
    await testApp?.close();
    await deleteMailTopology(prefix, TEST_RETRY_DELAYS_MS);
  });

  it('publishes every row exactly once when several relays drain the outbox at the same time', async () => {
    const jobIds = await enqueueMails(testApp.app, tenant, 300);
    const queues = [new RecordingQueue(), new RecordingQueue(), new RecordingQueue()];

    await Promise.all(queues.map((queue) => relayTo(queue).start()));
    await waitFor(async () => (await unpublished()) === 0, { what: 'the outbox drained' });

    const published = queues.flatMap((queue) => queue.published);
    expect(published.sort()).toEqual([...jobIds].sort());
    expect(queues.filter((queue) => queue.published.length > 0).length).toBeGreaterThan(1);
  });

  it('marks nothing published that the queue did not confirm; another relay takes it over', async () => {
    const refusing = new RecordingQueue(true);
    await relayTo(refusing).start();
    const jobId = await enqueueMail(testApp.app, tenant, 'ada@example.com');
    await waitFor(() => refusing.attempts > 0, { what: 'a refused publish' });
    expect(await unpublished()).toBe(1);

    const working = new RecordingQueue();
    await relayTo(working).start();

    await waitFor(() => working.published.includes(jobId), { what: 'the job published' });
    expect(await unpublished()).toBe(0);
  });

  it('wakes up on the NOTIFY of a committed enqueue, long before its next poll', async () => {
    const queue = new RecordingQueue();
    await relayTo(queue, 600_000).start();

    const committedAt = Date.now();
    const jobId = await enqueueMail(testApp.app, tenant, 'grace@example.com');
    await waitFor(() => queue.published.includes(jobId), { what: 'the job published', timeoutMs: 2000 });

    expect(Date.now() - committedAt).toBeLessThan(500);
  });
});
