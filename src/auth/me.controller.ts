import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from '../common/access/access.decorators';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { MeDto } from './dto/me.dto';
import { MeService } from './me.service';
import { AllowedWithoutSecondFactor } from './two-factor/allowed-without-second-factor.decorator';

@ApiTags('auth')
@TenantController('me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  @AllowedWithoutSecondFactor()
  @ApiOperation({ summary: 'The signed-in user and their tenant, with its plan features and limits' })
  @ApiOkResponse({ type: MeDto })
  describe(@CurrentUser() user: AuthenticatedUser): Promise<MeDto> {
    return this.me.describe(user);
  }
}
