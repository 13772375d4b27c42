import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import { InMemoryKeyvStore } from './in-memory-keyv.store';

describe('InMemoryKeyvStore', () => {
  const cacheOn = (store: InMemoryKeyvStore) => createCache({ stores: [new Keyv({ store })] });

  it('holds at most its maximum of entries, dropping the least recently used first', async () => {
    const store = new InMemoryKeyvStore(10);
    const cache = cacheOn(store);
    await cache.set('kept', 'read often', 60_000);
    for (let i = 0; i < 25; i++) {
      await cache.set(`key-${i}`, i, 60_000);
      expect(await cache.get('kept')).toBe('read often');
    }
    expect(store.size).toBe(10);
    const present = await Promise.all(Array.from({ length: 25 }, (_, i) => cache.get(`key-${i}`)));
    expect(present.filter((value) => value !== undefined)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24]);
  });

  it('expires entries by their TTL', async () => {
    const store = new InMemoryKeyvStore(10);
    const cache = cacheOn(store);
    await cache.set('short', 'lived', 20);
    await cache.set('long', 'lived', 60_000);
    expect(await cache.get('short')).toBe('lived');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('long')).toBe('lived');
    await cache.del('long');
    expect(store.size).toBe(0);
  });
});
