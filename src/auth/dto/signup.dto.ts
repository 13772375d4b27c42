import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { SatisfiesRule } from '../../common/validation/satisfies-rule';
import { MemberDto } from '../../members/dto/member.dto';
import { slugProblem } from '../../tenancy/tenant-slug';
import { IsAcceptablePassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../passwords/password-policy';
import { TokenPairDto } from './auth.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SignupDto {
  @ApiProperty({ example: 'Acme Inc', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  organizationName!: string;

  @ApiProperty({ example: 'acme', pattern: '^[a-z][a-z0-9-]{2,29}$', maxLength: 30 })
  @SatisfiesRule('isTenantSlug', slugProblem)
  @MaxLength(30)
  slug!: string;

  @ApiProperty({ example: 'Ada Lovelace', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ format: 'email', maxLength: 254 })
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ format: 'password', minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH })
  @IsAcceptablePassword()
  password!: string;
}

/** A tenant as signup and /me show it. */
export class TenantSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  slug!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  plan!: string;

  @ApiProperty({ enum: ['active', 'suspended'] })
  status!: string;
}

export class SignupResultDto extends TokenPairDto {
  @ApiProperty({ type: TenantSummaryDto })
  tenant!: TenantSummaryDto;

  @ApiProperty({ type: MemberDto })
  user!: MemberDto;
}
