import { HttpStatus } from '@nestjs/common';
import { AppException } from '../../common/errors/app.exception';
import { defineErrorCodes } from '../../common/errors/error-code';
import { MEMBER_ERRORS } from '../../members/members.errors';

export const EMAIL_VERIFICATION_ERRORS = defineErrorCodes({
  EMAIL_NOT_VERIFIED: {
    status: HttpStatus.FORBIDDEN,
    meaning:
      'REQUIRE_VERIFIED_EMAIL is on and the signed-in person has not verified their email address yet (POST /auth/email/verification mails a link)',
  },
});

export class EmailNotVerifiedException extends AppException {
  constructor() {
    super(
      EMAIL_VERIFICATION_ERRORS.EMAIL_NOT_VERIFIED,
      'Verify your email address first: POST /auth/email/verification mails a new link',
    );
  }
}

/** Another identity has the address an email change asks for (checked at the request and at the link). */
export class EmailInUseException extends AppException {
  constructor(email: string) {
    super(MEMBER_ERRORS.EMAIL_TAKEN, `Another account uses the email ${email}`);
  }
}
