import type { MailContent } from '../mail.types';
import { batchIdempotencyKey } from '../resend/resend-request';
import { planDeliveries, recordedRequestOf, requestKeyOf, type StoredJob } from './mail-requests';

const content: MailContent = { kind: 'welcome', data: { recipientName: 'Ada', tenantSlug: 'acme' } };
const rendered = { to: 'ada@example.com', fromName: 'Acme', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' };

function job(id: string, overrides: Partial<StoredJob> = {}): StoredJob {
  return {
    id,
    tenantId: 'tenant-1',
    to: 'ada@example.com',
    content,
    rendered: null,
    requestKey: null,
    sentAt: null,
    resendId: null,
    lastError: null,
    ...overrides,
  };
}

const delivery = (jobId: string, attempt = 1) => ({ jobId, attempt });

describe('requestKeyOf', () => {
  it("is a lone job's own id", () => {
    expect(requestKeyOf(['job-1'])).toBe('job-1');
  });

  it('is the batch key of the set, in any order', () => {
    expect(requestKeyOf(['b', 'a'])).toBe(batchIdempotencyKey(['a', 'b']));
  });

  it('refuses an empty request', () => {
    expect(() => requestKeyOf([])).toThrow(RangeError);
  });
});

describe('planDeliveries', () => {
  const jobs = new Map(
    [
      job('fresh-1'),
      job('fresh-2'),
      job('sent', { requestKey: 'sent', rendered, sentAt: new Date(), resendId: 're_1' }),
      job('in-batch-1', { requestKey: 'batch-k', rendered }),
      job('in-batch-2', { requestKey: 'batch-k', rendered }),
      job('alone', { requestKey: 'alone', rendered }),
    ].map((stored) => [stored.id, stored]),
  );

  it('sorts deliveries by what their job needs', () => {
    const plan = planDeliveries(
      ['fresh-1', 'sent', 'in-batch-1', 'missing', 'alone', 'in-batch-2', 'fresh-2'].map((id) =>
        delivery(id),
      ),
      jobs,
    );

    expect(plan.sent).toEqual([delivery('sent')]);
    expect(plan.unknown).toEqual([delivery('missing')]);
    expect([...plan.byRequestKey]).toEqual([
      ['batch-k', [delivery('in-batch-1'), delivery('in-batch-2')]],
      ['alone', [delivery('alone')]],
    ]);
    expect([...plan.fresh.keys()]).toEqual(['fresh-1', 'fresh-2']);
  });

  it('keeps both deliveries of a job delivered twice under the one job', () => {
    const plan = planDeliveries([delivery('fresh-1'), delivery('fresh-1', 2)], jobs);

    expect(plan.fresh.get('fresh-1')).toEqual([delivery('fresh-1'), delivery('fresh-1', 2)]);
    expect(plan.fresh.size).toBe(1);
  });
});

describe('recordedRequestOf', () => {
  it('resends an unresolved request with the same jobs and the stored bodies', () => {
    const request = recordedRequestOf([
      job('a', { requestKey: 'k', rendered }),
      job('b', { requestKey: 'k', rendered: { ...rendered, to: 'bob@example.com' } }),
    ]);

    expect(request).toEqual({
      state: 'unresolved',
      mails: [
        { jobId: 'a', ...rendered },
        { jobId: 'b', ...rendered, to: 'bob@example.com' },
      ],
    });
  });

  it('never resends a request of which one job was sent, and reads the others as refused', () => {
    const request = recordedRequestOf([
      job('a', { requestKey: 'k', rendered, sentAt: new Date(), resendId: 're_a' }),
      job('b', { requestKey: 'k', rendered, lastError: 'Resend refused the mail: Invalid `to` field' }),
    ]);

    expect(request).toEqual({
      state: 'accepted',
      outcomes: new Map([
        ['a', { outcome: 'sent', resendId: 're_a' }],
        ['b', { outcome: 'dead', reason: 'Resend refused the mail: Invalid `to` field' }],
      ]),
    });
  });

  it('fails loudly on a request whose job has no stored body', () => {
    expect(() => recordedRequestOf([job('a', { requestKey: 'k' })])).toThrow(/never rendered/);
  });
});
