import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception';

export class InvalidCredentialsException extends AppException {
  constructor() {
    super(HttpStatus.UNAUTHORIZED, 'INVALID_CREDENTIALS', 'The email or password is wrong');
  }
}

export class UnauthorizedException extends AppException {
  constructor(message = 'A valid access token is required') {
    super(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', message);
  }
}

export class InvalidRefreshTokenException extends AppException {
  constructor(message = 'The refresh token is invalid, expired or revoked') {
    super(HttpStatus.UNAUTHORIZED, 'INVALID_REFRESH_TOKEN', message);
  }
}
