import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
} from '@nestjs/terminus';
import { Public } from '../common/access/access.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { InjectConfig, type AppConfig } from '../config';
import {
  DatabaseHealthIndicator,
  RabbitMqHealthIndicator,
  RedisHealthIndicator,
} from './dependency-health.indicators';
import { HEALTH_ERRORS, NotReadyException } from './health.errors';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly rabbitMq: RabbitMqHealthIndicator,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Every configured dependency is reachable; 503 names the failing ones' })
  @ApiErrors(HEALTH_ERRORS.NOT_READY)
  async ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.database.check('database')];
    if (this.config.redis) checks.push(() => this.redis.check('redis'));
    if (this.config.rabbitmq) checks.push(() => this.rabbitMq.check('rabbitmq'));
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const failing = Object.keys(result.error ?? {});
      throw new NotReadyException(failing, result.details);
    }
  }
}
