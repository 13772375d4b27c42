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
