import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The owner `npm run tenant -- create --owner-email <email> [--owner-name <name>]` names. */
export class NewTenantOwnerDto {
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  /** For a new identity only; an existing one keeps its name. */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}
