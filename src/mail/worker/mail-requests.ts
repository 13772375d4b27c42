import type { MailContent } from '../mail.types';
import type { OutgoingMail, SendOutcome } from '../resend/mail-send.types';
import { batchIdempotencyKey } from '../resend/resend-request';

/** What is sent for a job, fixed when it is first processed so that every retry sends the same body. */
export type RenderedSnapshot = Omit<OutgoingMail, 'jobId'>;

/** A job as the outbox holds it. */
export interface StoredJob {
  id: string;
  tenantId: string;
  to: string;
  /** Null once the job was sent: a delivered mail keeps nothing it carried. */
  content: MailContent | null;
  /** Null until the job is claimed into a request, and again once it was sent. */
  rendered: RenderedSnapshot | null;
  /** The Idempotency-Key of the one request this job is ever sent in; null until it is first sent. */
  requestKey: string | null;
  sentAt: Date | null;
  resendId: string | null;
  lastError: string | null;
}

/** The key of the request sending these jobs: a lone job's own id, else the key of the set. */
export function requestKeyOf(jobIds: readonly string[]): string {
  if (jobIds.length === 0) throw new RangeError('A request sends at least one job');
  return jobIds.length === 1 ? jobIds[0] : batchIdempotencyKey(jobIds);
}

/** Deliveries of one dispatcher round, sorted by what their job needs. */
export interface DeliveryPlan<Delivery> {
  /** Already sent: nothing to do. */
  sent: Delivery[];
  /** No such job in the outbox. */
  unknown: Delivery[];
  /** Jobs already in a request: resent, if at all, only in that request. */
  byRequestKey: Map<string, Delivery[]>;
  /** Jobs never sent, by job id (a job delivered twice appears once, with both deliveries). */
  fresh: Map<string, Delivery[]>;
}

export function planDeliveries<Delivery extends { jobId: string }>(
  deliveries: readonly Delivery[],
  jobs: ReadonlyMap<string, StoredJob>,
): DeliveryPlan<Delivery> {
  const plan: DeliveryPlan<Delivery> = { sent: [], unknown: [], byRequestKey: new Map(), fresh: new Map() };
  const add = (map: Map<string, Delivery[]>, key: string, delivery: Delivery) =>
    map.set(key, [...(map.get(key) ?? []), delivery]);
  for (const delivery of deliveries) {
    const job = jobs.get(delivery.jobId);
    if (job === undefined) plan.unknown.push(delivery);
    else if (job.sentAt !== null) plan.sent.push(delivery);
    else if (job.requestKey !== null) add(plan.byRequestKey, job.requestKey, delivery);
    else add(plan.fresh, job.id, delivery);
  }
  return plan;
}

/** A recorded request: to be sent (again) exactly as it was, or already accepted with known outcomes. */
export type RecordedRequest =
  { state: 'unresolved'; mails: OutgoingMail[] } | { state: 'accepted'; outcomes: Map<string, SendOutcome> };

/**
 * Outcomes of a request are recorded for all its jobs at once, so one sent job means Resend accepted
 * the request: it must not go out again (after Resend forgets the key it would be delivered twice),
 * and its jobs that are not sent were refused in it. Otherwise it is resent with the same jobs and body.
 */
export function recordedRequestOf(members: readonly StoredJob[]): RecordedRequest {
  if (members.some((job) => job.sentAt !== null)) {
    return {
      state: 'accepted',
      outcomes: new Map(
        members.map((job): [string, SendOutcome] => [
          job.id,
          job.sentAt !== null
            ? { outcome: 'sent', resendId: job.resendId ?? '' }
            : { outcome: 'dead', reason: job.lastError ?? 'Resend refused this mail in its batch' },
        ]),
      ),
    };
  }
  const mails = members.map((job): OutgoingMail => {
    if (job.rendered === null) throw new Error(`Mail job ${job.id} is in a request but was never rendered`);
    return { jobId: job.id, ...job.rendered };
  });
  return { state: 'unresolved', mails };
}
