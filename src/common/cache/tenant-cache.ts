import { Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { withCacheTimeout } from './cache-timeout';

/** The key of one tenant's entry: tenant ids are UUIDs, so no key of one tenant is a key of another. */
export function tenantCacheKey(tenantId: string, key: string): string {
  return `tenant:${tenantId}:${key}`;
}

/**
 * The cache for tenant data: every key is prefixed with the current tenant's id, so a tenant can
 * only ever read and write its own entries. Shared by every API process when Redis is configured.
 * A cache outage (an error, or no answer within CACHE_TIMEOUT_MS) reads as a miss; writes are then
 * skipped. `delete` does throw: a caller invalidating an entry must know it is still there.
 */
export class TenantCache {
  private readonly logger = new Logger(TenantCache.name);

  /** `currentTenantId` throws outside a tenant context: tenant caching cannot run without one. */
  constructor(
    private readonly cache: Cache,
    private readonly currentTenantId: () => string,
    private readonly defaultTtlMs: number,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const scoped = this.scoped(key);
    try {
      return await withCacheTimeout(this.cache.get<T>(scoped));
    } catch (error) {
      this.logger.debug(`get ${scoped}: ${(error as Error).message}`);
      return undefined;
    }
  }

  async set<T>(key: string, value: T, ttlMs = this.defaultTtlMs): Promise<void> {
    const scoped = this.scoped(key);
    try {
      await withCacheTimeout(this.cache.set(scoped, value, ttlMs));
    } catch (error) {
      this.logger.debug(`set ${scoped}: ${(error as Error).message}`);
    }
  }

  async delete(key: string): Promise<void> {
    await withCacheTimeout(this.cache.del(this.scoped(key)));
  }

  /** The cached value, or `load()`'s result, cached. */
  async wrap<T>(key: string, load: () => Promise<T>, ttlMs = this.defaultTtlMs): Promise<T> {
    const cached = await this.get<T>(key);
    if (cached !== undefined) return cached;
    const value = await load();
    await this.set(key, value, ttlMs);
    return value;
  }

  private scoped(key: string): string {
    return tenantCacheKey(this.currentTenantId(), key);
  }
}
