import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresFeature } from '../billing/gating/requires-feature.decorator';
import { Roles } from '../common/access/access.decorators';
import { PaginationQueryDto } from '../common/pagination/pagination';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { AuditQueries } from './audit-queries';
import { AuditPageDto } from './dto/audit-page.dto';

@ApiTags('audit')
@TenantController('audit-log')
export class AuditController {
  constructor(private readonly audit: AuditQueries) {}

  @Get()
  @Roles('owner', 'admin')
  @RequiresFeature('audit_log')
  @ApiOperation({
    summary: 'Sign-ins, member, plan and resource changes, newest first (plans with audit_log)',
  })
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() query: PaginationQueryDto): Promise<AuditPageDto> {
    return this.audit.list(query);
  }
}
