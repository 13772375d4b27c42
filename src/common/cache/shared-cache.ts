import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { APP_CONFIG, type AppConfig } from '../../config';
import { type CacheInvalidationBus, RedisCacheInvalidationBus } from './cache-invalidation.bus';
import { SharedCacheRegion, type SharedCacheRegionOptions } from './shared-cache-region';
import { TenantCache } from './tenant-cache';

export const CACHE_INVALIDATION_BUS = Symbol('CACHE_INVALIDATION_BUS');

/** Hands out the cache's tenant view and invalidated regions, and closes them on shutdown. */
@Injectable()
export class SharedCache implements OnApplicationShutdown {
  private readonly regions: SharedCacheRegion<unknown>[] = [];
  /** True on Redis: entries and invalidations reach every API process, not only this one. */
  readonly distributed: boolean;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(CACHE_INVALIDATION_BUS) private readonly bus: CacheInvalidationBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.distributed = bus instanceof RedisCacheInvalidationBus;
  }

  region<T>(options: SharedCacheRegionOptions): SharedCacheRegion<T> {
    const region = new SharedCacheRegion<T>(this.cache, this.bus, options);
    this.regions.push(region);
    return region;
  }

  /** A TenantCache whose tenant is whatever `currentTenantId` returns at each call. */
  forTenants(currentTenantId: () => string): TenantCache {
    return new TenantCache(this.cache, currentTenantId, this.config.cache.ttlMs);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const region of this.regions) region.close();
    await this.bus.close();
  }
}
