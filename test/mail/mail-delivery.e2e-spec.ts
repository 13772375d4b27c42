import request from 'supertest';
import { DataSource } from 'typeorm';
import { RabbitMqDeadLetterStore } from '../../src/mail/cli/dead-letter-store';
import { runMailCommand } from '../../src/mail/cli/mail.command';
import { MailOutbox } from '../../src/mail/outbox/mail-outbox';
import { MailTopology } from '../../src/mail/queue/mail-topology';
import type { CurrentTenant } from '../../src/tenancy/tenant-context';
import { runInTenantSchema } from '../../src/tenancy/tenant-transaction';
import { FakeResendServer } from '../support/fake-resend.server';
import { startTestWorker, type TestWorker } from '../support/mail-worker';
import {
  deleteMailTopology,
  queueDepth,
  TEST_RABBITMQ_URL,
  uniqueMailQueuePrefix,
} from '../support/rabbitmq';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import {
  enqueueMail,
  enqueueMails,
  mailEnvironment,
  outboxSettled,
  outboxStateOf,
  type SignedUpTenant,
  signUpTenant,
  TEST_RETRY_DELAYS_MS,
  welcome,
} from './mail-support';

const serverError = {
  status: 500,
  body: { statusCode: 500, name: 'internal_server_error', message: 'Something went wrong.' },
};

