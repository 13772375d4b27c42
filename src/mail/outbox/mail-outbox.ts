import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MAIL_KINDS, type MailContent } from '../mail.types';

/** The NOTIFY channel that wakes the outbox relays when a transaction that queued mail commits. */
export const OUTBOX_CHANNEL = 'mail_outbox';

export interface OutboxMail {
  tenantId: string;
  /** The recipient's address. */
  to: string;
  content: MailContent;
}

/**
 * The one way to send mail: `enqueue` inside the transaction of the change that causes it, so the mail
 * exists if and only if that change commits. The worker renders and sends it later.
 */
@Injectable()
export class MailOutbox {
  /**
   * Writes the job into `public.outbox` through `manager` (schema-qualified, so it also works inside a
   * tenant transaction) and returns its id, which becomes the mail's `X-Mail-Job-Id`. The NOTIFY is
   * delivered by PostgreSQL only on commit, and not at all on rollback.
   */
  async enqueue(manager: EntityManager, mail: OutboxMail): Promise<string> {
    if (!(MAIL_KINDS as readonly string[]).includes(mail.content.kind)) {
      throw new RangeError(`Unknown mail kind "${mail.content.kind}"`);
    }
    if (mail.to.trim() === '') throw new RangeError('A mail needs a recipient');
    const rows: Array<{ id: string }> = await manager.query(
      `WITH job AS (
         INSERT INTO public.outbox (tenant_id, recipient, kind, content) VALUES ($1, $2, $3, $4)
         RETURNING id
       )
       SELECT id, pg_notify('${OUTBOX_CHANNEL}', '') FROM job`,
      [mail.tenantId, mail.to.trim(), mail.content.kind, JSON.stringify(mail.content)],
    );
    return rows[0].id;
  }
}
