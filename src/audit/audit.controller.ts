import { Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresFeature } from '../billing/gating/requires-feature.decorator';
import { Roles } from '../common/access/access.decorators';
import { ApiErrors } from '../common/errors/error-body.dto';
import { PaginationQueryDto } from '../common/pagination/pagination';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { AuditQueries } from './audit-queries';
import { AuditPageDto } from './dto/audit-page.dto';

@ApiTags('audit')
@ApiBearerAuth()
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
  @ApiErrors([401, 'UNAUTHORIZED'], [402, 'FEATURE_NOT_IN_PLAN'], [403, 'FORBIDDEN'])
  list(@Query() query: PaginationQueryDto): Promise<AuditPageDto> {
    return this.audit.list(query);
  }
}
