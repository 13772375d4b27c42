import { DataSource } from 'typeorm';
import { RabbitMqDeadLetterStore } from '../../src/mail/cli/dead-letter-store';
import { MailTopology } from '../../src/mail/queue/mail-topology';
import { tenantClient } from '../support/accounts';
import { FakeResendServer } from '../support/fake-resend.server';
import { startTestWorker, type TestWorker } from '../support/mail-worker';
import { deleteMailTopology, TEST_RABBITMQ_URL, uniqueMailQueuePrefix } from '../support/rabbitmq';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import {
  enqueueMail,
  mailEnvironment,
  outboxSettled,
  type SignedUpTenant,
  signUpTenant,
  TEST_RETRY_DELAYS_MS,
} from './mail-support';

const serverError = {
  status: 500,
  body: { statusCode: 500, name: 'internal_server_error', message: 'Something went wrong.' },
};

describe('mail content once delivered, and how long the outbox keeps rows', () => {
  const prefix = uniqueMailQueuePrefix('retention');
  let fake: FakeResendServer;
  let api: TestApp;
  let worker: TestWorker;
  let account: SignedUpTenant;
  let dataSource: DataSource;

  beforeAll(async () => {
    fake = new FakeResendServer();
    const env = { ...mailEnvironment(prefix, fake, await fake.start()), MAIL_RETENTION_INTERVAL_MS: '200' };
    api = await startTestApp({ env });
    dataSource = api.app.get(DataSource);
    worker = await startTestWorker(api.databaseName, env);
    account = await signUpTenant(api.url);
    await waitFor(() => outboxSettled(api.app), { what: 'the welcome mail' });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await fake?.close();
    await deleteMailTopology(prefix, TEST_RETRY_DELAYS_MS);
  });

  /** The whole row as PostgreSQL prints it: every text and JSON column. */
  const rowText = async (jobId: string): Promise<string> =>
    (
      await dataSource.query<Array<{ row: string }>>(
        `SELECT o::text AS row FROM public.outbox o WHERE id = $1`,
        [jobId],
      )
    )[0]?.row ?? '';
  const newestJobOf = async (recipient: string, kind: string): Promise<string | undefined> =>
    (
      await dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM public.outbox WHERE recipient = $1 AND kind = $2 ORDER BY created_at DESC LIMIT 1`,
        [recipient, kind],
      )
    )[0]?.id;
  const recordedSent = (jobId: string) =>
    waitFor(
      async () =>
        (
          await dataSource.query<Array<{ sent: boolean }>>(
            `SELECT sent_at IS NOT NULL AS sent FROM public.outbox WHERE id = $1`,
            [jobId],
          )
        )[0]?.sent,
      { what: `job ${jobId} recorded sent` },
    );
  /** The token in the link of the mail that reached the fake. */
  const tokenMailed = (jobId: string): string => {
    const [mail] = fake.deliveriesOf(jobId);
    const match = /[?&]token=([^&\s"]+)/.exec(mail?.text ?? '');
    if (!match) throw new Error(`no token link in the mail of job ${jobId}`);
    return decodeURIComponent(match[1]);
  };

  async function expectDeliveredWithoutSecret(jobId: string, kind: string, recipient: string) {
    await recordedSent(jobId);
    const token = tokenMailed(jobId);
    expect(token.length).toBeGreaterThanOrEqual(20);

    const row = await rowText(jobId);
    expect(row).not.toContain(token);
    expect(row).not.toContain(encodeURIComponent(token));
    const [kept] = await dataSource.query<Array<Record<string, unknown>>>(
      `SELECT tenant_id, recipient, kind, request_key, resend_id, content, rendered,
              created_at IS NOT NULL AND published_at IS NOT NULL AND sent_at IS NOT NULL AS timestamps
       FROM public.outbox WHERE id = $1`,
      [jobId],
    );
    expect(kept).toEqual({
      tenant_id: account.tenant.id,
      recipient,
      kind,
      request_key: jobId,
      resend_id: fake.deliveriesOf(jobId)[0].resendId,
      content: null,
      rendered: null,
      timestamps: true,
    });
  }

  it('forgets a password reset token once the mail is delivered: in the outbox row and its stored request', async () => {
    const response = await tenantClient(api.url, account.tenant.slug).post('/auth/password/forgot', {
      email: account.email,
    });
    expect(response.status).toBe(202);
    const jobId = await waitFor(() => newestJobOf(account.email, 'password-reset'), {
      what: 'the reset mail',
    });

    await expectDeliveredWithoutSecret(jobId, 'password-reset', account.email);
  });

  it('forgets an invitation token once the mail is delivered', async () => {
    const invitee = `invitee-${Date.now()}@example.com`;
    const response = await tenantClient(api.url, account.tenant.slug, account.accessToken).post(
      '/invitations',
      {
        email: invitee,
        role: 'member',
      },
    );
    expect(response.status).toBe(201);
    const jobId = await waitFor(() => newestJobOf(invitee, 'invitation'), { what: 'the invitation mail' });

    await expectDeliveredWithoutSecret(jobId, 'invitation', invitee);
  });

  it('keeps the content of a dead letter for a replay, and forgets it once the replay is delivered', async () => {
    fake.failNext(4, serverError);
    await tenantClient(api.url, account.tenant.slug).post('/auth/password/forgot', { email: account.email });
    const jobId = await waitFor(() => newestJobOf(account.email, 'password-reset'), {
      what: 'the reset mail',
    });
    await waitFor(
      async () =>
        (
          await dataSource.query<unknown[]>(
            `SELECT 1 FROM public.outbox WHERE id = $1 AND dead_at IS NOT NULL`,
            [jobId],
          )
        ).length === 1,
      { what: 'the job to die' },
    );
    const [dead] = await dataSource.query<Array<{ token: string; rendered: { text: string } | null }>>(
      `SELECT content->'data'->>'token' AS token, rendered FROM public.outbox WHERE id = $1`,
      [jobId],
    );
    expect(dead.token.length).toBeGreaterThanOrEqual(20);
    expect(dead.rendered?.text).toContain(dead.token);

    const deadLetters = new RabbitMqDeadLetterStore(
      TEST_RABBITMQ_URL,
      new MailTopology(prefix, TEST_RETRY_DELAYS_MS),
      dataSource,
    );
    expect(await deadLetters.requeue([jobId])).toEqual([jobId]);
    await recordedSent(jobId);

    expect(fake.deliveriesOf(jobId)).toHaveLength(1);
    expect(tokenMailed(jobId)).toBe(dead.token);
    expect(await rowText(jobId)).not.toContain(dead.token);
  });

  it('deletes delivered rows after 7 days and dead letters after 30, keeping younger ones and whole requests', async () => {
    const deliver = async (to: string) => {
      const jobId = await enqueueMail(api.app, account.tenant, to);
      await recordedSent(jobId);
      return jobId;
    };
    const die = async () => {
      const jobId = await enqueueMail(api.app, account.tenant, 'not-an-address');
      await waitFor(
        async () =>
          (
            await dataSource.query<unknown[]>(
              `SELECT 1 FROM public.outbox WHERE id = $1 AND dead_at IS NOT NULL`,
              [jobId],
            )
          ).length === 1,
        { what: `job ${jobId} dead` },
      );
      return jobId;
    };
    const backdate = (jobId: string, column: 'sent_at' | 'dead_at', days: number) =>
      dataSource.query(
        `UPDATE public.outbox SET ${column} = now() - make_interval(days => $2) WHERE id = $1`,
        [jobId, days],
      );
    /** A mail Resend refused in the same batch request as `jobId`, parked `days` ago. */
    const refusedBeside = async (jobId: string, days: number): Promise<string> =>
      (
        await dataSource.query<Array<{ id: string }>>(
          `INSERT INTO public.outbox (tenant_id, recipient, kind, content, published_at, rendered, request_key, dead_at, last_error)
           SELECT tenant_id, 'refused@example', kind, $2::jsonb, now(), $3::jsonb, request_key,
                  now() - make_interval(days => $4), 'Resend answered 422 validation_error'
           FROM public.outbox WHERE id = $1 RETURNING id`,
          [
            jobId,
            JSON.stringify({
              kind: 'welcome',
              data: { recipientName: 'Ref', tenantSlug: account.tenant.slug },
            }),
            JSON.stringify({
              to: 'refused@example',
              fromName: 'Acme',
              subject: 'Hi',
              html: '<p>Hi</p>',
              text: 'Hi',
            }),
            days,
          ],
        )
      )[0].id;

    const deliveredOld = await deliver('old@example.com');
    const deliveredYoung = await deliver('young@example.com');
    const deliveredBesideYoungRefusal = await deliver('beside-young@example.com');
    const deliveredBesideOldRefusal = await deliver('beside-old@example.com');
    const [deadOld, deadYoung, deadWeekOld] = [await die(), await die(), await die()];
    await backdate(deliveredOld, 'sent_at', 8);
    await backdate(deliveredYoung, 'sent_at', 6);
    await backdate(deliveredBesideYoungRefusal, 'sent_at', 8);
    await backdate(deliveredBesideOldRefusal, 'sent_at', 40);
    await backdate(deadOld, 'dead_at', 31);
    await backdate(deadYoung, 'dead_at', 29);
    await backdate(deadWeekOld, 'dead_at', 8);
    const youngRefusal = await refusedBeside(deliveredBesideYoungRefusal, 2);
    const oldRefusal = await refusedBeside(deliveredBesideOldRefusal, 31);
    const [{ id: pendingOld }] = await dataSource.query<Array<{ id: string }>>(
      `INSERT INTO public.outbox (tenant_id, recipient, kind, content, created_at, published_at)
       VALUES ($1, 'pending@example.com', 'welcome', $2, now() - interval '90 days', now()) RETURNING id`,
      [account.tenant.id, JSON.stringify({ kind: 'welcome', data: { recipientName: 'P', tenantSlug: 'p' } })],
    );
    const present = async (jobIds: string[]) =>
      (
        await dataSource.query<Array<{ id: string }>>(
          `SELECT id FROM public.outbox WHERE id = ANY($1::uuid[])`,
          [jobIds],
        )
      ).map((row) => row.id);
    const expired = [deliveredOld, deadOld, deliveredBesideOldRefusal, oldRefusal];
    const kept = [
      deliveredYoung,
      deadYoung,
      deadWeekOld,
      deliveredBesideYoungRefusal,
      youngRefusal,
      pendingOld,
    ];

    await waitFor(async () => (await present(expired)).length === 0, {
      what: 'the worker to delete the expired rows',
    });
    // A few more sweeps: none of them may take a row that is still within its retention.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    expect((await present(kept)).sort()).toEqual([...kept].sort());
  });
});
