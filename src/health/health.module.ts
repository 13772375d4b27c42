import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisModule } from '../common/redis/redis.module';
import {
  DatabaseHealthIndicator,
  RabbitMqHealthIndicator,
  RedisHealthIndicator,
} from './dependency-health.indicators';
import { HealthController } from './health.controller';

@Module({})
export class HealthModule {
  /**
   * `connections`: modules that export RABBITMQ_CONNECTION_STATE when the process holds a RabbitMQ
   * connection of its own (the mail worker); without one, the check opens a short connection.
   */
  static forRoot(connections: Array<Type | DynamicModule> = []): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), RedisModule, ...connections],
      controllers: [HealthController],
      providers: [DatabaseHealthIndicator, RedisHealthIndicator, RabbitMqHealthIndicator],
    };
  }
}
