import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { clientConfigOf, PostgresNotificationListener } from './notification-listener';

/** What a feed hands its subscribers: the parsed change, or undefined when changes may have been missed. */
export type NotificationFeedListener<Change> = (change: Change | undefined) => void;

/**
 * Committed changes as PostgreSQL announces them on one NOTIFY channel, whoever made them, over one
 * LISTEN connection per process. While the connection is starting or lost, what changed is unknown:
 * subscribers then hear `undefined` and must drop everything they hold.
 */
export abstract class NotificationFeed<Change> implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly listeners: NotificationFeedListener<Change>[] = [];
  private listener?: PostgresNotificationListener;

  protected constructor(
    private readonly dataSource: DataSource,
    private readonly channel: string,
    private readonly applicationName: string,
  ) {}

  /** Whether every change reaches this process now. */
  get live(): boolean {
    return this.listener?.listening ?? false;
  }

  subscribe(listener: NotificationFeedListener<Change>): void {
    this.listeners.push(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.listener = new PostgresNotificationListener(clientConfigOf(this.dataSource), {
      channel: this.channel,
      applicationName: this.applicationName,
      onNotification: (payload) => this.announce(this.parse(payload)),
      onListening: () => this.announce(undefined),
      onLost: () => this.announce(undefined),
    });
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }

  /** The change a notification's payload names; undefined reads as "anything may have changed". */
  protected abstract parse(payload: string): Change | undefined;

  private announce(change: Change | undefined): void {
    for (const listener of this.listeners) listener(change);
  }
}
