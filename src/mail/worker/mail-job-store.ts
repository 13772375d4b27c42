import type { DataSource } from 'typeorm';
import type { MailContent } from '../mail.types';
import type { JobSendOutcome, OutgoingMail } from '../resend/mail-send.types';
import { type RenderedSnapshot, requestKeyOf, type StoredJob } from './mail-requests';

interface JobRow {
  id: string;
  tenant_id: string;
  recipient: string;
  content: MailContent | null;
  rendered: RenderedSnapshot | null;
  request_key: string | null;
  sent_at: Date | null;
  resend_id: string | null;
  last_error: string | null;
}

const JOB_COLUMNS =
  'id, tenant_id, recipient, content, rendered, request_key, sent_at, resend_id, last_error';

/** The worker's reads and writes of `public.outbox`. */
export class MailJobStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(jobIds: readonly string[]): Promise<Map<string, StoredJob>> {
    const rows: JobRow[] = await this.dataSource.query(
      `SELECT ${JOB_COLUMNS} FROM public.outbox WHERE id = ANY($1::uuid[])`,
      [jobIds],
    );
    return new Map(rows.map((row) => [row.id, storedJobOf(row)]));
  }

  /** Every job of each of these requests, by request key. */
  async requestMembers(requestKeys: readonly string[]): Promise<Map<string, StoredJob[]>> {
    const rows: JobRow[] = await this.dataSource.query(
      `SELECT ${JOB_COLUMNS} FROM public.outbox WHERE request_key = ANY($1::text[]) ORDER BY id`,
      [requestKeys],
    );
    const members = new Map<string, StoredJob[]>();
    for (const row of rows) {
      const key = row.request_key as string;
      members.set(key, [...(members.get(key) ?? []), storedJobOf(row)]);
    }
    return members;
  }

  /**
   * Puts the mails that no one else holds into one new request and stores each mail's body with it,
   * in one transaction, before anything is sent. A row still locked (by the relay, which commits only
   * after the broker's confirm, so a fast worker can get the message first; or by another worker's
   * claim) is waited for, in id order so claims cannot deadlock, and rechecked once free: a row claimed
   * meanwhile drops out. Returns the request, or undefined when every job was taken.
   */
  claimRequest(mails: readonly OutgoingMail[]): Promise<{ key: string; mails: OutgoingMail[] } | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const free: Array<{ id: string }> = await manager.query(
        `SELECT id FROM public.outbox WHERE id = ANY($1::uuid[]) AND request_key IS NULL
         ORDER BY id FOR UPDATE`,
        [mails.map((mail) => mail.jobId)],
      );
      if (free.length === 0) return undefined;
      const freeIds = new Set(free.map((row) => row.id));
      const claimed = mails.filter((mail) => freeIds.has(mail.jobId));
      const key = requestKeyOf(claimed.map((mail) => mail.jobId));
      await manager.query(
        `UPDATE public.outbox AS o SET request_key = $1, rendered = r.rendered
         FROM unnest($2::uuid[], $3::jsonb[]) AS r(id, rendered) WHERE o.id = r.id`,
        [
          key,
          claimed.map((mail) => mail.jobId),
          claimed.map(({ jobId: _jobId, ...snapshot }) => JSON.stringify(snapshot)),
        ],
      );
      return { key, mails: claimed };
    });
  }

  /**
   * What Resend answered, for every job of one request at once. A delivered job forgets what it carried
   * (content and rendered body, reset and invitation tokens among them) in the same statement.
   */
  async recordOutcomes(outcomes: readonly JobSendOutcome[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE public.outbox AS o SET
         sent_at = CASE WHEN r.outcome = 'sent' THEN coalesce(o.sent_at, clock_timestamp()) ELSE o.sent_at END,
         content = CASE WHEN r.outcome = 'sent' THEN NULL ELSE o.content END,
         rendered = CASE WHEN r.outcome = 'sent' THEN NULL ELSE o.rendered END,
         resend_id = coalesce(r.resend_id, o.resend_id),
         dead_at = CASE WHEN r.outcome = 'dead' THEN clock_timestamp() ELSE o.dead_at END,
         last_error = CASE WHEN r.outcome = 'sent' THEN NULL ELSE r.reason END
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS r(id, outcome, resend_id, reason)
       WHERE o.id = r.id`,
      [
        outcomes.map((outcome) => outcome.jobId),
        outcomes.map((outcome) => outcome.outcome),
        outcomes.map((outcome) => (outcome.outcome === 'sent' ? outcome.resendId : null)),
        outcomes.map((outcome) => (outcome.outcome === 'sent' ? null : outcome.reason)),
      ],
    );
  }

  async markDead(deaths: ReadonlyArray<{ jobId: string; reason: string }>): Promise<void> {
    await this.dataSource.query(
      `UPDATE public.outbox AS o SET dead_at = clock_timestamp(), last_error = r.reason
       FROM unnest($1::uuid[], $2::text[]) AS r(id, reason) WHERE o.id = r.id AND o.sent_at IS NULL`,
      [deaths.map((death) => death.jobId), deaths.map((death) => death.reason)],
    );
  }
}

function storedJobOf(row: JobRow): StoredJob {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    to: row.recipient,
    content: row.content,
    rendered: row.rendered,
    requestKey: row.request_key,
    sentAt: row.sent_at,
    resendId: row.resend_id,
    lastError: row.last_error,
  };
}
