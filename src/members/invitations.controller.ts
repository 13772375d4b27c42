import { Body, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles } from '../common/access/access.decorators';
import { ApiErrors } from '../common/errors/error-body.dto';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { CreateInvitationDto, InvitationDto } from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('members')
@TenantController('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  @Roles('owner', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Invite someone by email; an invitation mail is queued' })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiErrors(
    [400, 'VALIDATION_FAILED'],
    [401, 'UNAUTHORIZED'],
    [402, 'PLAN_LIMIT_REACHED'],
    [403, 'FORBIDDEN'],
    [409, 'ALREADY_MEMBER'],
  )
  invite(@CurrentUser() actor: AuthenticatedUser, @Body() body: CreateInvitationDto): Promise<InvitationDto> {
    return this.invitations.invite(actor, body);
  }
}
