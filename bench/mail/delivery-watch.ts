import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeResendServer } from '../../test/support/fake-resend.server';

const POLL_MS = 2;

/**
 * Indexes what the fake Resend received: each job (by `X-Mail-Job-Id`) with the arrival time of the
 * request that delivered it, and how often it was delivered. Times are the fake's `Date.now()` at the
 * request's arrival, in this process, so they compare with commit times taken here.
 */
export class DeliveryWatch {
  private requestsSeen = 0;
  private deliveriesSeen = 0;
  /** Idempotency-Key of each accepted (200, not replayed) request → when it arrived. */
  private readonly acceptedAt = new Map<string, number>();
  private readonly receivedAt = new Map<string, number>();
  private readonly deliveries = new Map<string, number>();

  constructor(private readonly fake: FakeResendServer) {}

  receivedAtOf(jobId: string): number | undefined {
    this.scan();
    return this.receivedAt.get(jobId);
  }

  /** Jobs the fake received more than once. */
  duplicates(): string[] {
    this.scan();
    return [...this.deliveries].filter(([, count]) => count > 1).map(([jobId]) => jobId);
  }

  /** Resolves when every job arrived; false when `timeoutMs` ran out first. */
  async waitFor(jobIds: readonly string[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (let next = 0; ;) {
      this.scan();
      while (next < jobIds.length && this.receivedAt.has(jobIds[next])) next++;
      if (next === jobIds.length) return true;
      if (Date.now() > deadline) return false;
      await sleep(POLL_MS);
    }
  }

  private scan(): void {
    // The fake records a request right after delivering its mails, in the same tick.
    const { requests, deliveries } = this.fake;
    for (; this.requestsSeen < requests.length; this.requestsSeen++) {
      const request = requests[this.requestsSeen];
      if (request.status === 200 && !request.replayed && request.idempotencyKey !== undefined) {
        this.acceptedAt.set(request.idempotencyKey, request.at);
      }
    }
    for (; this.deliveriesSeen < deliveries.length; this.deliveriesSeen++) {
      const { jobId, idempotencyKey } = deliveries[this.deliveriesSeen];
      if (jobId === undefined) throw new Error('a mail reached the fake without X-Mail-Job-Id');
      const at = idempotencyKey === undefined ? undefined : this.acceptedAt.get(idempotencyKey);
      if (at === undefined) throw new Error(`job ${jobId} arrived in a request without an Idempotency-Key`);
      this.deliveries.set(jobId, (this.deliveries.get(jobId) ?? 0) + 1);
      if (!this.receivedAt.has(jobId)) this.receivedAt.set(jobId, at);
    }
  }
}
