import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { clientConfigOf, PostgresNotificationListener } from '../database/notification-listener';

/**
 * The channel the triggers of every tenant's memberships and sessions notify on every committed
 * change to what the access check reads: `<schema>:<membership id>`, or `<schema>:*` (a TRUNCATE).
 */
export const MEMBERSHIP_ACCESS_CHANGED_CHANNEL = 'membership_access_changed';

/** A change to one membership, all of a tenant's (`membershipId` undefined), or possibly any (undefined). */
export type MembershipChange = { schemaName: string; membershipId: string | undefined } | undefined;

export type MembershipChangeListener = (change: MembershipChange) => void;

function parseChange(payload: string): MembershipChange {
  const separator = payload.indexOf(':');
  // Not one of ours: treat it as "anything may have changed", the safe reading.
  if (separator < 0) return undefined;
  const membershipId = payload.slice(separator + 1);
  return {
    schemaName: payload.slice(0, separator),
    membershipId: membershipId === '*' ? undefined : membershipId,
  };
}

/**
 * Committed changes to memberships and sessions as PostgreSQL announces them, whoever made them,
 * over one LISTEN connection per process: the same path, for the same reasons, as TenantChangeFeed.
 * While the connection is down, changes may be missed: the cache then drops everything and is
 * bypassed until the connection is back.
 */
@Injectable()
export class MembershipChangeFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly listeners: MembershipChangeListener[] = [];
  private listener?: PostgresNotificationListener;

  constructor(private readonly dataSource: DataSource) {}

  /** Whether every change reaches this process now. */
  get live(): boolean {
    return this.listener?.listening ?? false;
  }

  subscribe(listener: MembershipChangeListener): void {
    this.listeners.push(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.listener = new PostgresNotificationListener(clientConfigOf(this.dataSource), {
      channel: MEMBERSHIP_ACCESS_CHANGED_CHANNEL,
      applicationName: 'saas-api-membership-changes',
      onNotification: (payload) => this.announce(parseChange(payload)),
      // What changed while nobody listened is unknown.
      onListening: () => this.announce(undefined),
      onLost: () => this.announce(undefined),
    });
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }

  private announce(change: MembershipChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
