import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { clientConfigOf, PostgresNotificationListener } from '../database/notification-listener';

/** The channel a trigger on public.tenants notifies, with the slug, on every committed change. */
export const TENANT_CHANGED_CHANNEL = 'tenant_changed';

/** The slug of a changed tenant, or undefined when changes may have been missed (drop everything). */
export type TenantChangeListener = (slug: string | undefined) => void;

/**
 * Committed changes to the tenant catalogue as PostgreSQL announces them, whoever made them (this
 * process, another API process, a CLI, an operator's SQL), over one LISTEN connection per process.
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
export class TenantChangeFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly listeners: TenantChangeListener[] = [];
  private listener?: PostgresNotificationListener;

  constructor(private readonly dataSource: DataSource) {}

  /** Whether every change reaches this process now. */
  get live(): boolean {
    return this.listener?.listening ?? false;
  }

  subscribe(listener: TenantChangeListener): void {
    this.listeners.push(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.listener = new PostgresNotificationListener(clientConfigOf(this.dataSource), {
      channel: TENANT_CHANGED_CHANNEL,
      applicationName: 'saas-api-tenant-changes',
      onNotification: (slug) => this.announce(slug),
      // What changed while nobody listened is unknown.
      onListening: () => this.announce(undefined),
      onLost: () => this.announce(undefined),
    });
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }

  private announce(slug: string | undefined): void {
    for (const listener of this.listeners) listener(slug);
  }
}
