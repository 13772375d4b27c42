import { createHash } from 'node:crypto';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { withCacheTimeout } from '../common/cache/cache-timeout';

/**
 * One hit in a fixed window, atomically: the count goes up, and the window (the key's expiry) starts
 * with its first hit. Every process increments the same key, so they share one budget exactly.
 * A key that somehow lost its expiry gets one again rather than counting forever.
 */
const HIT_IN_FIXED_WINDOW = `
local hits = redis.call('INCR', KEYS[1])
local remaining = redis.call('PTTL', KEYS[1])
if remaining < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  remaining = tonumber(ARGV[1])
end
return {hits, remaining}
`;
const HIT_SCRIPT_SHA = createHash('sha1').update(HIT_IN_FIXED_WINDOW).digest('hex');

/** @nestjs/throttler's ThrottlerStorageRecord, which its index does not export. */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

export const RATE_LIMIT_KEY_PREFIX = 'rate-limit:';

/** The store could not answer (down, timed out, refused): the guard applies the fail mode. */
export class RateLimitStoreError extends Error {
  constructor(cause: unknown) {
    super(`rate-limit store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'RateLimitStoreError';
  }
}

/**
 * @nestjs/throttler storage on Redis with fixed windows: a caller over the limit is refused until its
 * window ends (`blockDuration` is not used; limits count in fixed one-minute windows). The script
 * runs by its SHA (EVALSHA), loaded again with EVAL after a Redis restart emptied the script cache.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly timeoutMs: number,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    // A hung Redis must not hang requests: past the timeout, the fail mode decides.
    const [hits, remainingMs] = await withCacheTimeout(
      this.hit(`${RATE_LIMIT_KEY_PREFIX}${throttlerName}:${key}`, ttl),
      this.timeoutMs,
    ).catch((error: unknown) => {
      throw new RateLimitStoreError(error);
    });
    const timeToExpire = Math.max(1, Math.ceil(remainingMs / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }

  private async hit(key: string, windowMs: number): Promise<[number, number]> {
    try {
      return (await this.redis.evalsha(HIT_SCRIPT_SHA, 1, key, windowMs)) as [number, number];
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await this.redis.eval(HIT_IN_FIXED_WINDOW, 1, key, windowMs)) as [number, number];
    }
  }
}
