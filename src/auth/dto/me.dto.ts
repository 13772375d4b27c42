import { ApiProperty } from '@nestjs/swagger';
import { PlanLimitsDto } from '../../billing/plans/dto/plan.dto';
import { FEATURES, type Feature } from '../../billing/plans/plan-catalogue';
import { MemberDto } from '../../members/dto/member.dto';
import { TenantSummaryDto } from './signup.dto';

export class MeTenantDto extends TenantSummaryDto {
  @ApiProperty({ enum: FEATURES, isArray: true })
  features!: Feature[];

  @ApiProperty({ type: PlanLimitsDto })
  limits!: PlanLimitsDto;
}

export class MeUserDto extends MemberDto {
  @ApiProperty({ description: 'Whether the person has proved they receive mail at `email`' })
  emailVerified!: boolean;

  @ApiProperty({ description: 'Two-factor sign-in is on for the person (in every tenant of theirs)' })
  twoFactorEnabled!: boolean;
}

export class MeDto {
  @ApiProperty({ type: MeUserDto })
  user!: MeUserDto;

  @ApiProperty({ type: MeTenantDto })
  tenant!: MeTenantDto;
}
