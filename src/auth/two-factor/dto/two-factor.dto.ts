import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ValidationFailedException } from '../../../common/errors/app.exception';
import type { SecondFactorProof } from '../second-factors';

const TOTP_CODE = /^\d{6}$/;

export class TotpEnrolmentDto {
  @ApiProperty({ description: 'Base32, for typing into the authenticator app', example: 'JBSWY3DPEHPK3PXP…' })
  secret!: string;

  @ApiProperty({
    description: 'otpauth://totp/… URL, to show as a QR code; SHA-1, 6 digits, 30 s',
    example: 'otpauth://totp/Acme:ada%40example.com?issuer=Acme&secret=…&algorithm=SHA1&digits=6&period=30',
  })
  otpauthUrl!: string;
}

export class TotpCodeDto {
  @ApiProperty({ description: 'The current 6-digit code of the authenticator app', example: '492039' })
  @IsString()
  @Matches(TOTP_CODE, { message: 'code must be 6 digits' })
  code!: string;
}

export class RecoveryCodesDto {
  @ApiProperty({
    type: [String],
    description: 'Ten single-use recovery codes, shown this once; each signs in once instead of a code',
    example: ['K7QXM-2RT4A'],
  })
  recoveryCodes!: string[];
}

/** A code of the authenticator app or a recovery code: exactly one of the two. */
export class SecondFactorProofDto {
  @ApiPropertyOptional({
    description: 'The current 6-digit code of the authenticator app',
    example: '492039',
  })
  @IsOptional()
  @IsString()
  @Matches(TOTP_CODE, { message: 'code must be 6 digits' })
  code?: string;

  @ApiPropertyOptional({ description: 'An unused recovery code, instead of a code', example: 'K7QXM-2RT4A' })
  @IsOptional()
  @IsString()
  @MinLength(10)
  @MaxLength(40)
  recoveryCode?: string;
}

export class MfaSignInDto extends SecondFactorProofDto {
  @ApiProperty({ maxLength: 200, description: 'The mfaToken that POST /auth/login answered' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  mfaToken!: string;
}

export function proofOf({ code, recoveryCode }: SecondFactorProofDto): SecondFactorProof {
  if (code !== undefined && recoveryCode === undefined) return { code };
  if (recoveryCode !== undefined && code === undefined) return { recoveryCode };
  throw new ValidationFailedException([
    { field: 'code', message: 'give either code or recoveryCode, not both' },
  ]);
}

export class MfaChallengeDto {
  @ApiProperty({ enum: [true], description: 'The password was right; the second factor is asked next' })
  mfaRequired!: true;

  @ApiProperty({ description: 'Opaque, for POST /auth/login/mfa within 5 minutes; spent by its sign-in' })
  mfaToken!: string;
}

export class TenantSecurityDto {
  @ApiProperty({
    description:
      'Every member must turn on two-factor sign-in: until they do, only enrolment, /me and sign-out answer (while the plan has require_2fa)',
  })
  require2fa!: boolean;
}

export class UpdateTenantSecurityDto {
  @ApiProperty()
  @IsBoolean()
  require2fa!: boolean;
}
