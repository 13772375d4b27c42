import { ApiProperty } from '@nestjs/swagger';

/** A session as its user sees it in `GET /me/sessions`. */
export class UserSessionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Whether this is the session of the access token making the request' })
  current!: boolean;

  @ApiProperty({ description: 'When the sign-in happened' })
  createdAt!: Date;

  @ApiProperty({ description: 'The last sign-in or token refresh' })
  lastUsedAt!: Date;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'User-Agent of the sign-in, up to 512 characters',
  })
  userAgent!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Client IP of the sign-in' })
  ip!: string | null;
}
