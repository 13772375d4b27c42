import { Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from '../../common/access/access.decorators';
import { ApiErrors } from '../../common/errors/error-body.dto';
import { ResourceIdPipe } from '../../common/pagination/resource-id.pipe';
import { TenantController } from '../../tenancy/tenant-controller.decorator';
import { UserSessionDto } from './dto/user-session.dto';
import { SessionService } from './session.service';

@ApiTags('auth')
@ApiBearerAuth()
@TenantController('me/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user’s live sessions, the current one marked' })
  @ApiOkResponse({ type: UserSessionDto, isArray: true })
  @ApiErrors([401, 'UNAUTHORIZED'])
  list(@CurrentUser() user: AuthenticatedUser): Promise<UserSessionDto[]> {
    return this.sessions.listOf(user);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End one of your sessions: its refresh and access tokens stop working at once' })
  @ApiNoContentResponse()
  @ApiErrors([401, 'UNAUTHORIZED'], [404, 'NOT_FOUND'])
  end(@CurrentUser() user: AuthenticatedUser, @Param('id', ResourceIdPipe) id: string): Promise<void> {
    return this.sessions.endOwn(user, id);
  }
}
