import { type DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { CurrentPlan } from '../billing/plans/current-plan';
import { PlansModule } from '../billing/plans/plans.module';
import { currentCaller } from '../common/access/access.decorators';
import { REDIS_CLIENT, RedisModule } from '../common/redis/redis.module';
import type { AppConfig } from '../config';
import { TenantContext } from '../tenancy/tenant-context';
import { RateLimitGuard } from './rate-limit.guard';
import { rateLimitOptions } from './rate-limit.throttlers';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * Per-tenant rate limits at the plan's requestsPerMinute for authenticated requests, and a per-IP
 * limit for anonymous ones. Counters live in Redis (shared by every API process), or in
 * @nestjs/throttler's in-memory store without REDIS_HOST. AppModule registers RateLimitGuard among the
 * global guards, right after authentication.
 */
@Module({})
export class RateLimitModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.rateLimit.enabled) return { module: RateLimitModule };
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          imports: [PlansModule, RedisModule],
          inject: [TenantContext, CurrentPlan, REDIS_CLIENT],
          useFactory: (context: TenantContext, currentPlan: CurrentPlan, redis: Redis | null) =>
            rateLimitOptions(
              config.rateLimit,
              {
                authenticatedTenantId: () =>
                  currentCaller() && context.hasTenant ? context.tenant.id : undefined,
                requestsPerMinute: () => currentPlan.plan.limits.requestsPerMinute,
              },
              redis ? new RedisThrottlerStorage(redis, config.rateLimit.storeTimeoutMs) : undefined,
            ),
        }),
      ],
      providers: [RateLimitGuard],
      exports: [RateLimitGuard],
    };
  }
}
