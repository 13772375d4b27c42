import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles } from '../common/access/access.decorators';
import { ApiErrors } from '../common/errors/error-body.dto';
import { ResourceIdPipe } from '../common/pagination/resource-id.pipe';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { CreateInvitationDto, InvitationDto, PendingInvitationDto } from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('members')
@ApiBearerAuth()
@ApiErrors([401, 'UNAUTHORIZED'], [403, 'FORBIDDEN'])
@TenantController('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  @Roles('owner', 'admin')
  @ApiOperation({ summary: 'Invite someone by email; an invitation mail is queued' })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiErrors([400, 'VALIDATION_FAILED'], [402, 'PLAN_LIMIT_REACHED'], [409, 'ALREADY_MEMBER'])
  invite(@CurrentUser() actor: AuthenticatedUser, @Body() body: CreateInvitationDto): Promise<InvitationDto> {
    return this.invitations.invite(actor, body);
  }

  @Get()
  @Roles('owner', 'admin')
  @ApiOperation({ summary: 'The pending invitations: not accepted, revoked or expired' })
  @ApiOkResponse({ type: [PendingInvitationDto] })
  list(): Promise<PendingInvitationDto[]> {
    return this.invitations.listPending();
  }

  @Delete(':id')
  @Roles('owner', 'admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a pending invitation; its token stops working' })
  @ApiNoContentResponse()
  @ApiErrors([404, 'NOT_FOUND'])
  revoke(@CurrentUser() actor: AuthenticatedUser, @Param('id', ResourceIdPipe) id: string): Promise<void> {
    return this.invitations.revoke(actor, id);
  }
}
