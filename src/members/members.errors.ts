import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception';

export class ForbiddenActionException extends AppException {
  constructor(message: string) {
    super(HttpStatus.FORBIDDEN, 'FORBIDDEN', message);
  }
}

export class MemberNotFoundException extends AppException {
  constructor() {
    super(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'No member with this id');
  }
}

export class AlreadyMemberException extends AppException {
  constructor(email: string) {
    super(HttpStatus.CONFLICT, 'ALREADY_MEMBER', `${email} is already a member`);
  }
}

export class EmailTakenException extends AppException {
  constructor(email: string) {
    super(HttpStatus.CONFLICT, 'EMAIL_TAKEN', `A user with the email ${email} exists in this tenant`);
  }
}

export class InvalidTokenException extends AppException {
  constructor(message = 'The token is invalid, used or expired') {
    super(HttpStatus.BAD_REQUEST, 'INVALID_TOKEN', message);
  }
}

export class InvitationNotFoundException extends AppException {
  constructor() {
    super(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'No pending invitation with this id');
  }
}
