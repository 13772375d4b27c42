import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '../../common/pagination/pagination';
import { AuditEntry } from '../audit-entry.entity';

export class AuditPageDto implements Page<AuditEntry> {
  @ApiProperty({ type: [AuditEntry] })
  items!: AuditEntry[];

  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  limit!: number;
}
