import Redis from 'ioredis';

/** The machine's Redis (BENCH_REDIS_* override the defaults). */
export const benchRedisServer = {
  host: process.env.BENCH_REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.BENCH_REDIS_PORT ?? 6379),
};

/** The app's variables for the bench's Redis. */
export function benchRedisEnvironment(): Record<string, string> {
  return { REDIS_HOST: benchRedisServer.host, REDIS_PORT: String(benchRedisServer.port) };
}

/**
 * The Redis server's process id, as it reports it: a run that sends it thousands of commands a
 * second counts its CPU as the bench's own, not as other people's load. (On another host or in a
 * container the id names no local process, and is then simply not found.)
 */
export async function redisServerPid(): Promise<number | undefined> {
  const redis = new Redis({ ...benchRedisServer, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const match = /^process_id:(\d+)/m.exec(await redis.info('server'));
    return match ? Number(match[1]) : undefined;
  } finally {
    redis.disconnect();
  }
}
