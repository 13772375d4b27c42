import { Logger } from '@nestjs/common';
import type { TenantBrandingRepository } from '../branding/tenant-branding.repository';
import type { MailRenderer } from '../mail-renderer';
import type { TenantBranding } from '../mail.types';
import type { MailJobDelivery } from '../queue/mail-job-queue';
import type { JobSendOutcome, OutgoingMail, SendOutcome } from '../resend/mail-send.types';
import type { MailSender } from '../sending/mail-sender';
import type { MailJobStore } from './mail-job-store';
import { planDeliveries, recordedRequestOf, type StoredJob } from './mail-requests';
import { type RetryPolicyOptions, type Settlement, settlementOf } from './retry-policy';

type Outcomes = ReadonlyMap<string, SendOutcome>;

/** Deliveries that settle together, once the outcomes of their jobs are known. */
interface DeliveryGroup {
  deliveries: MailJobDelivery[];
  outcomes: Promise<Outcomes>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Turns deliveries into Resend requests and settles them. A job is rendered once, with its tenant's
 * branding at that moment, and claimed into exactly one request (its Idempotency-Key) in PostgreSQL
 * before it is sent; every later delivery of it resends that same request or reads its outcome.
 */
export class MailJobProcessor {
  private readonly logger = new Logger('MailWorker');
  /* A job delivered twice while its request is on the wire waits for that request instead of racing it. */
  private readonly requestsInFlight = new Map<string, Promise<Outcomes>>();

  constructor(
    private readonly store: MailJobStore,
    private readonly brandings: TenantBrandingRepository,
    private readonly renderer: MailRenderer,
    private readonly sender: MailSender,
    private readonly policy: RetryPolicyOptions,
  ) {}

  /**
   * Reads and claims the jobs, then starts their requests; resolves once every request has been handed
   * to the sender, with a promise that settles when every delivery is settled.
   */
  async start(deliveries: MailJobDelivery[]): Promise<{ settled: Promise<void> }> {
    let groups: DeliveryGroup[];
    try {
      groups = await this.requestsFor(deliveries);
    } catch (error) {
      groups = [{ deliveries, outcomes: failed(error) }];
    }
    return { settled: Promise.all(groups.map((group) => this.settle(group))).then(() => undefined) };
  }

  private async requestsFor(deliveries: MailJobDelivery[]): Promise<DeliveryGroup[]> {
    const malformed = deliveries.filter((delivery) => !UUID.test(delivery.jobId));
    const wellFormed = deliveries.filter((delivery) => UUID.test(delivery.jobId));
    const jobs = await this.store.load([...new Set(wellFormed.map((delivery) => delivery.jobId))]);
    const plan = planDeliveries(wellFormed, jobs);
    const groups: DeliveryGroup[] = [
      known(malformed, () => ({ outcome: 'dead', reason: 'The message names no mail job' })),
      known(plan.unknown, () => ({ outcome: 'dead', reason: 'No such job in the outbox' })),
      known(plan.sent, (jobId) => ({ outcome: 'sent', resendId: jobs.get(jobId)?.resendId ?? '' })),
    ];
    const freshGroups = await this.claimFresh(plan.fresh, jobs);
    groups.push(...freshGroups.groups);
    for (const [key, waiting] of freshGroups.claimedElsewhere) {
      plan.byRequestKey.set(key, [...(plan.byRequestKey.get(key) ?? []), ...waiting]);
    }
    groups.push(...(await this.resendRecorded(plan.byRequestKey)));
    return groups.filter((group) => group.deliveries.length > 0);
  }

  /** Renders the jobs never processed, claims them into one new request and starts sending it. */
  private async claimFresh(
    fresh: Map<string, MailJobDelivery[]>,
    jobs: ReadonlyMap<string, StoredJob>,
  ): Promise<{ groups: DeliveryGroup[]; claimedElsewhere: Map<string, MailJobDelivery[]> }> {
    const groups: DeliveryGroup[] = [];
    const claimedElsewhere = new Map<string, MailJobDelivery[]>();
    if (fresh.size === 0) return { groups, claimedElsewhere };
    const freshJobs = [...fresh.keys()].map((jobId) => jobs.get(jobId) as StoredJob);
    const brandings = await this.brandings.findByTenantIds([
      ...new Set(freshJobs.map((job) => job.tenantId)),
    ]);
    const mails: OutgoingMail[] = [];
    for (const job of freshJobs) {
      try {
        mails.push(this.render(job, brandings));
      } catch (error) {
        const reason = `Could not render the mail: ${(error as Error).message}`;
        groups.push(known(fresh.get(job.id) ?? [], () => ({ outcome: 'dead', reason })));
      }
    }
    const claimed = mails.length > 0 ? await this.store.claimRequest(mails) : undefined;
    if (claimed) {
      const deliveries = claimed.mails.flatMap((mail) => fresh.get(mail.jobId) ?? []);
      groups.push({ deliveries, outcomes: this.send(claimed.key, claimed.mails) });
    }
    const claimedIds = new Set(claimed?.mails.map((mail) => mail.jobId));
    const raced = mails.filter((mail) => !claimedIds.has(mail.jobId)).map((mail) => mail.jobId);
    if (raced.length > 0) {
      // Another worker claimed them meanwhile: follow the request it put them in.
      for (const job of (await this.store.load(raced)).values()) {
        const deliveries = fresh.get(job.id) ?? [];
        if (job.requestKey === null) {
          groups.push(known(deliveries, () => ({ outcome: 'retry', reason: 'Claimed by another worker' })));
        } else {
          claimedElsewhere.set(job.requestKey, [
            ...(claimedElsewhere.get(job.requestKey) ?? []),
            ...deliveries,
          ]);
        }
      }
    }
    return { groups, claimedElsewhere };
  }

