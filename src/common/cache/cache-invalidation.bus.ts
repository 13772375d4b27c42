import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/**
 * Called with the invalidated key, or with `undefined` when messages may have been missed (the
 * subscription was down), so the listener drops everything it holds.
 */
export type InvalidationListener = (key: string | undefined) => void;

/** Tells every API process that cached entries changed. */
export interface CacheInvalidationBus {
  publish(channel: string, key: string): Promise<void>;
  subscribe(channel: string, listener: InvalidationListener): void;
  /** Called when publishing can work again after a failure (the connection is back). */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

/** One process, no Redis: a publication reaches this process's listeners at once. */
export class LocalCacheInvalidationBus implements CacheInvalidationBus {
  private readonly listeners = new Map<string, InvalidationListener[]>();

  publish(channel: string, key: string): Promise<void> {
    for (const listener of this.listeners.get(channel) ?? []) listener(key);
    return Promise.resolve();
  }

  subscribe(channel: string, listener: InvalidationListener): void {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
  }

  onReconnect(_listener: () => void): void {}

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Redis pub/sub: published on the app's client, received on a duplicate of it (a subscribed
 * connection can do nothing else). ioredis re-subscribes after a reconnect; what was published
 * meanwhile is lost, so listeners are then told to drop everything.
 */
export class RedisCacheInvalidationBus implements CacheInvalidationBus {
  private readonly logger = new Logger('CacheInvalidation');
  private readonly listeners = new Map<string, InvalidationListener[]>();
  private readonly reconnectListeners: (() => void)[] = [];
  private readonly subscriber: Redis;

  constructor(private readonly publisher: Redis) {
    // The duplicate queues its SUBSCRIBE until connected, unlike the app's fail-fast client.
    this.subscriber = publisher.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.subscriber.on('error', (error: Error) => this.logger.debug(`subscriber: ${error.message}`));
    this.subscriber.on('message', (channel: string, key: string) => this.dispatch(channel, key));
    // After any (re)connection, what was published while it was down is lost: drop everything.
    this.subscriber.on('ready', () => {
      for (const channel of this.listeners.keys()) this.dispatch(channel, undefined);
    });
    this.publisher.on('ready', this.publisherReady);
  }

  private readonly publisherReady = () => {
    for (const listener of this.reconnectListeners) listener();
  };

  async publish(channel: string, key: string): Promise<void> {
    await this.publisher.publish(channel, key);
  }

  subscribe(channel: string, listener: InvalidationListener): void {
    const known = this.listeners.get(channel);
    this.listeners.set(channel, [...(known ?? []), listener]);
    if (!known) {
      this.subscriber
        .subscribe(channel)
        .catch((error: Error) => this.logger.warn(`cannot subscribe to ${channel}: ${error.message}`));
    }
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  async close(): Promise<void> {
    this.publisher.off('ready', this.publisherReady);
    if (this.subscriber.status === 'ready') await this.subscriber.quit().catch(() => undefined);
    this.subscriber.disconnect();
  }

  private dispatch(channel: string, key: string | undefined): void {
    for (const listener of this.listeners.get(channel) ?? []) {
      try {
        listener(key);
      } catch (error) {
        this.logger.error(`invalidation listener on ${channel} failed: ${(error as Error).message}`);
      }
    }
  }
}
