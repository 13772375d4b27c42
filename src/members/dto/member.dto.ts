import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../common/access/access.decorators';

/** What the API shows of a member: the membership's id and role, the identity's email and name. */
export class MemberDto {
  @ApiProperty({ format: 'uuid', description: 'The membership id (one per person and tenant)' })
  id!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;
}

export function toMemberDto({ id, email, name, role }: MemberDto): MemberDto {
  return { id, email, name, role };
}
