import { Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Injects the app's one ioredis client, or `null` when `REDIS_HOST` is unset. */
export const InjectRedis = (): ParameterDecorator => Inject(REDIS_CLIENT);

export function createRedisClient(config: NonNullable<AppConfig['redis']>): Redis {
  return new Redis({
    host: config.host,
    port: config.port,
    password: config.password,
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}

/** The app's one ioredis client (from `REDIS_HOST`) for every module that imports this one; closed at shutdown. */
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: ({ redis: config }: AppConfig) => {
        if (!config) return null;
        const logger = new Logger('Redis');
        const client = createRedisClient(config);
        client.on('error', (error: Error) => logger.warn(`Redis: ${error.message}`));
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}
