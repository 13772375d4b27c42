import { Resend, type ErrorResponse } from 'resend';
import type { DeadOutcome, JobSendOutcome, OutgoingMail, RetryOutcome, SendOutcome } from './mail-send.types';
import { RequestThrottle } from './request-throttle';
import { classifyResendFailure } from './resend-failure';
import { assertSendableJobId, batchIdempotencyKey, MAX_BATCH_SIZE, resendEmailOf } from './resend-request';

export interface ResendMailSenderOptions {
  apiKey: string;
  /** The address in every `from` (config `resend.fromEmail`). */
  fromEmail: string;
  /** Another API server, such as a local fake (config `resend.baseUrl`); unset: the SDK's default. */
  baseUrl?: string;
  /** Share one throttle between every sender of the process: Resend's rate limit is per team. */
  throttle?: RequestThrottle;
  requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/* After a 429 without Retry-After, wait one rate-limit window. */
const PAUSE_AFTER_RATE_LIMIT_MS = 1_000;
/* A Retry-After of hours (a daily quota) must not freeze the process; the job's own retry delay carries it. */
const LONGEST_SHARED_PAUSE_MS = 60_000;

/**
 * Sends rendered mail through Resend. Every request carries an Idempotency-Key that is the same on every
 * retry of the same job (or the same set of jobs), so Resend never delivers one twice. Failures come back
 * as outcomes, never as exceptions; only a caller's mistake (bad job id, bad batch) throws.
 */
export class ResendMailSender {
  private readonly resend: Resend;
  private readonly fromEmail: string;
  private readonly throttle: RequestThrottle;
  private readonly requestTimeoutMs: number;

  constructor(options: ResendMailSenderOptions) {
    this.resend = new Resend(options.apiKey, { baseUrl: options.baseUrl });
    this.fromEmail = options.fromEmail;
    this.throttle = options.throttle ?? new RequestThrottle();
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  async sendOne(mail: OutgoingMail): Promise<SendOutcome> {
    assertSendableJobId(mail.jobId);
    await this.throttle.acquire();
    const response = await this.resend.emails.send(resendEmailOf(mail, this.fromEmail), {
      idempotencyKey: mail.jobId,
      signal: AbortSignal.timeout(this.requestTimeoutMs),
    });
    if (response.error) return this.failureOutcome(response.error, response.headers);
    return { outcome: 'sent', resendId: response.data.id };
  }

  /**
   * Sends up to 100 mails in one request. Permissive validation: an invalid mail is refused alone
   * (`dead`) and the others are sent. Outcomes come back in the order of `mails`.
   */
  async sendBatch(mails: readonly OutgoingMail[]): Promise<JobSendOutcome[]> {
    assertSendableBatch(mails);
    // Sorted so that the same set of jobs is always the same request body, as the idempotency key requires.
    const ordered = [...mails].sort((a, b) => (a.jobId < b.jobId ? -1 : 1));
    await this.throttle.acquire();
    const response = await this.resend.batch.send(
      ordered.map((mail) => resendEmailOf(mail, this.fromEmail)),
      {
        idempotencyKey: batchIdempotencyKey(ordered.map((mail) => mail.jobId)),
        batchValidation: 'permissive',
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      },
    );
    if (response.error) {
      const outcome = this.failureOutcome(response.error, response.headers);
      return mails.map((mail) => ({ jobId: mail.jobId, ...outcome }));
    }
    const outcomes = outcomesInRequestOrder(ordered, response.data.data, response.data.errors ?? []);
    const outcomeOfJob = new Map(outcomes.map((outcome) => [outcome.jobId, outcome]));
    return mails.flatMap((mail) => outcomeOfJob.get(mail.jobId) ?? []);
  }

  private failureOutcome(
    error: ErrorResponse,
    headers: Record<string, string> | null,
  ): RetryOutcome | DeadOutcome {
    const outcome = classifyResendFailure(error, headers);
    if (outcome.outcome === 'retry' && error.statusCode === 429) {
      this.throttle.pauseFor(
        Math.min(outcome.retryAfterMs ?? PAUSE_AFTER_RATE_LIMIT_MS, LONGEST_SHARED_PAUSE_MS),
      );
    }
    return outcome;
  }
}

function assertSendableBatch(mails: readonly OutgoingMail[]): void {
  if (mails.length === 0 || mails.length > MAX_BATCH_SIZE) {
    throw new RangeError(`A batch holds 1 to ${MAX_BATCH_SIZE} mails, got ${mails.length}`);
  }
  mails.forEach((mail) => assertSendableJobId(mail.jobId));
  if (new Set(mails.map((mail) => mail.jobId)).size !== mails.length) {
    throw new RangeError('A batch must not hold the same job twice');
  }
}

/**
 * In permissive mode `errors` names refused mails by their index in the request, and `data` lists the
 * ids of the created mails in request order, skipping the refused ones.
 */
function outcomesInRequestOrder(
  ordered: readonly OutgoingMail[],
  created: ReadonlyArray<{ id: string }>,
  refused: ReadonlyArray<{ index: number; message: string }>,
): JobSendOutcome[] {
  const refusalByIndex = new Map(refused.map((refusal) => [refusal.index, refusal.message]));
  let createdIndex = 0;
  return ordered.map(({ jobId }, index): JobSendOutcome => {
    const refusal = refusalByIndex.get(index);
    if (refusal !== undefined) {
      return { jobId, outcome: 'dead', reason: `Resend refused the mail: ${refusal}` };
    }
    const resendId = created[createdIndex++]?.id;
    return resendId === undefined
      ? { jobId, outcome: 'dead', reason: 'Resend accepted the batch but returned no id for this mail' }
      : { jobId, outcome: 'sent', resendId };
  });
}
