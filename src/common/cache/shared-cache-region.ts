import { Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import type { CacheInvalidationBus, InvalidationListener } from './cache-invalidation.bus';
import { withCacheTimeout } from './cache-timeout';

/**
 * A write that raced an invalidation (read from the database before the change, stored after it was
 * deleted) is caught by deleting and announcing once more this long after the first time.
 */
export const REPEAT_INVALIDATION_AFTER_MS = 500;

export interface SharedCacheRegionOptions {
  /** Prefix of the region's keys and name of its invalidation channel; put a version in it. */
  name: string;
  ttlMs: number;
}

/**
 * Entries shared by every API process (through cache-manager), each process also holding its own
 * copies: `invalidate` deletes the shared entry and tells every process (pub/sub) to drop its copy.
 * The cache is an optimisation: a store error or timeout is a miss, and an invalidation that could
 * not be published is sent again once Redis is back.
 */
export class SharedCacheRegion<T> {
  private readonly logger: Logger;
  private readonly channel: string;
  private readonly pending = new Set<string>();
  private readonly repeats = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly cache: Cache,
    private readonly bus: CacheInvalidationBus,
    private readonly options: SharedCacheRegionOptions,
  ) {
    this.logger = new Logger(`SharedCache ${options.name}`);
    this.channel = `cache-invalidation:${options.name}`;
    bus.onReconnect(() => this.replayPending());
  }

  async get(key: string): Promise<T | undefined> {
    try {
      return await withCacheTimeout(this.cache.get<T>(this.keyOf(key)));
    } catch (error) {
      this.logger.debug(`get ${key}: ${(error as Error).message}`);
      return undefined;
    }
  }

  async set(key: string, value: T): Promise<void> {
    try {
      await withCacheTimeout(this.cache.set(this.keyOf(key), value, this.options.ttlMs));
    } catch (error) {
      this.logger.debug(`set ${key}: ${(error as Error).message}`);
    }
  }

  /** Every process drops the entry: now, and once more shortly after (see REPEAT_INVALIDATION_AFTER_MS). */
  invalidate(key: string): void {
    void this.broadcast(key);
    const repeat = setTimeout(() => {
      this.repeats.delete(repeat);
      void this.broadcast(key);
    }, REPEAT_INVALIDATION_AFTER_MS);
    repeat.unref();
    this.repeats.add(repeat);
  }

  /** Invalidations of this region from any process, this one included. */
  onInvalidated(listener: InvalidationListener): void {
    this.bus.subscribe(this.channel, listener);
  }

  close(): void {
    this.closed = true;
    for (const repeat of this.repeats) clearTimeout(repeat);
    this.repeats.clear();
  }

  private async broadcast(key: string): Promise<void> {
    if (this.closed) return;
    try {
      // Delete before announcing: a process that reloads on the announcement must not find the old entry.
      await withCacheTimeout(this.cache.del(this.keyOf(key)));
      await withCacheTimeout(this.bus.publish(this.channel, key));
      this.pending.delete(key);
    } catch (error) {
      if (!this.pending.has(key)) {
        this.logger.warn(
          `could not invalidate ${key} in the shared cache (${(error as Error).message}); retrying once Redis is back`,
        );
      }
      this.pending.add(key);
    }
  }

  private replayPending(): void {
    for (const key of [...this.pending]) void this.broadcast(key);
  }

  private keyOf(key: string): string {
    return `${this.options.name}:${key}`;
  }
}
