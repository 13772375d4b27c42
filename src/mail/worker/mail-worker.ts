import { Logger } from '@nestjs/common';
import type { OutboxRelay } from '../outbox/outbox-relay';
import type { MailJobQueue } from '../queue/mail-job-queue';
import type { MailRetentionJob } from '../retention/mail-retention.job';
import type { MailDispatcher } from './mail-dispatcher';

/**
 * The mail pipeline of one process: the outbox relay feeding the queue, the consumer sending mail, and
 * the sweep deleting settled rows once their retention is over.
 */
export class MailWorker {
  private readonly logger = new Logger('MailWorker');
  private started = false;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly queue: MailJobQueue,
    private readonly dispatcher: MailDispatcher,
    private readonly retention: MailRetentionJob,
  ) {}

  async start(): Promise<void> {
    this.dispatcher.start();
    await this.queue.consume((delivery) => this.dispatcher.accept(delivery));
    await this.relay.start();
    this.retention.start();
    this.started = true;
    this.logger.log('Mail worker started');
  }

  /**
   * Graceful: no more sweeping, publishing or consuming, in-flight sends finish and settle, then the
   * channels close.
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.retention.stop();
    await this.relay.stop();
    await this.queue.stopConsuming();
    await this.dispatcher.stop();
    await this.queue.close();
    this.logger.log('Mail worker stopped');
  }
}
