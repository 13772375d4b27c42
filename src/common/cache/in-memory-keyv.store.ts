import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { LRUCache } from 'lru-cache';

/**
 * The cache's store without Redis: in the process, holding at most `maxEntries`, the least recently
 * used dropped first, so keys derived from request input cannot grow it without bound. Entries also
 * expire by their TTL here, besides Keyv's own check on read.
 */
export class InMemoryKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  opts: Record<string, unknown> = { dialect: 'lru-cache' };
  namespace?: string;
  private readonly entries: LRUCache<string, object | string>;

  constructor(maxEntries: number) {
    super();
    this.entries = new LRUCache({ max: maxEntries });
  }

  /** Entries held now, expired ones not yet dropped included. */
  get size(): number {
    return this.entries.size;
  }

  get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return Promise.resolve(this.entries.get(key) as StoredData<Value> | undefined);
  }

  set(key: string, value: object | string, ttl?: number): Promise<boolean> {
    this.entries.set(key, value, typeof ttl === 'number' && ttl > 0 ? { ttl: Math.ceil(ttl) } : {});
    return Promise.resolve(true);
  }

  delete(key: string): Promise<boolean> {
    return Promise.resolve(this.entries.delete(key));
  }

  has(key: string): Promise<boolean> {
    return Promise.resolve(this.entries.has(key));
  }

  clear(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }
}
