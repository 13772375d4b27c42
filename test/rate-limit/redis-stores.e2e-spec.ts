import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createCache } from 'cache-manager';
import Redis from 'ioredis';
import { Keyv } from 'keyv';
import { IoredisKeyvStore } from '../../src/common/cache/ioredis-keyv.store';
import { RateLimitStoreError, RedisThrottlerStorage } from '../../src/rate-limit/redis-throttler.storage';
import { PrivateRedis } from '../support/private-redis';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The two Redis stores written for the app, against a real redis-server of the test's own. */
describe('Redis stores', () => {
  let server: PrivateRedis;
  const clients: Redis[] = [];
  const client = () => {
    const redis = new Redis({ port: server.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    clients.push(redis);
    return redis;
  };

  beforeAll(async () => {
    server = await PrivateRedis.start();
  });
  afterAll(async () => {
    for (const redis of clients) redis.disconnect();
    await server.stop();
  });

  describe('IoredisKeyvStore', () => {
    const keyvOn = (redis: Redis, namespace = `ns${randomBytes(4).toString('hex')}`) =>
      new Keyv({ store: new IoredisKeyvStore(redis), namespace, throwOnErrors: true });

    it('stores, reads, expires and deletes values through Keyv, as Redis keys under its namespace', async () => {
      const redis = client();
      const keyv = keyvOn(redis, 'probe');
      await keyv.set('plan', { id: 'pro', limits: { requestsPerMinute: 600 } });
      expect(await keyv.get('plan')).toEqual({ id: 'pro', limits: { requestsPerMinute: 600 } });
      expect(await redis.exists('probe:plan')).toBe(1);
      expect(await keyv.has('plan')).toBe(true);
      expect(await keyv.get(['plan', 'missing'])).toEqual([
        { id: 'pro', limits: { requestsPerMinute: 600 } },
        undefined,
      ]);

      await keyv.set('short', 'lived', 100);
      expect(await redis.pttl('probe:short')).toBeGreaterThan(0);
      await sleep(150);
      expect(await keyv.get('short')).toBeUndefined();

      expect(await keyv.delete('plan')).toBe(true);
      expect(await keyv.get('plan')).toBeUndefined();
    });

    it('clears its own namespace only', async () => {
      const redis = client();
      const mine = keyvOn(redis);
      const theirs = keyvOn(redis);
      await Promise.all([
        mine.set('a', 1),
        mine.set('b', 2),
        theirs.set('a', 3),
        redis.set('unrelated', 'x'),
      ]);
      await mine.clear();
      expect(await mine.get(['a', 'b'])).toEqual([undefined, undefined]);
      expect(await theirs.get('a')).toBe(3);
      expect(await redis.get('unrelated')).toBe('x');
    });

    it('serves cache-manager, which shares entries between clients and reads a store error as a miss', async () => {
      const first = createCache({ stores: [keyvOn(client(), 'shared')] });
      const second = createCache({ stores: [keyvOn(client(), 'shared')] });
      await first.set('k', { n: 1 }, 10_000);
      expect(await second.get('k')).toEqual({ n: 1 });
      expect(await second.wrap('w', () => Promise.resolve('loaded'))).toBe('loaded');
      expect(await first.get('w')).toBe('loaded');
      await second.del('k');
      expect(await first.get('k')).toBeUndefined();

      const down = new Redis({ port: server.port, lazyConnect: true, enableOfflineQueue: false });
      clients.push(down);
      const broken = createCache({ stores: [keyvOn(down, 'shared')] });
      expect(await broken.get('w')).toBeUndefined();
      await expect(broken.set('w', 'x')).rejects.toThrow();
    });
  });

  describe('RedisThrottlerStorage', () => {
    const key = () => `test:${randomBytes(6).toString('hex')}`;

    it('counts concurrent hits from two clients exactly: of 300, the first 100 pass', async () => {
      const stores = [new RedisThrottlerStorage(client(), 1000), new RedisThrottlerStorage(client(), 1000)];
      const shared = key();
      const records = await Promise.all(
        Array.from({ length: 300 }, (_, i) => stores[i % 2].increment(shared, 60_000, 100, 0, 'default')),
      );
      expect(records.filter((record) => !record.isBlocked)).toHaveLength(100);
      expect(records.map((record) => record.totalHits).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 300 }, (_, i) => i + 1),
      );
      for (const record of records) {
        expect(record.timeToExpire).toBeGreaterThanOrEqual(59);
        expect(record.timeToBlockExpire).toBe(record.isBlocked ? record.timeToExpire : 0);
      }
    });

    it('refuses until the fixed window ends, then starts a new one', async () => {
      const storage = new RedisThrottlerStorage(client(), 1000);
      const tracked = key();
      const hit = () => storage.increment(tracked, 300, 2, 0, 'default');
      expect((await hit()).isBlocked).toBe(false);
      expect((await hit()).isBlocked).toBe(false);
      const third = await hit();
      expect(third).toMatchObject({ isBlocked: true, totalHits: 3, timeToBlockExpire: 1 });
      await sleep(350);
      expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 1 });
    });

    it('loads its script again after Redis forgot it (a restart empties the script cache)', async () => {
      const redis = client();
      const storage = new RedisThrottlerStorage(redis, 1000);
      const tracked = key();
      await storage.increment(tracked, 60_000, 10, 0, 'default');
      await redis.script('FLUSH');
      expect((await storage.increment(tracked, 60_000, 10, 0, 'default')).totalHits).toBe(2);
    });

    it('gives up with RateLimitStoreError after its timeout when Redis does not answer', async () => {
      const sockets: Socket[] = [];
      const silent: Server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as { port: number };
      const hung = new Redis({ port, host: '127.0.0.1', enableReadyCheck: false, maxRetriesPerRequest: 1 });
      clients.push(hung);
      try {
        const startedAt = Date.now();
        await expect(
          new RedisThrottlerStorage(hung, 100).increment(key(), 60_000, 1, 0, 'default'),
        ).rejects.toThrow(RateLimitStoreError);
        expect(Date.now() - startedAt).toBeLessThan(1000);
      } finally {
        hung.disconnect();
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    });
  });
});
