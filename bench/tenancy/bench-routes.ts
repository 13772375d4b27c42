import { Controller, Get, Headers, Query } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Public } from '../../src/common/access/access.decorators';
import { type Page, PaginationQueryDto, toPage } from '../../src/common/pagination/pagination';
import { Project } from '../../src/projects/project.entity';
import { ProjectsService } from '../../src/projects/projects.service';
import { TenantController } from '../../src/tenancy/tenant-controller.decorator';
import { assertTenantSchemaName } from '../../src/tenancy/tenant-transaction';
import type { LoadRequest } from '../support/load-generator';

export const TENANT_PATH_ROUTE = '/api/v1/bench/projects-tenant';
export const BYPASS_ROUTE = '/api/v1/bench/projects-bypass';
const BYPASS_SCHEMA_HEADER = 'x-bench-schema';

export interface BenchTenant {
  slug: string;
  schemaName: string;
}

export function tenantPathRequest(tenant: BenchTenant): LoadRequest {
  return { path: TENANT_PATH_ROUTE, headers: { 'x-tenant': tenant.slug } };
}

export function bypassRequest(tenant: BenchTenant, inTransaction = false): LoadRequest {
  return {
    path: inTransaction ? `${BYPASS_ROUTE}/in-transaction` : BYPASS_ROUTE,
    headers: { [BYPASS_SCHEMA_HEADER]: tenant.schemaName },
  };
}

/**
 * The tenant path of `GET /api/v1/projects` (resolution middleware, TenantContext, the pinned
 * transaction, the real ProjectsService) without the access token the real route now also checks,
 * so the tenancy cost is measured apart from authentication.
 */
@Public()
@TenantController('bench/projects-tenant')
export class TenantPathProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  list(@Query() query: PaginationQueryDto): Promise<Page<Project>> {
    return this.projects.list(query);
  }
}

/**
 * The same findAndCount with tenancy bypassed: no tenant resolution, no transaction, the table
 * schema-qualified on the app's DataSource (the schema named by a header, checked like any tenant
 * schema name). Only the FROM differs from ProjectsService.list's SQL.
 */
@Public()
@Controller('bench/projects-bypass')
export class BypassProjectsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  list(
    @Query() query: PaginationQueryDto,
    @Headers(BYPASS_SCHEMA_HEADER) schemaName: string,
  ): Promise<Page<Project>> {
    return findAndCountIn(this.dataSource.manager, schemaName, query);
  }

  /** Not judged: the same in a plain transaction (BEGIN, the two queries, COMMIT), no tenancy. */
  @Get('in-transaction')
  listInTransaction(
    @Query() query: PaginationQueryDto,
    @Headers(BYPASS_SCHEMA_HEADER) schemaName: string,
  ): Promise<Page<Project>> {
    return this.dataSource.transaction((manager) => findAndCountIn(manager, schemaName, query));
  }
}

async function findAndCountIn(
  manager: EntityManager,
  schemaName: string,
  query: PaginationQueryDto,
): Promise<Page<Project>> {
  assertTenantSchemaName(schemaName);
  const builder = manager.createQueryBuilder(Project, 'Project').setFindOptions({
    order: { createdAt: 'DESC', id: 'DESC' },
    skip: query.offset,
    take: query.limit,
  });
  // What EntityManager.findAndCount builds, pointed at one schema's table instead of the search_path.
  builder.expressionMap.mainAlias!.tablePath = `${schemaName}.projects`;
  return toPage(await builder.getManyAndCount(), query);
}
