import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '../../common/pagination/pagination';
import { AuditEntry } from '../audit-entry.entity';

export class AuditPageDto implements Page<AuditEntry> {
  @ApiProperty({ type: [AuditEntry] })
  items!: AuditEntry[];

  @ApiProperty()
  total!: number;

  @ApiProperty()
  page!: number;

  @ApiProperty()
  limit!: number;
}
