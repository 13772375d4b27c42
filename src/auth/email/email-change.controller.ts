import { Body, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from '../../common/access/access.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { MEMBER_ERRORS } from '../../members/members.errors';
import { TenantController } from '../../tenancy/tenant-controller.decorator';
import { AUTH_ERRORS } from '../auth.errors';
import { ClientOrigin, type RequestOrigin } from '../sessions/request-origin.decorator';
import { ChangeEmailDto } from './dto/change-email.dto';
import { EmailChangeService } from './email-change.service';

@ApiTags('auth')
@TenantController('me/email')
export class EmailChangeController {
  constructor(private readonly emailChange: EmailChangeService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Ask to change the account’s email (password required): a link goes to the new address, which becomes the account’s once the link is used',
  })
  @ApiAcceptedResponse()
  @ApiErrors(AUTH_ERRORS.INVALID_CREDENTIALS, AUTH_ERRORS.TOO_MANY_LOGIN_ATTEMPTS, MEMBER_ERRORS.EMAIL_TAKEN)
  change(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: ChangeEmailDto,
    @ClientOrigin() origin: RequestOrigin,
  ): Promise<void> {
    return this.emailChange.request(user, body, origin);
  }
}
