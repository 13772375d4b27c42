import { Logger } from '@nestjs/common';
import type { TenantBrandingRepository } from '../branding/tenant-branding.repository';
import { MailRenderer } from '../mail-renderer';
import type { TenantBranding } from '../mail.types';
import type { MailJobDelivery } from '../queue/mail-job-queue';
import type { JobSendOutcome, OutgoingMail, SendOutcome } from '../resend/mail-send.types';
import type { MailSender } from '../sending/mail-sender';
import { MailJobProcessor } from './mail-job-processor';
import type { MailJobStore } from './mail-job-store';
import { requestKeyOf, type StoredJob } from './mail-requests';

const TENANT = '11111111-1111-4111-8111-111111111111';
const [A, B, C] = ['a', 'b', 'c'].map((letter) => `${letter.repeat(8)}-0000-4000-8000-000000000000`);

/** The outbox in memory, with the store's semantics. */
class InMemoryJobs {
  readonly jobs = new Map<string, StoredJob>();

  add(id: string): void {
    this.jobs.set(id, {
      id,
      tenantId: TENANT,
      to: `${id.slice(0, 1)}@example.com`,
      content: { kind: 'welcome', data: { recipientName: 'Ada', tenantSlug: 'acme' } },
      rendered: null,
      requestKey: null,
      sentAt: null,
      resendId: null,
      lastError: null,
    });
  }

  readonly store = {
    load: (ids: readonly string[]) =>
      Promise.resolve(
        new Map(ids.flatMap((id) => (this.jobs.has(id) ? [[id, { ...this.jobs.get(id)! }]] : []))),
      ),
    requestMembers: (keys: readonly string[]) =>
      Promise.resolve(
        new Map(keys.map((key) => [key, [...this.jobs.values()].filter((job) => job.requestKey === key)])),
      ),
    claimRequest: (mails: readonly OutgoingMail[]) => {
      const claimed = mails.filter((mail) => this.jobs.get(mail.jobId)?.requestKey === null);
      const key = requestKeyOf(claimed.map((mail) => mail.jobId));
      for (const { jobId, ...rendered } of claimed)
        Object.assign(this.jobs.get(jobId)!, { requestKey: key, rendered });
      return Promise.resolve({ key, mails: claimed });
    },
    recordOutcomes: (outcomes: readonly JobSendOutcome[]) => {
      for (const outcome of outcomes) {
        const job = this.jobs.get(outcome.jobId)!;
        if (outcome.outcome === 'sent')
          Object.assign(job, { sentAt: new Date(), resendId: outcome.resendId });
        else job.lastError = outcome.reason;
      }
      return Promise.resolve();
    },
    markDead: () => Promise.resolve(),
  };
}

/** A sender that records each request (its key and mails) and answers with `answer`. */
function recordingSender(
  answer: (mail: OutgoingMail) => SendOutcome = () => ({ outcome: 'sent', resendId: 're' }),
) {
  const requests: Array<{ key: string; mails: OutgoingMail[] }> = [];
  const sender: MailSender = {
    sendOne: (mail) => {
      requests.push({ key: mail.jobId, mails: [mail] });
      return Promise.resolve(answer(mail));
    },
    sendBatch: (mails) => {
      requests.push({ key: requestKeyOf(mails.map((mail) => mail.jobId)), mails: [...mails] });
      return Promise.resolve(mails.map((mail) => ({ jobId: mail.jobId, ...answer(mail) })));
    },
  };
  return { sender, requests };
}

function delivery(jobId: string, attempt = 1) {
  const settled: string[] = [];
  const handle: MailJobDelivery = {
    jobId,
    attempt,
    complete: () => Promise.resolve(void settled.push('complete')),
    retryLater: (delayMs) => Promise.resolve(void settled.push(`retry ${delayMs}`)),
    deadLetter: (reason) => Promise.resolve(void settled.push(`dead ${reason}`)),
  };
  return { handle, settled };
}

