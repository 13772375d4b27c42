import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception';
import { HTTP_ERRORS } from '../common/errors/common.errors';
import { defineErrorCodes } from '../common/errors/error-code';

export const AUTH_ERRORS = defineErrorCodes({
  INVALID_CREDENTIALS: {
    status: HttpStatus.UNAUTHORIZED,
    meaning:
      "The email or password is wrong, or the person is not a member of this tenant (the two answer alike); at signup or invitation acceptance, the password is not the existing account's",
  },
  INVALID_REFRESH_TOKEN: {
    status: HttpStatus.UNAUTHORIZED,
    meaning:
      'The refresh token is unknown, expired or revoked; one used a second time also revokes its whole session',
  },
  TOO_MANY_LOGIN_ATTEMPTS: {
    status: HttpStatus.TOO_MANY_REQUESTS,
    meaning:
      'Too many failed sign-ins for this email or from this client IP within the window; Retry-After tells when to retry',
  },
  PASSWORD_HASHING_BUSY: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    meaning:
      'This API process has as many passwords waiting to be hashed or checked as it queues (PASSWORD_HASH_MAX_QUEUE); nothing was changed, Retry-After tells when to retry',
  },
});

export class InvalidCredentialsException extends AppException {
  constructor() {
    super(AUTH_ERRORS.INVALID_CREDENTIALS, 'The email or password is wrong');
  }
}

export class UnauthorizedException extends AppException {
  constructor(message = 'A valid access token is required') {
    super(HTTP_ERRORS.UNAUTHORIZED, message);
  }
}

export class InvalidRefreshTokenException extends AppException {
  constructor(message = 'The refresh token is invalid, expired or revoked') {
    super(AUTH_ERRORS.INVALID_REFRESH_TOKEN, message);
  }
}

/** 503 with Retry-After: the password hash queue is full, so the request is refused before any work. */
export class PasswordHashingBusyException extends AppException {
  constructor() {
    super(AUTH_ERRORS.PASSWORD_HASHING_BUSY, 'Too many passwords are being checked right now; retry shortly');
    // One second is several hashes per thread at the default cost: the queue has moved on by then.
    this.headers['Retry-After'] = '1';
  }
}