  private async resendRecorded(byRequestKey: Map<string, MailJobDelivery[]>): Promise<DeliveryGroup[]> {
    const notInFlight = [...byRequestKey.keys()].filter((key) => !this.requestsInFlight.has(key));
    const members =
      notInFlight.length > 0 ? await this.store.requestMembers(notInFlight) : new Map<string, StoredJob[]>();
    return [...byRequestKey].map(([key, deliveries]): DeliveryGroup => {
      const inFlight = this.requestsInFlight.get(key);
      if (inFlight) return { deliveries, outcomes: inFlight };
      try {
        const request = recordedRequestOf(members.get(key) ?? []);
        if (request.state === 'accepted') return { deliveries, outcomes: Promise.resolve(request.outcomes) };
        return { deliveries, outcomes: this.send(key, request.mails) };
      } catch (error) {
        return { deliveries, outcomes: failed(error) };
      }
    });
  }

  private render(job: StoredJob, brandings: ReadonlyMap<string, TenantBranding>): OutgoingMail {
    const branding = brandings.get(job.tenantId);
    if (branding === undefined) throw new Error(`tenant ${job.tenantId} no longer exists`);
    if (job.content === null) throw new Error('its content is gone');
    const { subject, html, text } = this.renderer.render(job.content, branding);
    return {
      jobId: job.id,
      to: job.to,
      fromName: branding.fromName,
      ...(branding.replyTo === undefined ? {} : { replyTo: branding.replyTo }),
      subject,
      html,
      text,
    };
  }

  /** Sends one request and records its outcomes; the sender is called before this returns. */
  private send(key: string, mails: OutgoingMail[]): Promise<Outcomes> {
    const request = (async () => {
      const outcomes: JobSendOutcome[] =
        mails.length === 1
          ? [{ jobId: mails[0].jobId, ...(await this.sender.sendOne(mails[0])) }]
          : await this.sender.sendBatch(mails);
      await this.store.recordOutcomes(outcomes);
      return new Map<string, SendOutcome>(outcomes.map(({ jobId, ...outcome }) => [jobId, outcome]));
    })().finally(() => this.requestsInFlight.delete(key));
    // A round that failed after starting this request no longer awaits it; its failure is not unhandled.
    request.catch(() => undefined);
    this.requestsInFlight.set(key, request);
    return request;
  }

  private async settle({ deliveries, outcomes }: DeliveryGroup): Promise<void> {
    let known: Outcomes | undefined;
    let failure = 'no outcome';
    try {
      known = await outcomes;
    } catch (error) {
      failure = `The worker failed: ${(error as Error).message}`;
      this.logger.error(`Mail jobs ${deliveries.map((d) => d.jobId).join(', ')}: ${failure}`);
    }
    const settlements = deliveries.map((delivery): [MailJobDelivery, Settlement] => {
      const outcome: SendOutcome = known?.get(delivery.jobId) ?? { outcome: 'retry', reason: failure };
      return [delivery, settlementOf(outcome, delivery.attempt, this.policy)];
    });
    const deaths = settlements.flatMap(([delivery, settlement]) =>
      settlement.action === 'dead' ? [{ jobId: delivery.jobId, reason: settlement.reason }] : [],
    );
    const validDeaths = deaths.filter((death) => UUID.test(death.jobId));
    if (validDeaths.length > 0) await this.store.markDead(validDeaths).catch(() => undefined);
    await Promise.all(
      settlements.map(async ([delivery, settlement]) => {
        try {
          if (settlement.action === 'complete') await delivery.complete();
          else if (settlement.action === 'retry') await delivery.retryLater(settlement.delayMs);
          else {
            this.logger.warn(`Mail job ${delivery.jobId} dead-lettered: ${settlement.reason}`);
            await delivery.deadLetter(settlement.reason);
          }
        } catch (error) {
          // Unsettled, the delivery returns to the queue when its channel closes.
          this.logger.warn(`Could not settle mail job ${delivery.jobId}: ${(error as Error).message}`);
        }
      }),
    );
  }
}

/** Outcomes that failed, already marked handled: whoever settles the group reads the error. */
function failed(error: unknown): Promise<Outcomes> {
  const failure = Promise.reject(error instanceof Error ? error : new Error(String(error)));
  failure.catch(() => undefined);
  return failure;
}

/** Deliveries whose outcome is known without sending anything. */
function known(deliveries: MailJobDelivery[], outcomeOf: (jobId: string) => SendOutcome): DeliveryGroup {
  return {
    deliveries,
    outcomes: Promise.resolve(
      new Map(deliveries.map((delivery) => [delivery.jobId, outcomeOf(delivery.jobId)])),
    ),
  };
}
