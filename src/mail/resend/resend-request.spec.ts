import { assertSendableJobId, batchIdempotencyKey, fromAddress, resendEmailOf } from './resend-request';

describe('fromAddress', () => {
  it('quotes the display name', () => {
    expect(fromAddress('Acme Rockets', 'no-reply@example.com')).toBe('"Acme Rockets" <no-reply@example.com>');
  });

  it('escapes quotes and backslashes in the name', () => {
    expect(fromAddress('Acme "Ops" \\ Team', 'no-reply@example.com')).toBe(
      '"Acme \\"Ops\\" \\\\ Team" <no-reply@example.com>',
    );
  });

  it('cannot be made to inject a header', () => {
    expect(fromAddress('Acme\r\nBcc: victim@example.com', 'no-reply@example.com')).toBe(
      '"Acme Bcc: victim@example.com" <no-reply@example.com>',
    );
  });

  it('is the bare address when the name is blank', () => {
    expect(fromAddress('  ', 'no-reply@example.com')).toBe('no-reply@example.com');
  });
});

describe('batchIdempotencyKey', () => {
  it('is the same for the same jobs in any order', () => {
    expect(batchIdempotencyKey(['b', 'a', 'c'])).toBe(batchIdempotencyKey(['c', 'b', 'a']));
  });

  it('differs for a different set of jobs', () => {
    expect(batchIdempotencyKey(['a', 'b'])).not.toBe(batchIdempotencyKey(['a', 'b', 'c']));
    expect(batchIdempotencyKey(['ab'])).not.toBe(batchIdempotencyKey(['a', 'b']));
  });

  it('fits Resend’s key format', () => {
    expect(batchIdempotencyKey(['a'])).toMatch(/^batch-[0-9a-f]{64}$/);
  });
});

describe('resendEmailOf', () => {
  it('carries the job id as a mail header and the reply-to address', () => {
    const email = resendEmailOf(
      {
        jobId: 'job-1',
        to: 'ada@example.com',
        fromName: 'Acme',
        replyTo: 'help@acme.example',
        subject: 'Hi',
        html: '<p>Hi</p>',
        text: 'Hi',
      },
      'no-reply@example.com',
    );

    expect(email).toEqual({
      from: '"Acme" <no-reply@example.com>',
      to: 'ada@example.com',
      replyTo: 'help@acme.example',
      subject: 'Hi',
      html: '<p>Hi</p>',
      text: 'Hi',
      headers: { 'X-Mail-Job-Id': 'job-1' },
    });
  });
});

describe('assertSendableJobId', () => {
  it('accepts a UUID', () => {
    expect(() => assertSendableJobId('0b6d3f6e-8f1c-4f7e-9a53-3c2b1d1e9f00')).not.toThrow();
  });

  it.each(['', 'job 1', 'job\r\nX-Other: 1', 'x'.repeat(201)])('rejects %j', (jobId) => {
    expect(() => assertSendableJobId(jobId)).toThrow(RangeError);
  });
});
