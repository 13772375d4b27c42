import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from '../common/access/access.decorators';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { IdentityTenantDto } from './dto/identity-tenant.dto';
import { MembershipDirectory } from './membership-directory';

@ApiTags('auth')
@TenantController('me/tenants')
export class IdentityTenantsController {
  constructor(private readonly directory: MembershipDirectory) {}

  @Get()
  @ApiOperation({
    summary:
      'The active tenants the signed-in person is a member of, with their role: where they can switch to',
  })
  @ApiOkResponse({ type: IdentityTenantDto, isArray: true })
  list(@CurrentUser() user: AuthenticatedUser): Promise<IdentityTenantDto[]> {
    return this.directory.activeTenantsOf(user.identityId);
  }
}
