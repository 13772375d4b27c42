import { createHash } from 'node:crypto';
import type { CreateBatchEmailOptions } from 'resend';
import type { OutgoingMail } from './mail-send.types';

export const MAIL_JOB_ID_HEADER = 'X-Mail-Job-Id';

/** Resend's limit on mails per batch request. */
export const MAX_BATCH_SIZE = 100;

/* Visible ASCII only: the job id becomes a mail header value and the Idempotency-Key (at most 256 chars). */
const SENDABLE_JOB_ID = /^[\x21-\x7e]{1,200}$/;

export function assertSendableJobId(jobId: string): void {
  if (!SENDABLE_JOB_ID.test(jobId)) {
    throw new RangeError(`Mail job id must be 1 to 200 visible ASCII characters, got "${jobId}"`);
  }
}

/** `"<fromName>" <fromEmail>`, the name as an RFC 5322 quoted string; just the address when the name is blank. */
export function fromAddress(fromName: string, fromEmail: string): string {
  const name = fromName
    .replace(/\p{Cc}+/gu, ' ')
    .trim()
    .replace(/["\\]/g, '\\$&');
  return name === '' ? fromEmail : `"${name}" <${fromEmail}>`;
}

/**
 * The same set of jobs always gives the same key, whatever their order, so a retried batch is
 * recognised by Resend; a different set gives a different key.
 */
export function batchIdempotencyKey(jobIds: readonly string[]): string {
  const sorted = [...jobIds].sort();
  return `batch-${createHash('sha256').update(sorted.join('\n')).digest('hex')}`;
}

export function resendEmailOf(mail: OutgoingMail, fromEmail: string): CreateBatchEmailOptions {
  return {
    from: fromAddress(mail.fromName, fromEmail),
    to: mail.to,
    ...(mail.replyTo === undefined ? {} : { replyTo: mail.replyTo }),
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    headers: { [MAIL_JOB_ID_HEADER]: mail.jobId },
  };
}
