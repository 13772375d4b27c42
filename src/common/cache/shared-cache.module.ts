import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import type Redis from 'ioredis';
import { Keyv } from 'keyv';
import { APP_CONFIG, type AppConfig } from '../../config';
import { REDIS_CLIENT, RedisModule } from '../redis/redis.module';
import {
  type CacheInvalidationBus,
  LocalCacheInvalidationBus,
  RedisCacheInvalidationBus,
} from './cache-invalidation.bus';
import { InMemoryKeyvStore } from './in-memory-keyv.store';
import { IoredisKeyvStore } from './ioredis-keyv.store';
import { SharedCacheRegion, type SharedCacheRegionOptions } from './shared-cache-region';
import { TenantCache } from './tenant-cache';

/** Namespace of every cache key in Redis: `cache:tenant:<tenant id>:<key>`, `cache:<region>:<key>`. */
export const CACHE_NAMESPACE = 'cache';
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

/**
 * @nestjs/cache-manager on Keyv: with REDIS_HOST, a Keyv store on the app's ioredis client, shared
 * by every process; without, a bounded in-process store. Store errors reach cache-manager
 * (`throwOnErrors`), which reads them as misses and rejects failed writes for the caller to handle.
 */
@Module({
  imports: [
    RedisModule,
    CacheModule.registerAsync({
      imports: [RedisModule],
      inject: [REDIS_CLIENT, APP_CONFIG],
      useFactory: (redis: Redis | null, config: AppConfig) => ({
        ttl: config.cache.ttlMs,
        stores: [
          redis
            ? new Keyv({
                store: new IoredisKeyvStore(redis),
                namespace: CACHE_NAMESPACE,
                throwOnErrors: true,
              })
            : new Keyv({ store: new InMemoryKeyvStore(config.cache.memoryMaxEntries), throwOnErrors: true }),
        ],
      }),
    }),
  ],
  providers: [
    {
      provide: CACHE_INVALIDATION_BUS,
      inject: [REDIS_CLIENT],
      useFactory: (redis: Redis | null): CacheInvalidationBus =>
        redis ? new RedisCacheInvalidationBus(redis) : new LocalCacheInvalidationBus(),
    },
    SharedCache,
  ],
  exports: [CacheModule, CACHE_INVALIDATION_BUS, SharedCache],
})
export class SharedCacheModule {}
