import { Body, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/access/access.decorators';
import { TenantController } from '../../tenancy/tenant-controller.decorator';
import { TenantBrandingDto, UpdateTenantBrandingDto } from './dto/tenant-branding.dto';
import { TenantBrandingService } from './tenant-branding.service';

@ApiTags('tenant')
@TenantController('tenant/branding')
export class TenantBrandingController {
  constructor(private readonly branding: TenantBrandingService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's mail branding (defaults made from the tenant name until set)" })
  @ApiOkResponse({ type: TenantBrandingDto })
  get(): Promise<TenantBrandingDto> {
    return this.branding.get();
  }

  @Put()
  @ApiOperation({ summary: "Replace the tenant's mail branding; mails rendered from now on use it" })
  @ApiOkResponse({ type: TenantBrandingDto })
  @Roles('owner', 'admin')
  replace(@Body() body: UpdateTenantBrandingDto): Promise<TenantBrandingDto> {
    return this.branding.replace(body);
  }
}
