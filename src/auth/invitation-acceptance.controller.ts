import { Body, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/access/access.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { MEMBER_ERRORS } from '../members/members.errors';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { AUTH_ERRORS } from './auth.errors';
import { AcceptInvitationDto, SessionDto } from './dto/auth.dto';
import { InvitationAcceptanceService } from './invitation-acceptance.service';
import { ClientOrigin, type RequestOrigin } from './sessions/request-origin.decorator';

@ApiTags('members')
@TenantController('invitations')
export class InvitationAcceptanceController {
  constructor(private readonly acceptance: InvitationAcceptanceService) {}

  @Post('accept')
  @Public()
  @ApiOperation({
    summary:
      'Join the tenant with an invitation token: a new person chooses a name and password, a person who has an account elsewhere gives its password',
  })
  @ApiCreatedResponse({ type: SessionDto })
  @ApiErrors(
    MEMBER_ERRORS.INVALID_TOKEN,
    AUTH_ERRORS.INVALID_CREDENTIALS,
    MEMBER_ERRORS.EMAIL_TAKEN,
    AUTH_ERRORS.PASSWORD_HASHING_BUSY,
  )
  accept(@Body() body: AcceptInvitationDto, @ClientOrigin() origin: RequestOrigin): Promise<SessionDto> {
    return this.acceptance.accept(body, origin);
  }
}
