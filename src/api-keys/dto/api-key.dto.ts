import { ApiProperty } from '@nestjs/swagger';

/** What the API lists of a key: never the key itself nor its hash. */
export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'CI deploys' })
  name!: string;

  @ApiProperty({ type: String, isArray: true, example: ['projects:read'] })
  scopes!: string[];

  @ApiProperty({ example: 'stk_1a2b3c4d5e6f', description: 'The visible start of the key' })
  prefix!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Last request made with the key, written every API_KEY_USAGE_FLUSH_MS; null: never used',
  })
  lastUsedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: never expires' })
  expiresAt!: Date | null;
}
