import { Get, Injectable, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RequiresFeature } from '../billing/gating/requires-feature';
import { Roles } from '../common/access/access.decorators';
import { type Page, PaginationQueryDto, toPage } from '../common/pagination/pagination';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { TenantDatabase } from '../tenancy/tenant-database';
import { AuditEntry } from './audit-entry.entity';

class AuditPageDto implements Page<AuditEntry> {
  @ApiProperty({ type: [AuditEntry] })
  items!: AuditEntry[];

  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  limit!: number;
}

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

@ApiTags('audit')
@TenantController('audit-log')
export class AuditController {
  constructor(private readonly audit: AuditQueries) {}

  @Get()
  @Roles('owner', 'admin')
  @RequiresFeature('audit_log')
  @ApiOperation({
    summary: 'Sign-ins, member, project and plan changes, newest first (plans with audit_log)',
  })
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() query: PaginationQueryDto): Promise<AuditPageDto> {
    return this.audit.list(query);
  }
}
