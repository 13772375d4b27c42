import { Injectable } from '@nestjs/common';
import { NotificationFeed } from '../database/notification-feed';
import { PostgresNotificationHub } from '../database/postgres-notification-hub';

/** The channel a trigger on public.tenants notifies, with the slug, on every committed change. */
export const TENANT_CHANGED_CHANNEL = 'tenant_changed';

/** The slug of a changed tenant, or undefined when changes may have been missed (drop everything). */
export type TenantChangeListener = (slug: string | undefined) => void;

/**
 * Committed changes to the tenant catalogue as PostgreSQL announces them, whoever made them (this
 * process, another API process, a CLI, an operator's SQL), over the process's one LISTEN connection.
 *
 * This is the only way a tenant change reaches the other API processes, on purpose. A trigger's
 * NOTIFY is transactional: it is sent when, and only if, the change commits, so no process reloads
 * before the new row is visible and a rolled-back change announces nothing. It comes from every
 * writer, `npm run tenant`, a migration or plain SQL included, with nothing to remember to call, and
 * it needs nothing but the database every process already has (the embedded one too). Redis pub/sub
 * would miss every change not made through the API unless something relayed it, would lose the
 * announcement of a change whose process dies between its commit and its publish, and would make
 * tenant status depend on a second service. While the
 * connection is down, changes may be missed: the catalogue then drops everything and falls back to
 * its short TTL until the connection is back.
 */
@Injectable()
export class TenantChangeFeed extends NotificationFeed<string> {
  constructor(hub: PostgresNotificationHub) {
    super(hub, TENANT_CHANGED_CHANNEL);
  }

  protected parse(slug: string): string {
    return slug;
  }
}
