import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import type { TenantBranding } from '../../mail.types';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const HTTPS_URL = { protocols: ['https'], require_protocol: true, require_tld: true };

/** `PUT /tenant/branding`: the whole branding; an optional field left out or null is cleared. */
export class UpdateTenantBrandingDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Acme Rockets' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName!: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uri',
    maxLength: 2000,
    nullable: true,
    example: 'https://cdn.example.com/acme.png',
  })
  @IsOptional()
  @IsUrl(HTTPS_URL, { message: 'logoUrl must be an https URL' })
  @MaxLength(2000)
  logoUrl?: string | null;

  @ApiProperty({ pattern: '^#[0-9a-fA-F]{6}$', maxLength: 7, example: '#ff6600' })
  @IsString()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'primaryColor must be a colour like #ff6600' })
  primaryColor!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Acme' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  fromName!: string;

  @ApiPropertyOptional({
    type: String,
    format: 'email',
    maxLength: 320,
    nullable: true,
    example: 'help@acme.example',
  })
  @IsOptional()
  @IsEmail({}, { message: 'replyTo must be an email address' })
  @MaxLength(320)
  replyTo?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uri',
    maxLength: 2000,
    nullable: true,
    example: 'https://acme.example/help',
  })
  @IsOptional()
  @IsUrl(HTTPS_URL, { message: 'supportUrl must be an https URL' })
  @MaxLength(2000)
  supportUrl?: string | null;
}

/** A tenant's mail branding; fields it has not set are null. */
export class TenantBrandingDto {
  @ApiProperty({ example: 'Acme Rockets' })
  displayName!: string;

  @ApiProperty({ type: String, nullable: true })
  logoUrl!: string | null;

  @ApiProperty({ example: '#ff6600' })
  primaryColor!: string;

  @ApiProperty({ example: 'Acme' })
  fromName!: string;

  @ApiProperty({ type: String, nullable: true })
  replyTo!: string | null;

  @ApiProperty({ type: String, nullable: true })
  supportUrl!: string | null;

  static of(branding: TenantBranding): TenantBrandingDto {
    return {
      displayName: branding.displayName,
      logoUrl: branding.logoUrl ?? null,
      primaryColor: branding.primaryColor,
      fromName: branding.fromName,
      replyTo: branding.replyTo ?? null,
      supportUrl: branding.supportUrl ?? null,
    };
  }
}
