import type Redis from 'ioredis';

export interface FailureCount {
  count: number;
  /** Seconds until the window, and so the count, expires. */
  resetsInSeconds: number;
}

/** Counts failed logins per key in fixed windows; shared by every API process when on Redis. */
export interface LoginFailureCounter {
  read(key: string): Promise<FailureCount>;
  increment(key: string, windowSeconds: number): Promise<FailureCount>;
  reset(key: string): Promise<void>;
}

const INCREMENT_IN_WINDOW = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('TTL', KEYS[1])}
`;

export class RedisLoginFailureCounter implements LoginFailureCounter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'login-failures:',
  ) {}

  async read(key: string): Promise<FailureCount> {
    const [count, ttl] = await this.redis
      .multi()
      .get(this.prefix + key)
      .ttl(this.prefix + key)
      .exec()
      .then((results) =>
        (results ?? []).map(([error, value]) => {
          if (error) throw error;
          return value;
        }),
      );
    return { count: Number(count ?? 0), resetsInSeconds: Math.max(0, Number(ttl)) };
  }

  async increment(key: string, windowSeconds: number): Promise<FailureCount> {
    const [count, ttl] = (await this.redis.eval(
      INCREMENT_IN_WINDOW,
      1,
      this.prefix + key,
      windowSeconds,
    )) as [number, number];
    return { count, resetsInSeconds: Math.max(0, ttl) };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

/** One process only: for development and tests without Redis. */
export class MemoryLoginFailureCounter implements LoginFailureCounter {
  private readonly windows = new Map<string, { count: number; expiresAt: number }>();

  read(key: string): Promise<FailureCount> {
    const window = this.live(key);
    return Promise.resolve(
      window
        ? { count: window.count, resetsInSeconds: Math.ceil((window.expiresAt - Date.now()) / 1000) }
        : { count: 0, resetsInSeconds: 0 },
    );
  }

  increment(key: string, windowSeconds: number): Promise<FailureCount> {
    const window = this.live(key) ?? { count: 0, expiresAt: Date.now() + windowSeconds * 1000 };
    window.count++;
    this.windows.set(key, window);
    return this.read(key);
  }

  reset(key: string): Promise<void> {
    this.windows.delete(key);
    return Promise.resolve();
  }

  private live(key: string) {
    const window = this.windows.get(key);
    if (window && window.expiresAt <= Date.now()) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }
}
