import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { clientConfigOf, PostgresNotificationListener } from '../../database/notification-listener';
import type { MailJobQueue } from '../queue/mail-job-queue';
import { OUTBOX_CHANNEL } from './mail-outbox';

export interface OutboxRelayOptions {
  /** Wake-up besides NOTIFY: catches jobs whose notification was missed (listener reconnecting). */
  pollIntervalMs: number;
  batchSize?: number;
  /**
   * For the in-process queue, which loses its jobs with the process: on start, jobs published but
   * neither sent nor dead are published again (the worker skips any that turn out to be sent).
   */
  republishUnsentOnStart?: boolean;
}

const DEFAULT_BATCH_SIZE = 500;
const LONGEST_RETRY_DELAY_MS = 10_000;

/**
 * Moves outbox rows to the queue. Rows are locked with FOR UPDATE SKIP LOCKED, so relays in several
 * processes never publish the same row at once, and marked published in the same transaction only
 * after the queue confirmed them. A relay that dies between the confirm and the commit leaves the rows
 * to be published again: a duplicate message, which the worker recognises.
 */
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private readonly batchSize: number;
  private listener?: PostgresNotificationListener;
  private pollTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private drainAgain = false;
  private failures = 0;
  private stopped = true;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: MailJobQueue,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (this.options.republishUnsentOnStart) {
      await this.dataSource.query(
        `UPDATE public.outbox SET published_at = NULL
         WHERE published_at IS NOT NULL AND sent_at IS NULL AND dead_at IS NULL`,
      );
    }
    this.listener = new PostgresNotificationListener(clientConfigOf(this.dataSource), {
      channels: [OUTBOX_CHANNEL],
      applicationName: 'saas-mail-relay',
      onNotification: () => this.wake(),
      // Jobs committed while no one listened are picked up by the next drain.
      onListening: () => this.wake(),
    });
    await this.listener.start();
    this.pollTimer = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    await this.draining;
    await this.listener?.stop();
  }

  /** Drains the outbox now, or right after the drain that is running. */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.drainAgain) {
        this.drainAgain = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.publishBatch()) === this.batchSize) {
        // A full batch: more may be waiting.
      }
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      const delay = Math.min(100 * 2 ** this.failures, LONGEST_RETRY_DELAY_MS);
      this.logger.warn(`Publishing the outbox failed (${(error as Error).message}); again in ${delay} ms`);
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.wake(), delay);
    }
  }

  private publishBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string }> = await manager.query(
        `SELECT id FROM public.outbox WHERE published_at IS NULL
         ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (rows.length === 0) return 0;
      const jobIds = rows.map((row) => row.id);
      await this.queue.publish(jobIds);
      await manager.query(
        `UPDATE public.outbox SET published_at = clock_timestamp() WHERE id = ANY($1::uuid[])`,
        [jobIds],
      );
      return jobIds.length;
    });
  }
}
