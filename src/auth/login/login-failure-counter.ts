import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';

/** A counter and the count at which it refuses. */
export interface FailureLimit {
  key: string;
  limit: number;
}

export type Reservation = { reserved: true } | { reserved: false; retryAfterMs: number };

/** Takes counted attempts back from a key: all of them, or only the one an attempt reserved. */
export interface Release {
  key: string;
  all: boolean;
}

/**
 * Counts login attempts per key in fixed windows, shared by every API process when on Redis. An
 * attempt is counted before its password is checked, so concurrent guesses cannot all slip under the
 * limit; a successful one is taken back.
 */
export interface LoginFailureCounter {
  /**
   * Atomically: refuses when any key is at its limit, otherwise counts one attempt on every key (a
   * key's window starts with its first count).
   */
  reserve(limits: FailureLimit[], windowMs: number): Promise<Reservation>;
  release(releases: Release[]): Promise<void>;
}

const RESERVE_ATTEMPT = `
local windowMs = tonumber(ARGV[1])
local retryAfterMs = -1
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then
      redis.call('PEXPIRE', key, windowMs)
      ttl = windowMs
    end
    retryAfterMs = math.max(retryAfterMs, ttl)
  end
end
if retryAfterMs >= 0 then return {0, retryAfterMs} end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, windowMs) end
end
return {1, 0}
`;

const RELEASE_ATTEMPT = `
for i, key in ipairs(KEYS) do
  if ARGV[i] == 'all' or tonumber(redis.call('GET', key) or '0') <= 1 then
    redis.call('DEL', key)
  else
    redis.call('DECR', key)
  end
end
return 0
`;

export class RedisLoginFailureCounter implements LoginFailureCounter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'login-failures:',
  ) {}

  async reserve(limits: FailureLimit[], windowMs: number): Promise<Reservation> {
    const [reserved, retryAfterMs] = (await this.redis.eval(
      RESERVE_ATTEMPT,
      limits.length,
      ...limits.map(({ key }) => this.prefix + key),
      windowMs,
      ...limits.map(({ limit }) => limit),
    )) as [number, number];
    return reserved === 1 ? { reserved: true } : { reserved: false, retryAfterMs };
  }

  async release(releases: Release[]): Promise<void> {
    await this.redis.eval(
      RELEASE_ATTEMPT,
      releases.length,
      ...releases.map(({ key }) => this.prefix + key),
      ...releases.map(({ all }) => (all ? 'all' : 'one')),
    );
  }
}

/** One process only: for development and tests without Redis; bounded, so sprayed keys cannot grow it. */
export class MemoryLoginFailureCounter implements LoginFailureCounter {
  private readonly windows = new LRUCache<string, { count: number; expiresAt: number }>({ max: 100_000 });

  reserve(limits: FailureLimit[], windowMs: number): Promise<Reservation> {
    const now = Date.now();
    const blocked = limits
      .map(({ key, limit }) => ({ window: this.live(key, now), limit }))
      .filter(({ window, limit }) => window !== undefined && window.count >= limit);
    if (blocked.length > 0) {
      const retryAfterMs = Math.max(...blocked.map(({ window }) => (window?.expiresAt ?? now) - now));
      return Promise.resolve({ reserved: false, retryAfterMs });
    }
    for (const { key } of limits) {
      const window = this.live(key, now) ?? { count: 0, expiresAt: now + windowMs };
      window.count++;
      this.windows.set(key, window);
    }
    return Promise.resolve({ reserved: true });
  }

  release(releases: Release[]): Promise<void> {
    const now = Date.now();
    for (const { key, all } of releases) {
      const window = this.live(key, now);
      if (!window) continue;
      if (all || window.count <= 1) this.windows.delete(key);
      else window.count--;
    }
    return Promise.resolve();
  }

  private live(key: string, now: number) {
    const window = this.windows.get(key);
    if (window && window.expiresAt <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }
}
