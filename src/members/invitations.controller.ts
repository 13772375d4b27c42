import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequiresVerifiedEmail } from '../auth/email/requires-verified-email.decorator';
import { type AuthenticatedUser, CurrentUser, Roles } from '../common/access/access.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { HTTP_ERRORS } from '../common/errors/common.errors';
import { BILLING_ERRORS } from '../billing/billing.errors';
import { ResourceIdPipe } from '../common/pagination/resource-id.pipe';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { CreateInvitationDto, InvitationDto, PendingInvitationDto } from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';
import { MEMBER_ERRORS } from './members.errors';

@ApiTags('members')
@TenantController('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  @Roles('owner', 'admin')
  @RequiresVerifiedEmail()
  @ApiOperation({ summary: 'Invite someone by email; an invitation mail is queued' })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiErrors(BILLING_ERRORS.PLAN_LIMIT_REACHED, MEMBER_ERRORS.ALREADY_MEMBER)
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
  @ApiErrors(HTTP_ERRORS.NOT_FOUND)
  revoke(@CurrentUser() actor: AuthenticatedUser, @Param('id', ResourceIdPipe) id: string): Promise<void> {
    return this.invitations.revoke(actor, id);
  }
}
