import { Body, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/access/access.decorators';
import { ApiErrors } from '../common/errors/error-body.dto';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { AuthService } from './auth.service';
import { AcceptInvitationDto, SessionDto } from './dto/auth.dto';
import { ClientOrigin, type RequestOrigin } from './sessions/request-origin.decorator';

@ApiTags('members')
@TenantController('invitations')
export class InvitationAcceptanceController {
  constructor(private readonly auth: AuthService) {}

  @Post('accept')
  @Public()
  @ApiOperation({ summary: 'Join the tenant with an invitation token, choosing a name and password' })
  @ApiCreatedResponse({ type: SessionDto })
  @ApiErrors([400, 'INVALID_TOKEN'], [409, 'EMAIL_TAKEN'])
  accept(@Body() body: AcceptInvitationDto, @ClientOrigin() origin: RequestOrigin): Promise<SessionDto> {
    return this.auth.acceptInvitation(body, origin);
  }
}
