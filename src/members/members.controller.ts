import { Body, Delete, Get, HttpCode, HttpStatus, Param, Patch } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles } from '../common/access/access.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { HTTP_ERRORS } from '../common/errors/common.errors';
import { ResourceIdPipe } from '../common/pagination/resource-id.pipe';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { ChangeRoleDto } from './dto/change-role.dto';
import { MembersService } from './members.service';
import { MemberDto } from './dto/member.dto';

@ApiTags('members')
@TenantController('members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @ApiOperation({ summary: 'The members of the tenant' })
  @ApiOkResponse({ type: [MemberDto] })
  list(): Promise<MemberDto[]> {
    return this.members.list();
  }

  @Patch(':id')
  @Roles('owner', 'admin')
  @ApiOperation({ summary: "Change a member's role (only owners grant or take away owner)" })
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(HTTP_ERRORS.NOT_FOUND)
  changeRole(
    @CurrentUser() actor: AuthenticatedUser,
    @Param('id', ResourceIdPipe) id: string,
    @Body() body: ChangeRoleDto,
  ): Promise<MemberDto> {
    return this.members.changeRole(actor, id, body.role);
  }

  @Delete(':id')
  @Roles('owner', 'admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a member; the last owner cannot be removed' })
  @ApiNoContentResponse()
  @ApiErrors(HTTP_ERRORS.NOT_FOUND)
  remove(@CurrentUser() actor: AuthenticatedUser, @Param('id', ResourceIdPipe) id: string): Promise<void> {
    return this.members.remove(actor, id);
  }
}
