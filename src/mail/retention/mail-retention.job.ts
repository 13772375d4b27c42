import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

export interface MailRetentionOptions {
  /** Delivered rows are deleted this many days after their delivery. */
  deliveredRetentionDays: number;
  /** Dead letters (content kept for a replay) this many days after they died. */
  deadLetterRetentionDays: number;
  intervalMs: number;
  /** Rows per DELETE, so a sweep never holds many locks or one long transaction. */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 1000;

/*
 * A row is expired once it is delivered and older than the delivered retention, or dead (never
 * delivered) and older than the dead-letter retention; a job still under way never is. A request is
 * deleted only as a whole, once all its rows are expired: a mail refused in a batch that Resend
 * accepted stays recognisable as refused as long as it can be requeued.
 */
const DELETE_EXPIRED_BATCH = `
  DELETE FROM public.outbox WHERE id IN (
    SELECT o.id FROM public.outbox o
    WHERE (o.sent_at < now() - make_interval(days => $1)
           OR (o.sent_at IS NULL AND o.dead_at < now() - make_interval(days => $2)))
      AND NOT EXISTS (
        SELECT 1 FROM public.outbox m
        WHERE m.request_key = o.request_key
          AND NOT coalesce(m.sent_at < now() - make_interval(days => $1),
                           m.dead_at < now() - make_interval(days => $2), false))
    LIMIT $3
    FOR UPDATE SKIP LOCKED
  )`;

/**
 * Deletes settled rows of `public.outbox` once their retention is over, every interval, in batches.
 * Rows are locked with SKIP LOCKED, so the sweeps of several workers share the work instead of
 * waiting for each other, and a row a relay or worker holds is left for the next sweep.
 */
export class MailRetentionJob {
  private readonly logger = new Logger('MailRetention');
  private readonly batchSize: number;
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: MailRetentionOptions,
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  /** Sweeps now, then every interval, until `stop`. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** No further sweep or batch; the batch under way finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.sweeping;
  }

  /** Deletes every expired row, batch after batch; returns how many it deleted. */
  async sweep(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const [, count]: [unknown, number] = await this.dataSource.query(DELETE_EXPIRED_BATCH, [
        this.options.deliveredRetentionDays,
        this.options.deadLetterRetentionDays,
        this.batchSize,
      ]);
      deleted += count;
      if (count < this.batchSize || this.stopped) return deleted;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.sweeping = this.sweepLogged().finally(() => {
        this.sweeping = undefined;
        this.schedule(this.options.intervalMs);
      });
    }, delayMs);
  }

  private async sweepLogged(): Promise<void> {
    try {
      const deleted = await this.sweep();
      if (deleted > 0) this.logger.log(`Deleted ${deleted} settled mail job(s) past their retention`);
    } catch (error) {
      this.logger.warn(`The mail retention sweep failed (${(error as Error).message}); again next interval`);
    }
  }
}
