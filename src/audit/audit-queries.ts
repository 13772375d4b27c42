import { Injectable } from '@nestjs/common';
import { PaginationQueryDto, toPage } from '../common/pagination/pagination';
import { TenantDatabase } from '../tenancy/tenant-database';
import { AuditEntry } from './audit-entry.entity';
import type { AuditPageDto } from './dto/audit-page.dto';

/** Reads the current tenant's audit log, newest first. */
@Injectable()
export class AuditQueries {
  constructor(private readonly tenantDatabase: TenantDatabase) {}

  list(query: PaginationQueryDto): Promise<AuditPageDto> {
    return this.tenantDatabase.read(async (manager) =>
      toPage(
        await manager.findAndCount(AuditEntry, {
          order: { at: 'DESC', id: 'DESC' },
          skip: query.offset,
          take: query.limit,
        }),
        query,
      ),
    );
  }
}
