import { Injectable } from '@nestjs/common';
import type { PaginationQueryDto } from '../common/pagination/pagination';
import { findPage } from '../common/pagination/find-page';
import { TenantDatabase } from '../tenancy/tenant-database';
import { AuditEntry } from './audit-entry.entity';
import type { AuditPageDto } from './dto/audit-page.dto';

/** Reads the current tenant's audit log, newest first. */
@Injectable()
export class AuditQueries {
  constructor(private readonly tenantDatabase: TenantDatabase) {}

  list(query: PaginationQueryDto): Promise<AuditPageDto> {
    return this.tenantDatabase.read((manager) =>
      findPage(manager, AuditEntry, { at: 'DESC', id: 'DESC' }, query),
    );
  }
}
