import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, MaxLength } from 'class-validator';
import type { InvitableRole } from '../invitation.entity';

export const INVITABLE_ROLES: readonly InvitableRole[] = ['admin', 'member'];

export class CreateInvitationDto {
  @ApiProperty({ format: 'email', maxLength: 254, example: 'ada@example.com' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: INVITABLE_ROLES })
  @IsIn(INVITABLE_ROLES)
  role!: InvitableRole;
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({ enum: INVITABLE_ROLES })
  role!: InvitableRole;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

export class PendingInvitationDto extends InvitationDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null once the inviter is gone' })
  invitedBy!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
