import { Module } from '@nestjs/common';
import { CacheModule } from '@nestjs/cache-manager';
import type Redis from 'ioredis';
import { Keyv } from 'keyv';
import { APP_CONFIG, type AppConfig } from '../../config';
import { REDIS_CLIENT, RedisModule } from '../redis/redis.module';
import { InMemoryKeyvStore } from './in-memory-keyv.store';
import { IoredisKeyvStore } from './ioredis-keyv.store';

/** Namespace of every cache key in Redis: `cache:tenant:<tenant id>:<key>`. */
export const CACHE_NAMESPACE = 'cache';

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
  exports: [CacheModule],
})
export class SharedCacheModule {}
