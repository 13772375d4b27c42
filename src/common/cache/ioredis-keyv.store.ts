import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

const CLEAR_BATCH = 500;

/**
 * A Keyv store on the app's ioredis client. `@keyv/redis` would bring node-redis as a second Redis
 * client library; this is the small part of it the app needs. Keyv hands it serialized strings with
 * keys already prefixed by its namespace; TTLs are Redis expiries, so every process sees the same.
 * It never closes the client: the Redis module owns it.
 */
export class IoredisKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  opts: Record<string, unknown> = { dialect: 'ioredis' };
  namespace?: string;

  constructor(private readonly redis: Redis) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const value = await this.redis.get(key);
    return value === null ? undefined : (value as StoredData<Value>);
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    if (keys.length === 0) return [];
    const values = await this.redis.mget(keys);
    return values.map((value) => (value === null ? undefined : (value as StoredData<Value>)));
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    const serialized = typeof value === 'string' ? value : JSON.stringify(value);
    if (typeof ttl === 'number' && ttl > 0) await this.redis.set(key, serialized, 'PX', Math.ceil(ttl));
    else await this.redis.set(key, serialized);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.unlink(key)) > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    if (keys.length === 0) return false;
    return (await this.redis.unlink(...keys)) > 0;
  }

  async has(key: string): Promise<boolean> {
    return (await this.redis.exists(key)) === 1;
  }

  /** Deletes this namespace's keys only: the Redis is shared with rate limits and other apps. */
  async clear(): Promise<void> {
    if (!this.namespace)
      throw new Error('IoredisKeyvStore.clear needs a namespace, so it never empties Redis');
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        'MATCH',
        `${this.namespace}:*`,
        'COUNT',
        CLEAR_BATCH,
      );
      if (keys.length > 0) await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
