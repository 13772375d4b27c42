import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { MailOutbox } from '../../src/mail/outbox/mail-outbox';
import type { CurrentTenant } from '../../src/tenancy/tenant-context';
import { runInTenantSchema } from '../../src/tenancy/tenant-transaction';

export interface EnqueuedMail {
  jobId: string;
  /** `Date.now()` once the transaction's COMMIT had been answered. */
  committedAt: number;
}

/** Queues mails as a feature does: `MailOutbox.enqueue` in a tenant transaction of its own, per mail. */
export class MailEnqueuer {
  private sent = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: MailOutbox,
    private readonly tenant: CurrentTenant,
  ) {}

  async enqueue(): Promise<EnqueuedMail> {
    const index = this.sent++;
    const jobId = await runInTenantSchema(this.dataSource, this.tenant.schemaName, (manager) =>
      this.outbox.enqueue(manager, {
        tenantId: this.tenant.id,
        to: `user${index}@example.com`,
        content: { kind: 'welcome', data: { recipientName: `User ${index}`, tenantSlug: this.tenant.slug } },
      }),
    );
    return { jobId, committedAt: Date.now() };
  }

  /** Jobs neither sent nor dead-lettered yet: the backlog between the outbox and Resend. */
  async backlog(): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: string }[]>(
      'SELECT count(*) FROM public.outbox WHERE sent_at IS NULL AND dead_at IS NULL',
    );
    return Number(count);
  }

  /** Waits (up to `timeoutMs`) until the worker recorded every outcome; returns the backlog left. */
  async settledBacklog(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const backlog = await this.backlog();
      if (backlog === 0 || Date.now() > deadline) return backlog;
      await sleep(100);
    }
  }

  /** When the relay marked each job published (after the broker's confirm), as epoch ms. */
  async publishedAt(jobIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ id: string; published: string }[]>(
      `SELECT id, (extract(epoch FROM published_at) * 1000)::float8 AS published
         FROM public.outbox WHERE id = ANY($1::uuid[])`,
      [jobIds],
    );
    return new Map(rows.map((row) => [row.id, Number(row.published)]));
  }

  async deadLettered(): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: string }[]>(
      'SELECT count(*) FROM public.outbox WHERE dead_at IS NOT NULL',
    );
    return Number(count);
  }
}

/** The broker's processes (Erlang VM): part of the pipeline under test, not load from others. */
export function rabbitMqPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'beam.smp') pids.push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return pids;
}
