import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { EMAIL_VERIFICATION_ERRORS } from './email-verification.errors';

export const REQUIRES_VERIFIED_EMAIL = Symbol('REQUIRES_VERIFIED_EMAIL');

/**
 * With REQUIRE_VERIFIED_EMAIL on, the route is for people whose address is verified: 403
 * EMAIL_NOT_VERIFIED otherwise. For actions that reach third parties or commit money in their name.
 */
export const RequiresVerifiedEmail = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    SetMetadata(REQUIRES_VERIFIED_EMAIL, true),
    ApiErrors(EMAIL_VERIFICATION_ERRORS.EMAIL_NOT_VERIFIED),
  );
