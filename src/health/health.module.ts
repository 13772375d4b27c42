import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  DatabaseHealthIndicator,
  RabbitMqHealthIndicator,
  RedisHealthIndicator,
} from './dependency-health.indicators';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator, RedisHealthIndicator, RabbitMqHealthIndicator],
})
export class HealthModule {}
