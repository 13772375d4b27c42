import type { PostgresNotificationHub } from './postgres-notification-hub';

/** What a feed hands its subscribers: the parsed change, or undefined when changes may have been missed. */
export type NotificationFeedListener<Change> = (change: Change | undefined) => void;

/**
 * Committed changes as PostgreSQL announces them on one NOTIFY channel, whoever made them, over the
 * process's one LISTEN connection (PostgresNotificationHub). While that connection is starting or
 * lost, what changed is unknown: subscribers then hear `undefined` and must drop everything they hold.
 */
export abstract class NotificationFeed<Change> {
  private readonly listeners: NotificationFeedListener<Change>[] = [];

  protected constructor(
    private readonly hub: PostgresNotificationHub,
    channel: string,
  ) {
    hub.subscribe(channel, {
      onNotification: (payload) => this.announce(this.parse(payload)),
      onReset: () => this.announce(undefined),
    });
  }

  /** Whether every change reaches this process now. */
  get live(): boolean {
    return this.hub.live;
  }

  subscribe(listener: NotificationFeedListener<Change>): void {
    this.listeners.push(listener);
  }

  /** The change a notification's payload names; undefined reads as "anything may have changed". */
  protected abstract parse(payload: string): Change | undefined;

  private announce(change: Change | undefined): void {
    for (const listener of this.listeners) listener(change);
  }
}
