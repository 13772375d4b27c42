import { Injectable } from '@nestjs/common';
import { NotificationFeed } from '../database/notification-feed';
import { PostgresNotificationHub } from '../database/postgres-notification-hub';

/**
 * The channel the trigger of every tenant's api_keys notifies on every committed change to what the
 * key check reads: `<schema>:<prefix>`, or `<schema>:*` (a TRUNCATE).
 */
export const API_KEY_CHANGED_CHANNEL = 'api_key_changed';

/** A change to the key with one prefix, or to all of a tenant's keys (`prefix` undefined). */
export interface ApiKeyChange {
  schemaName: string;
  prefix: string | undefined;
}

export function parseApiKeyChange(payload: string): ApiKeyChange | undefined {
  const separator = payload.indexOf(':');
  // Not one of ours: "anything may have changed", the safe reading.
  if (separator < 0) return undefined;
  const prefix = payload.slice(separator + 1);
  return { schemaName: payload.slice(0, separator), prefix: prefix === '*' ? undefined : prefix };
}

/**
 * Committed changes to API keys as PostgreSQL announces them, whoever made them, over the process's one
 * LISTEN connection, as MembershipChangeFeed does for the access check of access tokens.
 */
@Injectable()
export class ApiKeyChangeFeed extends NotificationFeed<ApiKeyChange> {
  constructor(hub: PostgresNotificationHub) {
    super(hub, API_KEY_CHANGED_CHANNEL);
  }

  protected parse(payload: string): ApiKeyChange | undefined {
    return parseApiKeyChange(payload);
  }
}
