/** A rendered mail ready for Resend. `jobId` is the outbox job's id: it names the mail everywhere. */
export interface OutgoingMail {
  jobId: string;
  to: string;
  fromName: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
}

export interface SentOutcome {
  outcome: 'sent';
  /** Resend's id of the created email. */
  resendId: string;
}

/** Worth trying again later: rate limits, Resend's own failures, the network. */
export interface RetryOutcome {
  outcome: 'retry';
  reason: string;
  /** How long Resend asked us to wait, when it said. */
  retryAfterMs?: number;
}

/** Will fail the same way every time (validation, unverified domain, bad key): dead-letter it. */
export interface DeadOutcome {
  outcome: 'dead';
  reason: string;
}

export type SendOutcome = SentOutcome | RetryOutcome | DeadOutcome;

export type JobSendOutcome = SendOutcome & { jobId: string };
