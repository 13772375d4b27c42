import { Logger } from '@nestjs/common';
import { createCache } from 'cache-manager';
import { type CacheInvalidationBus, LocalCacheInvalidationBus } from './cache-invalidation.bus';
import { CACHE_TIMEOUT_MS } from './cache-timeout';
import { REPEAT_INVALIDATION_AFTER_MS, SharedCacheRegion } from './shared-cache-region';

/** A bus whose publishing can be broken, standing in for Redis going away and coming back. */
class FlakyBus extends LocalCacheInvalidationBus {
  broken = false;
  private readonly reconnectListeners: (() => void)[] = [];

  override publish(channel: string, key: string): Promise<void> {
    return this.broken ? Promise.reject(new Error('Connection is closed.')) : super.publish(channel, key);
  }

  override onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  reconnect(): void {
    this.broken = false;
    for (const listener of this.reconnectListeners) listener();
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('SharedCacheRegion', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  function region(bus: CacheInvalidationBus = new LocalCacheInvalidationBus()) {
    const cache = createCache();
    return {
      cache,
      region: new SharedCacheRegion<{ n: number }>(cache, bus, { name: 'things:v1', ttlMs: 60_000 }),
    };
  }

  it('keeps entries under its name and reads them back', async () => {
    const { cache, region: things } = region();
    await things.set('a', { n: 1 });
    expect(await things.get('a')).toEqual({ n: 1 });
    expect(await cache.get('things:v1:a')).toEqual({ n: 1 });
    expect(await things.get('b')).toBeUndefined();
  });

  it('deletes the shared entry and tells every listener, now and once more shortly after', async () => {
    const bus = new LocalCacheInvalidationBus();
    const { region: things } = region(bus);
    const heard: (string | undefined)[] = [];
    things.onInvalidated((key) => heard.push(key));
    await things.set('a', { n: 1 });

    things.invalidate('a');
    await flush();
    expect(await things.get('a')).toBeUndefined();
    expect(heard).toEqual(['a']);

    // A stale write that raced the invalidation is removed by the repeat.
    await things.set('a', { n: 0 });
    jest.advanceTimersByTime(REPEAT_INVALIDATION_AFTER_MS);
    await flush();
    expect(await things.get('a')).toBeUndefined();
    expect(heard).toEqual(['a', 'a']);
  });

  it('sends an invalidation that could not be published again once the connection is back', async () => {
    const bus = new FlakyBus();
    const { region: things } = region(bus);
    const heard: (string | undefined)[] = [];
    things.onInvalidated((key) => heard.push(key));
    bus.broken = true;
    things.invalidate('a');
    jest.advanceTimersByTime(REPEAT_INVALIDATION_AFTER_MS);
    await flush();
    expect(heard).toEqual([]);
    expect(Logger.prototype.warn).toHaveBeenCalledTimes(1);

    bus.reconnect();
    await flush();
    expect(heard).toEqual(['a']);
    bus.reconnect();
    await flush();
    expect(heard).toEqual(['a']);
  });

  it('reads a cache that does not answer as a miss, after CACHE_TIMEOUT_MS', async () => {
    const hung = { ...createCache(), get: () => new Promise<never>(() => undefined) };
    const things = new SharedCacheRegion<{ n: number }>(hung, new LocalCacheInvalidationBus(), {
      name: 'things:v1',
      ttlMs: 60_000,
    });
    const read = things.get('a');
    jest.advanceTimersByTime(CACHE_TIMEOUT_MS);
    await expect(read).resolves.toBeUndefined();
  });

  it('stops repeating once closed', async () => {
    const bus = new LocalCacheInvalidationBus();
    const { region: things } = region(bus);
    const heard: (string | undefined)[] = [];
    things.onInvalidated((key) => heard.push(key));
    things.invalidate('a');
    await flush();
    things.close();
    jest.advanceTimersByTime(REPEAT_INVALIDATION_AFTER_MS * 2);
    await flush();
    expect(heard).toEqual(['a']);
  });
});
