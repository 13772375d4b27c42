import { Body, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/access/access.decorators';
import { ApiErrors } from '../../common/errors/error-body.dto';
import { TenantController } from '../../tenancy/tenant-controller.decorator';
import { TenantBrandingDto, UpdateTenantBrandingDto } from './dto/tenant-branding.dto';
import { TenantBrandingService } from './tenant-branding.service';

@ApiTags('tenant')
@ApiBearerAuth()
@TenantController('tenant/branding')
export class TenantBrandingController {
  constructor(private readonly branding: TenantBrandingService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's mail branding (defaults made from the tenant name until set)" })
  @ApiOkResponse({ type: TenantBrandingDto })
  @ApiErrors([401, 'UNAUTHORIZED'])
  get(): Promise<TenantBrandingDto> {
    return this.branding.get();
  }

  @Put()
  @ApiOperation({ summary: "Replace the tenant's mail branding; mails rendered from now on use it" })
  @ApiOkResponse({ type: TenantBrandingDto })
  @ApiErrors([400, 'VALIDATION_FAILED'], [401, 'UNAUTHORIZED'], [403, 'FORBIDDEN'])
  @Roles('owner', 'admin')
  replace(@Body() body: UpdateTenantBrandingDto): Promise<TenantBrandingDto> {
    return this.branding.replace(body);
  }
}
