import type { JobSendOutcome, OutgoingMail, SendOutcome } from '../resend/mail-send.types';

/**
 * Sends rendered mail: `ResendMailSender`, or `FileMailSender` without RESEND_API_KEY. A request
 * for one job uses the job id as its Idempotency-Key, a batch a key derived from its set of job ids.
 */
export interface MailSender {
  sendOne(mail: OutgoingMail): Promise<SendOutcome>;
  /** Up to 100 mails in one request; outcomes in the order of `mails`. */
  sendBatch(mails: readonly OutgoingMail[]): Promise<JobSendOutcome[]>;
}

export const MAIL_SENDER = Symbol('MAIL_SENDER');
