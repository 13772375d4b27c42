import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception';

/** 503 under RATE_LIMIT_FAIL_MODE=closed while the rate-limit store cannot be reached. */
export class RateLimitUnavailableException extends AppException {
  constructor() {
    super(
      HttpStatus.SERVICE_UNAVAILABLE,
      'RATE_LIMIT_UNAVAILABLE',
      'Rate limiting is unavailable, so requests are refused for now; retry shortly',
    );
    this.headers['Retry-After'] = '1';
  }
}
