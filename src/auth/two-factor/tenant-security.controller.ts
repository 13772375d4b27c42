import { Body, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresFeature } from '../../billing/gating/requires-feature.decorator';
import { Roles } from '../../common/access/access.decorators';
import { TenantController } from '../../tenancy/tenant-controller.decorator';
import { TenantSecurityDto, UpdateTenantSecurityDto } from './dto/two-factor.dto';
import { TenantSecurityService } from './tenant-security.service';

@ApiTags('tenant')
@TenantController('tenant/security')
export class TenantSecurityController {
  constructor(private readonly security: TenantSecurityService) {}

  @Get()
  @ApiOperation({
    summary: "The tenant's sign-in requirements: whether every member needs two-factor sign-in",
  })
  @ApiOkResponse({ type: TenantSecurityDto })
  get(): TenantSecurityDto {
    return this.security.get();
  }

  @Put()
  @Roles('owner')
  @RequiresFeature('require_2fa')
  @ApiOperation({
    summary:
      'Require two-factor sign-in of every member, or stop: members without it can then only enrol, read /me and sign out',
  })
  @ApiOkResponse({ type: TenantSecurityDto })
  update(@Body() body: UpdateTenantSecurityDto): Promise<TenantSecurityDto> {
    return this.security.update(body);
  }
}
