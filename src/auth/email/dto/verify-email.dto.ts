import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class VerifyEmailDto {
  @ApiProperty({ maxLength: 200, description: 'The token of a mailed verification or email-change link' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  token!: string;
}
