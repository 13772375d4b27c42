import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { clientConfigOf, PostgresNotificationListener } from './notification-listener';

export interface ChannelSubscriber {
  onNotification(payload: string): void;
  /** The connection (re)started or was lost: whatever was notified meanwhile is unknown. */
  onReset(): void;
}

/**
 * The API process's one LISTEN connection, shared by every feed: each subscribes to its channel while
 * the app is built, and the connection LISTENs on all of them once it has started.
 */
@Injectable()
export class PostgresNotificationHub implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly subscribers = new Map<string, ChannelSubscriber[]>();
  private listener?: PostgresNotificationListener;

  constructor(private readonly dataSource: DataSource) {}

  /** Whether every notification reaches this process now. */
  get live(): boolean {
    return this.listener?.listening ?? false;
  }

  subscribe(channel: string, subscriber: ChannelSubscriber): void {
    if (this.listener)
      throw new Error(`LISTEN ${channel}: subscribe while the app is built, before it starts`);
    this.subscribers.set(channel, [...(this.subscribers.get(channel) ?? []), subscriber]);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.subscribers.size === 0) return;
    const everyone = () => [...this.subscribers.values()].flat();
    this.listener = new PostgresNotificationListener(clientConfigOf(this.dataSource), {
      channels: [...this.subscribers.keys()],
      applicationName: 'saas-api-notifications',
      onNotification: (channel, payload) =>
        this.subscribers.get(channel)?.forEach((subscriber) => subscriber.onNotification(payload)),
      onListening: () => everyone().forEach((subscriber) => subscriber.onReset()),
      onLost: () => everyone().forEach((subscriber) => subscriber.onReset()),
    });
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }
}
