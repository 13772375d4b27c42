import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception';
import { defineErrorCodes } from '../common/errors/error-code';

export const API_KEY_ERRORS = defineErrorCodes({
  INSUFFICIENT_SCOPE: {
    status: HttpStatus.FORBIDDEN,
    meaning:
      "The API key's scopes do not cover the route, or the route is not open to API keys at all (members, billing, API keys, sessions, …); details is {required}",
  },
  UNKNOWN_SCOPE: {
    status: HttpStatus.BAD_REQUEST,
    meaning: 'An API key scope is not one that a resource registered; details lists each {field, message}',
  },
  INVALID_EXPIRY: {
    status: HttpStatus.BAD_REQUEST,
    meaning: "An API key's expiresAt is not in the future; details lists each {field, message}",
  },
});

export class InsufficientScopeException extends AppException {
  constructor(required: string | null) {
    super(
      API_KEY_ERRORS.INSUFFICIENT_SCOPE,
      required
        ? `This API key lacks the scope ${required}`
        : 'API keys cannot call this route; sign in as a user',
      { required },
    );
  }
}

export class UnknownScopeException extends AppException {
  constructor(unknown: string[]) {
    super(
      API_KEY_ERRORS.UNKNOWN_SCOPE,
      `Unknown API key scope: ${unknown.join(', ')}`,
      unknown.map((scope) => ({ field: 'scopes', message: `${scope} is not a registered scope` })),
    );
  }
}

export class InvalidExpiryException extends AppException {
  constructor() {
    super(API_KEY_ERRORS.INVALID_EXPIRY, 'expiresAt must be in the future', [
      { field: 'expiresAt', message: 'must be in the future' },
    ]);
  }
}