describe('mail: outbox → RabbitMQ → worker → Resend', () => {
  const prefix = uniqueMailQueuePrefix('delivery');
  const topology = new MailTopology(prefix, TEST_RETRY_DELAYS_MS);
  let fake: FakeResendServer;
  let api: TestApp;
  let worker: TestWorker;
  let acme: CurrentTenant;
  let globex: CurrentTenant;
  let accounts: SignedUpTenant[];

  beforeAll(async () => {
    fake = new FakeResendServer();
    const env = mailEnvironment(prefix, fake, await fake.start());
    api = await startTestApp({ env });
    worker = await startTestWorker(api.databaseName, env);
    accounts = await Promise.all([signUpTenant(api.url), signUpTenant(api.url)]);
    [acme, globex] = accounts.map((account) => account.tenant);
    // Signup queues a welcome mail: let those go before the tests script the fake's answers.
    await waitFor(() => outboxSettled(api.app), { what: 'the welcome mails' });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await fake?.close();
    await deleteMailTopology(prefix, TEST_RETRY_DELAYS_MS);
  });

  const requestsOf = (jobId: string) => fake.requests.filter((sent) => sent.idempotencyKey === jobId);
  const delivered = (jobId: string) =>
    waitFor(() => fake.deliveriesOf(jobId).length > 0, { what: `job ${jobId} at the fake` });
  const settled = (jobId: string) =>
    waitFor(async () => (await outboxStateOf(api.app, jobId))?.sent_at, {
      what: `job ${jobId} recorded sent`,
    });

  it('sends a mail whose transaction committed once, and never one whose transaction rolled back', async () => {
    const rollback = runInTenantSchema(api.app.get(DataSource), acme.schemaName, async (manager) => {
      await api.app.get(MailOutbox).enqueue(manager, {
        tenantId: acme.id,
        to: 'rolled-back@example.com',
        content: welcome(acme),
      });
      throw new Error('the change failed');
    });
    await expect(rollback).rejects.toThrow('the change failed');

    const jobId = await enqueueMail(api.app, acme, 'committed@example.com');
    await settled(jobId);

    expect(fake.deliveriesOf(jobId)).toHaveLength(1);
    expect(fake.deliveries.filter((mail) => mail.to.includes('rolled-back@example.com'))).toEqual([]);
    const rolledBack: unknown[] = await api.app
      .get(DataSource)
      .query(`SELECT id FROM public.outbox WHERE recipient = 'rolled-back@example.com'`);
    expect(rolledBack).toEqual([]);
  });

  it('sends a mail once after two 500s, with the same Idempotency-Key on every try', async () => {
    fake.failNext(2, serverError);

    const jobId = await enqueueMail(api.app, acme, 'retried@example.com');
    await settled(jobId);

    expect(fake.deliveriesOf(jobId)).toHaveLength(1);
    expect(requestsOf(jobId).map((sent) => sent.status)).toEqual([500, 500, 200]);
    expect(fake.deliveriesOf(jobId)[0].headers).toEqual({ 'X-Mail-Job-Id': jobId });
  });

  it('waits at least the Retry-After of a 429 before trying again', async () => {
    fake.failNext(1, {
      status: 429,
      body: { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests.' },
      headers: { 'retry-after': '1' },
    });

    const jobId = await enqueueMail(api.app, acme, 'rate-limited@example.com');
    await settled(jobId);

    const [refused, accepted] = requestsOf(jobId);
    expect([refused.status, accepted.status]).toEqual([429, 200]);
    expect(accepted.at - refused.at).toBeGreaterThanOrEqual(1000);
    expect(fake.deliveriesOf(jobId)).toHaveLength(1);
  });

  it('dead-letters a mail Resend refuses with 422 at once, without retrying', async () => {
    const jobId = await enqueueMail(api.app, acme, 'not-an-address');

    const dead = await waitFor(
      async () => (await outboxStateOf(api.app, jobId))?.dead_at && outboxStateOf(api.app, jobId),
    );
    await waitFor(async () => (await queueDepth(topology.deadQueue)) === 1, {
      what: 'the dead-letter queue',
    });

    expect(dead?.last_error).toMatch(/^Resend answered 422 validation_error/);
    expect(requestsOf(jobId).map((sent) => sent.status)).toEqual([422]);
    for (const delay of TEST_RETRY_DELAYS_MS) expect(await queueDepth(topology.retryQueue(delay))).toBe(0);
    expect(await queueDepth(topology.workQueue)).toBe(0);
  });

  it('parks a mail after its last attempt; the CLI lists it and requeues it, and it is sent once', async () => {
    fake.failNext(4, serverError);
    const jobId = await enqueueMail(api.app, globex, 'exhausted@example.com');
    await waitFor(async () => (await outboxStateOf(api.app, jobId))?.dead_at, { what: 'the job to die' });
    const deadLetters = new RabbitMqDeadLetterStore(TEST_RABBITMQ_URL, topology, api.app.get(DataSource));
    const output: string[] = [];
    const cli = (...argv: string[]) =>
      runMailCommand(argv, { deadLetters, output: { write: (text) => output.push(text) } });

    expect(await cli('dead-letters')).toBe(0);
    expect(output.join('')).toMatch(
      new RegExp(`${jobId} .* attempts 4 +Gave up after 4 attempts: Resend answered 500`),
    );
    expect(output.join('')).toContain('2 dead-lettered mail job(s)');
    expect(requestsOf(jobId)).toHaveLength(4);

    output.length = 0;
    expect(await cli('dead-letters', '--requeue', jobId)).toBe(0);
    expect(output.join('')).toContain(`Requeued ${jobId}`);
    await settled(jobId);

    expect(fake.deliveriesOf(jobId)).toHaveLength(1);
    expect(requestsOf(jobId).map((sent) => sent.status)).toEqual([500, 500, 500, 500, 200]);
    expect(await queueDepth(topology.deadQueue)).toBe(1);
    expect(await cli('dead-letters', '--requeue')).toBe(2);
  });

  it("renders each tenant's mail with its own from name, reply-to, colour and logo, escaping its name", async () => {
    const put = (tenant: CurrentTenant, body: object) =>
      request(api.url)
        .put('/api/v1/tenant/branding')
        .set('X-Tenant', tenant.slug)
        .set('Authorization', `Bearer ${accounts.find((account) => account.tenant === tenant)?.accessToken}`)
        .send(body);
    expect(
      (
        await put(acme, {
          displayName: '<script>alert(1)</script> Acme',
          logoUrl: 'https://cdn.acme.example/logo.png',
          primaryColor: '#ff6600',
          fromName: 'Acme Support',
          replyTo: 'help@acme.example',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await put(globex, {
          displayName: 'Globex',
          logoUrl: 'https://globex.example/brand.png',
          primaryColor: '#0a7d32',
          fromName: 'Globex Team',
          replyTo: 'support@globex.example',
        })
      ).status,
    ).toBe(200);

    const [acmeJob, globexJob] = await Promise.all([
      enqueueMail(api.app, acme, 'ada@example.com'),
      enqueueMail(api.app, globex, 'bob@example.com'),
    ]);
    await Promise.all([delivered(acmeJob), delivered(globexJob)]);

    const [acmeMail] = fake.deliveriesOf(acmeJob);
    expect(acmeMail).toMatchObject({
      from: '"Acme Support" <no-reply@example.com>',
      replyTo: 'help@acme.example',
    });
    expect(acmeMail.html).toContain('background-color:#ff6600');
    expect(acmeMail.html).toContain('<img src="https://cdn.acme.example/logo.png"');
    expect(acmeMail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Acme');
    expect(acmeMail.html).not.toContain('<script>');
    expect(acmeMail.subject).toBe('Welcome to <script>alert(1)</script> Acme');

    const [globexMail] = fake.deliveriesOf(globexJob);
    expect(globexMail).toMatchObject({
      from: '"Globex Team" <no-reply@example.com>',
      replyTo: 'support@globex.example',
    });
    expect(globexMail.html).toContain('background-color:#0a7d32');
    expect(globexMail.html).toContain('<img src="https://globex.example/brand.png"');
    expect(globexMail.html).not.toContain('#ff6600');
  });

  it('sends mails queued together in batch requests', async () => {
    const requestsBefore = fake.requests.length;

    const jobIds = await enqueueMails(api.app, acme, 40);
    await waitFor(() => jobIds.every((jobId) => fake.deliveriesOf(jobId).length === 1), { what: '40 mails' });

    const requests = fake.requests.slice(requestsBefore);
    expect(requests.length).toBeLessThan(10);
    expect(
      requests.some((sent) => sent.path === '/emails/batch' && sent.batchValidation === 'permissive'),
    ).toBe(true);
  });

  it("reports the worker's RabbitMQ connection in its health check", async () => {
    const response = await request(worker.url).get('/health/ready');

    expect(response.status).toBe(200);
    expect(response.body.details).toMatchObject({ database: { status: 'up' }, rabbitmq: { status: 'up' } });
  });
});
