import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception';
import { defineErrorCodes } from '../common/errors/error-code';

export const RATE_LIMIT_ERRORS = defineErrorCodes({
  RATE_LIMIT_UNAVAILABLE: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    meaning:
      'The rate-limit store (Redis) does not answer and RATE_LIMIT_FAIL_MODE is closed, so requests are refused for now; Retry-After tells when to retry',
  },
});

/** 503 under RATE_LIMIT_FAIL_MODE=closed while the rate-limit store cannot be reached. */
export class RateLimitUnavailableException extends AppException {
  constructor() {
    super(
      RATE_LIMIT_ERRORS.RATE_LIMIT_UNAVAILABLE,
      'Rate limiting is unavailable, so requests are refused for now; retry shortly',
    );
    this.headers['Retry-After'] = '1';
  }
}
