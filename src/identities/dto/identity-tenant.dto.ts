import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../common/access/access.decorators';

/** A tenant the signed-in identity is a member of, with its role there (`GET /me/tenants`). */
export class IdentityTenantDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Send it as X-Tenant (or use its subdomain) to sign in there' })
  slug!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;
}
