import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { DataSource } from 'typeorm';
import type { CurrentTenant } from '../../src/tenancy/tenant-context';
import { FakeResendServer } from '../support/fake-resend.server';
import { workerEnvironment } from '../support/mail-worker';
import { deleteMailTopology, uniqueMailQueuePrefix } from '../support/rabbitmq';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTenant } from '../support/tenants';
import { waitFor } from '../support/wait-for';
import { deliveredMoreThanOnce, enqueueMails, mailEnvironment, TEST_RETRY_DELAYS_MS } from './mail-support';

const ROOT = path.resolve(__dirname, '..', '..');

describe('the worker process (npm run start:worker)', () => {
  const prefix = uniqueMailQueuePrefix('crash');
  let fake: FakeResendServer;
  let api: TestApp;
  let tenant: CurrentTenant;
  let env: Record<string, string>;
  const children = new Set<ChildProcess>();

  /** `src/worker.ts` in a child process, as `npm run start:worker:dev` runs it. */
  function spawnWorker(): ChildProcess {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/worker.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...workerEnvironment(api.databaseName, env) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  }

  const unsentJobs = async () =>
    (await api.app.get(DataSource).query<unknown[]>(`SELECT id FROM public.outbox WHERE sent_at IS NULL`))
      .length;

  beforeAll(async () => {
    fake = new FakeResendServer();
    env = { ...mailEnvironment(prefix, fake, await fake.start()), RESEND_REQUESTS_PER_SECOND: '10' };
    api = await startTestApp({ env });
    tenant = await createTenant(api.app);
  });
  afterEach(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all([...children].map((child) => once(child, 'exit')));
    fake.responseDelayMs = 0;
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
    await deleteMailTopology(prefix, TEST_RETRY_DELAYS_MS);
  });

  it('killed mid-batch and restarted: loses nothing and delivers nothing twice', async () => {
    // Resend takes the first batch but the worker dies before it hears back.
    fake.responseDelayMs = 60_000;
    const jobIds = await enqueueMails(api.app, tenant, 200);
    const first = spawnWorker();
    // The first job may go out alone; wait until a batch is on the wire too.
    await waitFor(() => fake.deliveries.length > 1, {
      what: 'a batch at the fake',
      timeoutMs: 30_000,
    });
    const inFirstBatch = fake.deliveries.length;
    first.kill('SIGKILL');
    await once(first, 'exit');

    fake.responseDelayMs = 0;
    spawnWorker();
    await waitFor(async () => (await unsentJobs()) === 0, { what: 'every job sent', timeoutMs: 30_000 });

    expect(inFirstBatch).toBeGreaterThan(1);
    expect(new Set(fake.deliveries.map((mail) => mail.jobId))).toEqual(new Set(jobIds));
    expect(deliveredMoreThanOnce(fake)).toEqual({});
    expect(fake.requests.some((sent) => sent.replayed)).toBe(true);
  });

  it('on SIGTERM finishes the batch on the wire, records it, and exits cleanly', async () => {
    fake.responseDelayMs = 1000;
    const deliveredBefore = fake.deliveries.length;
    await enqueueMails(api.app, tenant, 30);
    const worker = spawnWorker();
    await waitFor(() => fake.deliveries.length > deliveredBefore, {
      what: 'a batch on the wire',
      timeoutMs: 30_000,
    });
    const onTheWire = fake.deliveries.slice(deliveredBefore).map((mail) => mail.jobId);

    worker.kill('SIGTERM');
    const [exitCode] = (await once(worker, 'exit')) as [number | null];

    expect(exitCode).toBe(0);
    const recorded: Array<{ id: string }> = await api.app
      .get(DataSource)
      .query(`SELECT id FROM public.outbox WHERE id = ANY($1::uuid[]) AND sent_at IS NOT NULL`, [onTheWire]);
    expect(recorded).toHaveLength(onTheWire.length);
  });
});
