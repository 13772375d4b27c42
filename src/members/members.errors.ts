import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception';
import { HTTP_ERRORS } from '../common/errors/common.errors';
import { defineErrorCodes } from '../common/errors/error-code';

export const MEMBER_ERRORS = defineErrorCodes({
  ALREADY_MEMBER: {
    status: HttpStatus.CONFLICT,
    meaning: 'The invited email belongs to a member of this tenant already',
  },
  EMAIL_TAKEN: {
    status: HttpStatus.CONFLICT,
    meaning:
      'The person accepting the invitation is a member of this tenant already, or another account has the email an email change asks for',
  },
  INVALID_TOKEN: {
    status: HttpStatus.BAD_REQUEST,
    meaning:
      'The invitation, password-reset or email-verification token is unknown, used, revoked, expired or of another tenant',
  },
});

export class ForbiddenActionException extends AppException {
  constructor(message: string) {
    super(HTTP_ERRORS.FORBIDDEN, message);
  }
}

export class MemberNotFoundException extends AppException {
  constructor() {
    super(HTTP_ERRORS.NOT_FOUND, 'No member with this id');
  }
}

export class AlreadyMemberException extends AppException {
  constructor(email: string) {
    super(MEMBER_ERRORS.ALREADY_MEMBER, `${email} is already a member`);
  }
}

export class EmailTakenException extends AppException {
  constructor(email: string) {
    super(MEMBER_ERRORS.EMAIL_TAKEN, `A user with the email ${email} exists in this tenant`);
  }
}

export class InvalidTokenException extends AppException {
  constructor(message = 'The token is invalid, used or expired') {
    super(MEMBER_ERRORS.INVALID_TOKEN, message);
  }
}

export class InvitationNotFoundException extends AppException {
  constructor() {
    super(HTTP_ERRORS.NOT_FOUND, 'No pending invitation with this id');
  }
}
