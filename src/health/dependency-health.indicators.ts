import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { connect } from 'amqplib';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { InjectRedis } from '../common/redis/redis.module';
import { InjectConfig, type AppConfig } from '../config';
import { RABBITMQ_CONNECTION_STATE, type RabbitMqConnectionState } from './rabbitmq-connection-state';

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 'PostgreSQL');
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectRedis() private readonly redis: Redis | null,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    if (!this.redis) return indicator.up();
    try {
      await withTimeout(this.redis.ping(), 'Redis');
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

/**
 * The state of the process's own RabbitMQ connection when it holds one (the mail worker), so the check
 * reports what the process can actually use; otherwise a short connection proves the broker answers.
 */
@Injectable()
export class RabbitMqHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectConfig() private readonly config: AppConfig,
    @Optional()
    @Inject(RABBITMQ_CONNECTION_STATE)
    private readonly connection?: RabbitMqConnectionState,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const url = this.config.rabbitmq?.url;
    if (!url) return indicator.up();
    if (this.connection) {
      return this.connection.isConnected
        ? indicator.up()
        : indicator.down({ message: 'The RabbitMQ connection is down; reconnecting' });
    }
    try {
      const connection = await withTimeout(connect(url, { timeout: CHECK_TIMEOUT_MS }), 'RabbitMQ');
      await connection.close();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
