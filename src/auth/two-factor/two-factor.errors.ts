import { HttpStatus } from '@nestjs/common';
import { AppException } from '../../common/errors/app.exception';
import { defineErrorCodes } from '../../common/errors/error-code';

export const TWO_FACTOR_ERRORS = defineErrorCodes({
  INVALID_CODE: {
    status: HttpStatus.BAD_REQUEST,
    meaning:
      'The code is not the authenticator app’s current one (or was used already), or the recovery code is not an unused one of the user',
  },
  INVALID_MFA_CODE: {
    status: HttpStatus.UNAUTHORIZED,
    meaning:
      'The second step of a sign-in: the code is not the authenticator app’s current one (or was used already), or the recovery code is not an unused one; it counts as a failed sign-in',
  },
  INVALID_MFA_TOKEN: {
    status: HttpStatus.UNAUTHORIZED,
    meaning:
      'The mfaToken is unknown, expired (5 minutes), already used, or of another tenant: sign in again',
  },
  TWO_FACTOR_ALREADY_ENABLED: {
    status: HttpStatus.CONFLICT,
    meaning: 'Two-factor sign-in is on already: turn it off first to enrol a new authenticator app',
  },
  TWO_FACTOR_NOT_PENDING: {
    status: HttpStatus.CONFLICT,
    meaning: 'There is no enrolment to confirm: start one with POST /me/2fa/totp',
  },
  TWO_FACTOR_NOT_ENABLED: {
    status: HttpStatus.CONFLICT,
    meaning: 'Two-factor sign-in is not on for this user',
  },
  MFA_ENROLMENT_REQUIRED: {
    status: HttpStatus.FORBIDDEN,
    meaning:
      'The tenant requires two-factor sign-in and the user has not turned it on: only enrolment, /me and sign-out are open until they do',
  },
});

export class InvalidCodeException extends AppException {
  constructor() {
    super(TWO_FACTOR_ERRORS.INVALID_CODE, 'The code is not valid');
  }
}

export class InvalidMfaCodeException extends AppException {
  constructor() {
    super(TWO_FACTOR_ERRORS.INVALID_MFA_CODE, 'The code is not valid');
  }
}

export class InvalidMfaTokenException extends AppException {
  constructor() {
    super(TWO_FACTOR_ERRORS.INVALID_MFA_TOKEN, 'The mfaToken is invalid, expired or used: sign in again');
  }
}

export class TwoFactorAlreadyEnabledException extends AppException {
  constructor() {
    super(TWO_FACTOR_ERRORS.TWO_FACTOR_ALREADY_ENABLED, 'Two-factor sign-in is on already');
  }
}

export class TwoFactorNotPendingException extends AppException {
  constructor() {
    super(TWO_FACTOR_ERRORS.TWO_FACTOR_NOT_PENDING, 'There is no two-factor enrolment to confirm');
  }
}

export class TwoFactorNotEnabledException extends AppException {
  constructor() {
    super(TWO_FACTOR_ERRORS.TWO_FACTOR_NOT_ENABLED, 'Two-factor sign-in is not on');
  }
}

export class MfaEnrolmentRequiredException extends AppException {
  constructor() {
    super(
      TWO_FACTOR_ERRORS.MFA_ENROLMENT_REQUIRED,
      'This tenant requires two-factor sign-in: turn it on at /me/2fa/totp first',
    );
  }
}