describe('MailJobProcessor', () => {
  let outbox: InMemoryJobs;
  let branding: TenantBranding;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    outbox = new InMemoryJobs();
    [A, B, C].forEach((id) => outbox.add(id));
    branding = { displayName: 'Acme', primaryColor: '#ff6600', fromName: 'Acme' };
  });

  afterEach(() => jest.restoreAllMocks());

  function processor(sender: MailSender) {
    const brandings = {
      findByTenantIds: () => Promise.resolve(new Map([[TENANT, branding]])),
    } as unknown as TenantBrandingRepository;
    return new MailJobProcessor(
      outbox.store as unknown as MailJobStore,
      brandings,
      new MailRenderer({ publicUrl: 'https://app.example.com' }),
      sender,
      { maxAttempts: 3, retryDelaysMs: [100, 1000] },
    );
  }

  async function run(sender: MailSender, deliveries: Array<ReturnType<typeof delivery>>) {
    const { settled } = await processor(sender).start(deliveries.map((d) => d.handle));
    await settled;
  }

  it('sends fresh jobs in one batch keyed by their set, and completes them', async () => {
    const { sender, requests } = recordingSender();
    const [a, b] = [delivery(A), delivery(B)];

    await run(sender, [a, b]);

    expect(requests.map((request) => request.key)).toEqual([requestKeyOf([A, B])]);
    expect([a.settled, b.settled]).toEqual([['complete'], ['complete']]);
    expect(outbox.jobs.get(A)?.requestKey).toBe(requestKeyOf([A, B]));
  });

  it('resends a redelivered job only in its recorded request, with the stored body, beside a new one', async () => {
    const crashed = recordingSender(() => ({ outcome: 'retry', reason: 'the worker died' }));
    await run(crashed.sender, [delivery(A), delivery(B)]);
    branding = { ...branding, displayName: 'Renamed Acme' };

    const { sender, requests } = recordingSender();
    const [a, c] = [delivery(A, 2), delivery(C)];
    await run(sender, [a, c]);

    expect(requests.map((request) => request.key).sort()).toEqual([requestKeyOf([A, B]), C].sort());
    const resent = requests.find((request) => request.key === requestKeyOf([A, B]));
    expect(resent?.mails).toEqual(crashed.requests[0].mails);
    expect(requests.find((request) => request.key === C)?.mails[0].subject).toBe('Welcome to Renamed Acme');
    expect([a.settled, c.settled]).toEqual([['complete'], ['complete']]);
  });

  it('never resends a request Resend accepted, and skips a job already sent', async () => {
    const first = recordingSender((mail) =>
      mail.jobId === B
        ? { outcome: 'dead', reason: 'Resend refused the mail' }
        : { outcome: 'sent', resendId: 're' },
    );
    await run(first.sender, [delivery(A), delivery(B)]);

    const { sender, requests } = recordingSender();
    const [a, b] = [delivery(A, 2), delivery(B, 2)];
    await run(sender, [a, b]);

    expect(requests).toEqual([]);
    expect([a.settled, b.settled]).toEqual([['complete'], ['dead Resend refused the mail']]);
  });

  it('retries through the tiers and dead-letters after the last attempt', async () => {
    const { sender } = recordingSender(() => ({ outcome: 'retry', reason: 'Resend answered 500' }));
    const [first, second, last] = [delivery(A, 1), delivery(B, 2), delivery(C, 3)];

    await run(sender, [first, second, last]);

    expect(first.settled).toEqual(['retry 100']);
    expect(second.settled).toEqual(['retry 1000']);
    expect(last.settled).toEqual(['dead Gave up after 3 attempts: Resend answered 500']);
  });

  it('dead-letters a message that names no job, and a job that does not exist', async () => {
    const { sender, requests } = recordingSender();
    const [garbage, missing] = [delivery('not-a-uuid'), delivery('dddddddd-0000-4000-8000-000000000000')];

    await run(sender, [garbage, missing]);

    expect(requests).toEqual([]);
    expect(garbage.settled).toEqual(['dead The message names no mail job']);
    expect(missing.settled).toEqual(['dead No such job in the outbox']);
  });
});
