import { Logger } from '@nestjs/common';
import type { MailJobDelivery } from '../queue/mail-job-queue';
import type { RequestThrottle } from '../resend/request-throttle';
import { MAX_BATCH_SIZE } from '../resend/resend-request';
import type { MailJobProcessor } from './mail-job-processor';

/**
 * Collects deliveries and hands them to the processor in rounds of up to 100. A round starts only
 * when the throttle would grant a request at once, so everything that arrived while the previous
 * request held the rate limit's slot goes out together: one request at light load, full batches
 * under load (2 requests/s × 100 mails).
 */
export class MailDispatcher {
  private readonly logger = new Logger('MailDispatcher');
  private readonly waiting: MailJobDelivery[] = [];
  private readonly rounds = new Set<Promise<void>>();
  private wakeUp?: () => void;
  private loop?: Promise<void>;
  private running = false;

  constructor(
    private readonly processor: MailJobProcessor,
    private readonly throttle?: RequestThrottle,
  ) {}

  accept(delivery: MailJobDelivery): void {
    this.waiting.push(delivery);
    this.wakeUp?.();
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Starts no new round and waits for the rounds under way to settle. Deliveries still waiting are left
   * unsettled: RabbitMQ hands them to another worker once this one's channel closes.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    await Promise.allSettled([...this.rounds]);
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.waiting.length === 0) {
        await new Promise<void>((resolve) => (this.wakeUp = resolve));
        this.wakeUp = undefined;
        continue;
      }
      await this.throttle?.untilReady();
      if (!this.running) break;
      const deliveries = this.waiting.splice(0, MAX_BATCH_SIZE);
      try {
        const { settled } = await this.processor.start(deliveries);
        const round = settled
          .catch((error: Error) => this.logger.error(`A mail round failed: ${error.message}`, error.stack))
          .finally(() => this.rounds.delete(round));
        this.rounds.add(round);
      } catch (error) {
        this.logger.error(`A mail round failed to start: ${(error as Error).message}`);
      }
    }
  }
}
