import { ApiProperty, OmitType } from '@nestjs/swagger';
import { ApiKeyDto } from './api-key.dto';

/** The answer to a create: the only time the key is ever shown. */
export class CreatedApiKeyDto extends OmitType(ApiKeyDto, ['lastUsedAt'] as const) {
  @ApiProperty({
    example: 'stk_1a2b3c4d5e6f_3q2-7wEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    description: 'Send it as `Authorization: Bearer <key>`; it is shown only in this answer',
  })
  key!: string;
}
