import { Body, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Public } from '../../common/access/access.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { MEMBER_ERRORS } from '../../members/members.errors';
import { TenantController } from '../../tenancy/tenant-controller.decorator';
import { VerifyEmailDto } from './dto/verify-email.dto';
import { EmailVerificationService } from './email-verification.service';

@ApiTags('auth')
@TenantController('auth/email')
export class EmailVerificationController {
  constructor(private readonly verification: EmailVerificationService) {}

  @Post('verify')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Use a mailed verification link of this tenant: the address is verified, or, for an email change, becomes the account’s address',
  })
  @ApiNoContentResponse()
  @ApiErrors(MEMBER_ERRORS.INVALID_TOKEN, MEMBER_ERRORS.EMAIL_TAKEN)
  verify(@Body() body: VerifyEmailDto): Promise<void> {
    return this.verification.verify(body.token);
  }

  @Post('verification')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Mail a new verification link to the signed-in person’s address; older links stop working. No mail once verified',
  })
  @ApiAcceptedResponse()
  resend(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    return this.verification.resend(user);
  }
}
