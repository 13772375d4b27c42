import { Logger } from '@nestjs/common';
import type { MailJobDelivery, MailJobQueue } from './mail-job-queue';

interface QueuedJob {
  jobId: string;
  attempt: number;
}

/**
 * The queue when RABBITMQ_URL is unset: jobs in memory, retries on timers. Nothing here is durable;
 * the outbox is, and the in-process relay republishes unsent jobs when the process starts again.
 */
export class InProcessMailQueue implements MailJobQueue {
  private readonly logger = new Logger('MailQueue');
  private readonly waiting: QueuedJob[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private onDelivery?: (delivery: MailJobDelivery) => void;

  readonly isConnected = true;

  publish(jobIds: readonly string[]): Promise<void> {
    for (const jobId of jobIds) this.enqueue({ jobId, attempt: 1 });
    return Promise.resolve();
  }

  consume(onDelivery: (delivery: MailJobDelivery) => void): Promise<void> {
    this.onDelivery = onDelivery;
    for (const job of this.waiting.splice(0)) this.enqueue(job);
    return Promise.resolve();
  }

  stopConsuming(): Promise<void> {
    this.onDelivery = undefined;
    return Promise.resolve();
  }

  close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.length = 0;
    return Promise.resolve();
  }

  private enqueue(job: QueuedJob): void {
    if (this.onDelivery) this.onDelivery(this.deliveryOf(job));
    else this.waiting.push(job);
  }

  private deliveryOf({ jobId, attempt }: QueuedJob): MailJobDelivery {
    return {
      jobId,
      attempt,
      complete: () => Promise.resolve(),
      retryLater: (delayMs) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.enqueue({ jobId, attempt: attempt + 1 });
        }, delayMs);
        this.timers.add(timer);
        return Promise.resolve();
      },
      deadLetter: (reason) => {
        this.logger.error(`Mail job ${jobId} dead after ${attempt} attempt(s): ${reason}`);
        return Promise.resolve();
      },
    };
  }
}
