import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig, type AppConfig } from '../config';
import { AfterCommit } from '../database/after-commit';
import { type ApiKeyChange, ApiKeyChangeFeed } from './api-key-change-feed';

/** What the key check needs of an unrevoked key. */
export interface StoredApiKey {
  id: string;
  name: string;
  scopes: string[];
  secretHash: Buffer;
  /** Epoch ms; null: never. Checked on every request, so expiry needs no eviction. */
  expiresAt: number | null;
}

interface CacheEntry {
  /** Undefined: no unrevoked key has this prefix. */
  key: StoredApiKey | undefined;
}

interface Load {
  promise: Promise<StoredApiKey | undefined>;
  /** An invalidation of the prefix overlapped the load: its answer is served, not stored. */
  stale: boolean;
}

const cacheKeyOf = (schemaName: string, prefix: string) => `${schemaName}:${prefix}`;

/**
 * The key lookup of every request made with an API key, cached per process with exact invalidation,
 * as MembershipAccessCache caches the access check of access tokens: every committed change to a
 * tenant's keys is announced by a trigger (ApiKeyChangeFeed) and evicts the prefix's entry; a load
 * that an eviction overlapped is answered but not stored; while the feed is not listening, the cache
 * is emptied and bypassed; changes this process commits are evicted here as soon as they commit.
 * Entries share the membership cache's bounds (MEMBERSHIP_CACHE_TTL_MS, MEMBERSHIP_CACHE_MAX_ENTRIES).
 */
@Injectable()
export class ApiKeyLookupCache {
  private readonly entries: LRUCache<string, CacheEntry>;
  private readonly loading = new Map<string, Load>();
  private readonly ttlMs: number;
  private readonly evictOnCommit: AfterCommit<NonNullable<ApiKeyChange>>;

  constructor(
    dataSource: DataSource,
    private readonly feed: ApiKeyChangeFeed,
    @InjectConfig() config: AppConfig,
  ) {
    this.ttlMs = config.auth.membershipCacheTtlMs;
    this.entries = new LRUCache({ max: config.auth.membershipCacheMaxEntries, ttl: Math.max(1, this.ttlMs) });
    feed.subscribe((change) => this.forget(change));
    this.evictOnCommit = new AfterCommit(dataSource, (change) => this.forget(change));
  }

  /** The unrevoked key with `prefix` in the schema, from the cache or `read`. */
  lookUp(
    schemaName: string,
    prefix: string,
    read: () => Promise<StoredApiKey | undefined>,
  ): Promise<StoredApiKey | undefined> {
    if (this.ttlMs <= 0 || !this.feed.live) return read();
    const cacheKey = cacheKeyOf(schemaName, prefix);
    const entry = this.entries.get(cacheKey);
    if (entry) return Promise.resolve(entry.key);
    const inFlight = this.loading.get(cacheKey);
    if (inFlight) return inFlight.promise;
    // The callbacks run only after `load` is assigned: a promise settles asynchronously.
    const load: Load = {
      stale: false,
      promise: read().then(
        (key) => {
          this.settle(cacheKey, load);
          if (!load.stale) this.entries.set(cacheKey, { key });
          return key;
        },
        (error: unknown) => {
          this.settle(cacheKey, load);
          throw error;
        },
      ),
    };
    this.loading.set(cacheKey, load);
    return load.promise;
  }

  /** Evicts the key once the transaction `manager` runs in commits (at once outside one). */
  forgetOnCommit(manager: EntityManager, schemaName: string, prefix: string): void {
    this.evictOnCommit.add(manager, { schemaName, prefix });
  }

  private settle(cacheKey: string, load: Load): void {
    if (this.loading.get(cacheKey) === load) this.loading.delete(cacheKey);
  }

  /** `undefined`: anything may have changed (the feed was down), so everything goes. */
  private forget(change: ApiKeyChange | undefined): void {
    if (change === undefined) {
      this.entries.clear();
      this.loading.forEach((load) => (load.stale = true));
      this.loading.clear();
      return;
    }
    if (change.prefix !== undefined) {
      const cacheKey = cacheKeyOf(change.schemaName, change.prefix);
      this.entries.delete(cacheKey);
      const load = this.loading.get(cacheKey);
      if (load) load.stale = true;
      this.loading.delete(cacheKey);
      return;
    }
    const start = `${change.schemaName}:`;
    for (const cacheKey of [...this.entries.keys()])
      if (cacheKey.startsWith(start)) this.entries.delete(cacheKey);
    for (const [cacheKey, load] of [...this.loading]) {
      if (!cacheKey.startsWith(start)) continue;
      load.stale = true;
      this.loading.delete(cacheKey);
    }
  }
}
