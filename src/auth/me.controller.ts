import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OpenToAnyApiKey } from '../api-keys/api-key-scoped.decorator';
import { type AuthenticatedCaller, CurrentCaller } from '../common/access/access.decorators';
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
  @OpenToAnyApiKey()
  @ApiOperation({
    summary:
      'The signed-in user (kind "user") or the API key (kind "apiKey") and their tenant, with its plan features and limits',
  })
  @ApiOkResponse({ type: MeDto })
  describe(@CurrentCaller() caller: AuthenticatedCaller): Promise<MeDto> {
    return this.me.describe(caller);
  }
}
