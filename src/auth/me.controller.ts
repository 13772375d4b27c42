import { Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from '../common/access/access.decorators';
import { ApiErrors } from '../common/errors/error-body.dto';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { MeDto } from './dto/me.dto';
import { MeService } from './me.service';

@ApiTags('auth')
@ApiBearerAuth()
@TenantController('me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user and their tenant, with its plan features and limits' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors([401, 'UNAUTHORIZED'])
  describe(@CurrentUser() user: AuthenticatedUser): Promise<MeDto> {
    return this.me.describe(user);
  }
}
