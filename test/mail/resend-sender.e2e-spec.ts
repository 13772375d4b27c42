import { randomUUID } from 'node:crypto';
import type { OutgoingMail } from '../../src/mail/resend/mail-send.types';
import { RequestThrottle } from '../../src/mail/resend/request-throttle';
import { ResendMailSender, type ResendMailSenderOptions } from '../../src/mail/resend/resend-mail.sender';
import { batchIdempotencyKey } from '../../src/mail/resend/resend-request';
import { FakeResendServer } from '../support/fake-resend.server';

const FROM_EMAIL = 'no-reply@example.com';

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    jobId: randomUUID(),
    to: 'ada@example.com',
    fromName: 'Acme "Rockets"',
    replyTo: 'help@acme.example',
    subject: 'Welcome to Acme',
    html: '<p>Welcome</p>',
    text: 'Welcome',
    ...overrides,
  };
}

/** Gaps between consecutive requests the fake received, in ms. */
const gapsBetween = (times: number[]) => times.slice(1).map((time, index) => time - times[index]);

describe('ResendMailSender against a fake Resend', () => {
  let fake: FakeResendServer;
  let baseUrl: string;

  /** A fast throttle unless a test is about the throttle: the tests need not wait 500 ms per request. */
  const senderFor = (options: Partial<ResendMailSenderOptions> = {}) =>
    new ResendMailSender({
      apiKey: fake.apiKey,
      fromEmail: FROM_EMAIL,
      baseUrl,
      throttle: new RequestThrottle({ requestsPerSecond: 50 }),
      ...options,
    });

  beforeEach(async () => {
    fake = new FakeResendServer();
    baseUrl = await fake.start();
  });
  afterEach(() => fake.close());

  describe('one mail', () => {
    it('is sent with its job id as mail header and as Idempotency-Key', async () => {
      const message = mail();

      const outcome = await senderFor().sendOne(message);

      const [delivered] = fake.deliveriesOf(message.jobId);
      expect(outcome).toEqual({ outcome: 'sent', resendId: delivered.resendId });
      expect(delivered).toMatchObject({
        headers: { 'X-Mail-Job-Id': message.jobId },
        idempotencyKey: message.jobId,
        from: '"Acme \\"Rockets\\"" <no-reply@example.com>',
        to: ['ada@example.com'],
        replyTo: 'help@acme.example',
        subject: 'Welcome to Acme',
        html: '<p>Welcome</p>',
        text: 'Welcome',
      });
    });

    it('is delivered once when sent again: same key, same answer', async () => {
      const sender = senderFor();
      const message = mail();

      const first = await sender.sendOne(message);
      const second = await sender.sendOne(message);

      expect(second).toEqual(first);
      expect(fake.deliveriesOf(message.jobId)).toHaveLength(1);
      expect(fake.requests.map((request) => request.replayed)).toEqual([false, true]);
    });

    it('is retried after a 500, and the retry delivers it', async () => {
      const sender = senderFor();
      const message = mail();
      fake.failNext(1, {
        status: 500,
        body: { statusCode: 500, name: 'internal_server_error', message: 'Something went wrong.' },
      });

      expect(await sender.sendOne(message)).toEqual({
        outcome: 'retry',
        reason: 'Resend answered 500 internal_server_error: Something went wrong.',
      });
      expect(await sender.sendOne(message)).toMatchObject({ outcome: 'sent' });
      expect(fake.deliveriesOf(message.jobId)).toHaveLength(1);
    });

    it('is retried after a 502 page that is not JSON', async () => {
      fake.failNext(1, { status: 502, body: '<html><body>Bad gateway</body></html>' });

      expect(await senderFor().sendOne(mail())).toMatchObject({
        outcome: 'retry',
        reason: expect.stringContaining('Resend answered 502 application_error'),
      });
    });

    it('is retried after a 429, honouring Retry-After', async () => {
      fake.failNext(1, {
        status: 429,
        body: { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests.' },
        headers: { 'retry-after': '2' },
      });

      expect(await senderFor().sendOne(mail())).toMatchObject({ outcome: 'retry', retryAfterMs: 2000 });
    });

    it('is retried after a 409 concurrent_idempotent_requests', async () => {
      fake.failNext(1, {
        status: 409,
        body: {
          statusCode: 409,
          name: 'concurrent_idempotent_requests',
          message: 'Same idempotency key used while original request is still in progress.',
        },
      });

      expect(await senderFor().sendOne(mail())).toMatchObject({ outcome: 'retry' });
    });

    it('is retried when Resend cannot be reached', async () => {
      const unreachable = new FakeResendServer();
      const unreachableUrl = await unreachable.start();
      await unreachable.close();

      const outcome = await senderFor({ baseUrl: unreachableUrl }).sendOne(mail());

      expect(outcome).toMatchObject({
        outcome: 'retry',
        reason: expect.stringContaining('no usable answer'),
      });
    });

    it('is dead after a 422 validation error', async () => {
      const outcome = await senderFor().sendOne(mail({ to: 'not-an-address' }));

      expect(outcome).toEqual({
        outcome: 'dead',
        reason: expect.stringMatching(/^Resend answered 422 validation_error: Invalid `to` field/),
      });
      expect(fake.deliveries).toHaveLength(0);
    });

    it('is dead when the domain is not verified (403)', async () => {
      fake.failNext(1, {
        status: 403,
        body: {
          statusCode: 403,
          name: 'validation_error',
          message: 'The example.com domain is not verified.',
        },
      });

      expect(await senderFor().sendOne(mail())).toMatchObject({ outcome: 'dead' });
    });

    it('is dead with a wrong API key', async () => {
      const outcome = await senderFor({ apiKey: 're_wrong' }).sendOne(mail());

      expect(outcome).toEqual({
        outcome: 'dead',
        reason: 'Resend answered 403 invalid_api_key: API key is invalid.',
      });
    });
  });

  describe('a batch', () => {
    it('sends the valid mails and marks the invalid one dead, in permissive mode', async () => {
      const mails = [mail(), mail({ to: 'not-an-address' }), mail()];

      const outcomes = await senderFor().sendBatch(mails);

      expect(outcomes.map(({ jobId, outcome }) => ({ jobId, outcome }))).toEqual([
        { jobId: mails[0].jobId, outcome: 'sent' },
        { jobId: mails[1].jobId, outcome: 'dead' },
        { jobId: mails[2].jobId, outcome: 'sent' },
      ]);
      expect(outcomes[1]).toMatchObject({ reason: expect.stringContaining('Invalid `to` field') });
      for (const index of [0, 2]) {
        const [delivered] = fake.deliveriesOf(mails[index].jobId);
        expect(outcomes[index]).toMatchObject({ resendId: delivered.resendId });
        expect(delivered.headers).toEqual({ 'X-Mail-Job-Id': mails[index].jobId });
      }
      expect(fake.deliveriesOf(mails[1].jobId)).toHaveLength(0);
      expect(fake.requests[0]).toMatchObject({
        path: '/emails/batch',
        batchValidation: 'permissive',
        idempotencyKey: batchIdempotencyKey(mails.map((message) => message.jobId)),
      });
    });

    it('is delivered once when resent, even in another order', async () => {
      const sender = senderFor();
      const mails = [mail(), mail(), mail()];

      const first = await sender.sendBatch(mails);
      const again = await sender.sendBatch([mails[2], mails[0], mails[1]]);

      expect(fake.requests[1].idempotencyKey).toBe(fake.requests[0].idempotencyKey);
      expect(fake.requests[1].replayed).toBe(true);
      expect(fake.deliveries).toHaveLength(3);
      expect(again).toEqual([first[2], first[0], first[1]]);
    });

    it('retries every mail when the whole request fails', async () => {
      fake.failNext(1, {
        status: 503,
        body: { statusCode: 503, name: 'application_error', message: 'Unavailable' },
      });
      const mails = [mail(), mail()];

      const outcomes = await senderFor().sendBatch(mails);

      expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['retry', 'retry']);
      expect(fake.deliveries).toHaveLength(0);
    });

    it('refuses more than 100 mails or the same job twice', async () => {
      const sender = senderFor();
      const twice = mail();

      await expect(sender.sendBatch(Array.from({ length: 101 }, () => mail()))).rejects.toThrow(RangeError);
      await expect(sender.sendBatch([twice, twice])).rejects.toThrow(RangeError);
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('throttling', () => {
    it('spaces the requests of concurrent sends', async () => {
      const sender = senderFor({ throttle: new RequestThrottle({ requestsPerSecond: 4 }) });

      const outcomes = await Promise.all(
        [mail(), mail(), mail(), mail(), mail()].map((m) => sender.sendOne(m)),
      );

      expect(outcomes.every((outcome) => outcome.outcome === 'sent')).toBe(true);
      const gaps = gapsBetween(fake.requests.map((request) => request.at));
      // Nominally 250 ms apart; the margin absorbs timer and scheduling jitter.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(200);
    });

    it('shares one throttle between senders', async () => {
      const throttle = new RequestThrottle({ requestsPerSecond: 4 });
      const senders = [senderFor({ throttle }), senderFor({ throttle })];

      await Promise.all([0, 1, 0, 1].map((index) => senders[index].sendOne(mail())));

      expect(Math.min(...gapsBetween(fake.requests.map((request) => request.at)))).toBeGreaterThanOrEqual(
        200,
      );
    });

    it('pauses every send for the Retry-After of a 429', async () => {
      const sender = senderFor();
      fake.failNext(1, {
        status: 429,
        body: { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests.' },
        headers: { 'retry-after': '1' },
      });

      expect(await sender.sendOne(mail())).toMatchObject({ outcome: 'retry', retryAfterMs: 1000 });
      expect(await sender.sendOne(mail())).toMatchObject({ outcome: 'sent' });

      const [refusedAt, nextAt] = fake.requests.map((request) => request.at);
      expect(nextAt - refusedAt).toBeGreaterThanOrEqual(900);
    });

    it("gets a 429 with Retry-After from the fake's rate limit when sending too fast", async () => {
      await fake.close();
      fake = new FakeResendServer({ requestsPerSecond: 2 });
      baseUrl = await fake.start();

      const sender = senderFor();

      const outcomes = await Promise.all([mail(), mail(), mail()].map((m) => sender.sendOne(m)));

      expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['retry', 'sent', 'sent']);
      expect(outcomes.find((outcome) => outcome.outcome === 'retry')).toMatchObject({ retryAfterMs: 1000 });
    });
  });
});
