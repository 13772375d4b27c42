import { Injectable } from '@nestjs/common';
import { NotificationFeed } from '../database/notification-feed';
import { PostgresNotificationHub } from '../database/postgres-notification-hub';

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
 * over the process's one LISTEN connection: the same path, for the same reasons, as TenantChangeFeed.
 * While the connection is down, changes may be missed: the cache then drops everything and is
 * bypassed until the connection is back.
 */
@Injectable()
export class MembershipChangeFeed extends NotificationFeed<NonNullable<MembershipChange>> {
  constructor(hub: PostgresNotificationHub) {
    super(hub, MEMBERSHIP_ACCESS_CHANGED_CHANNEL);
  }

  protected parse(payload: string): MembershipChange {
    return parseChange(payload);
  }
}
