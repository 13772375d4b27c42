import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

/** The API key a request was made with, as GET /me shows it. */
export class MeApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'CI deploys' })
  name!: string;

  @ApiProperty({ example: 'stk_1a2b3c4d5e6f' })
  prefix!: string;

  @ApiProperty({ type: String, isArray: true, example: ['projects:read'] })
  scopes!: string[];
}

export const CALLER_KINDS = ['user', 'apiKey'] as const;

export class MeDto {
  @ApiProperty({ enum: CALLER_KINDS, description: 'Who is calling: a signed-in user or an API key' })
  kind!: (typeof CALLER_KINDS)[number];

  @ApiPropertyOptional({ type: MeUserDto, description: 'For kind "user" only' })
  user?: MeUserDto;

  @ApiPropertyOptional({ type: MeApiKeyDto, description: 'For kind "apiKey" only' })
  apiKey?: MeApiKeyDto;

  @ApiProperty({ type: MeTenantDto })
  tenant!: MeTenantDto;
}
