import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ChangeEmailDto {
  @ApiProperty({
    format: 'email',
    maxLength: 254,
    description: 'The new address; it takes effect once verified',
  })
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ format: 'password', maxLength: 1024, description: 'The current password' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}
