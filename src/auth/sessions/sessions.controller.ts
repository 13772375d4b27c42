import { Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from '../../common/access/access.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { HTTP_ERRORS } from '../../common/errors/common.errors';
import { ResourceIdPipe } from '../../common/pagination/resource-id.pipe';
import { TenantController } from '../../tenancy/tenant-controller.decorator';
import { UserSessionDto } from './dto/user-session.dto';
import { SessionService } from './session.service';

@ApiTags('auth')
@TenantController('me/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user’s live sessions, the current one marked' })
  @ApiOkResponse({ type: UserSessionDto, isArray: true })
  list(@CurrentUser() user: AuthenticatedUser): Promise<UserSessionDto[]> {
    return this.sessions.listOf(user);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End one of your sessions: its refresh and access tokens stop working at once' })
  @ApiNoContentResponse()
  @ApiErrors(HTTP_ERRORS.NOT_FOUND)
  end(@CurrentUser() user: AuthenticatedUser, @Param('id', ResourceIdPipe) id: string): Promise<void> {
    return this.sessions.endOwn(user, id);
  }
}
