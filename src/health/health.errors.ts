import { HttpStatus } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { AppException } from '../common/errors/app.exception';
import { defineErrorCodes } from '../common/errors/error-code';

export const HEALTH_ERRORS = defineErrorCodes({
  NOT_READY: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    meaning: 'A configured dependency (database, Redis, RabbitMQ) does not answer; details has every check',
  },
});

export class NotReadyException extends AppException {
  constructor(failing: string[], checks: HealthIndicatorResult) {
    super(HEALTH_ERRORS.NOT_READY, `Unavailable: ${failing.join(', ')}`, { checks });
  }
}
