import { Get, Query } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { type Page, PaginationQueryDto } from '../../src/common/pagination/pagination';
import type { Project } from '../../src/projects/project.entity';
import { ProjectsService } from '../../src/projects/projects.service';
import { TenantController } from '../../src/tenancy/tenant-controller.decorator';

export const UNLIMITED_PROJECTS_ROUTE = '/api/v1/bench/projects-unlimited';

/**
 * GET /api/v1/projects as the app serves it (access token, tenant, ProjectsService) with the tenant
 * limit skipped: the limiter guard runs, finds the route exempt and stops.
 */
@SkipThrottle()
@TenantController('bench/projects-unlimited')
export class UnlimitedProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  list(@Query() query: PaginationQueryDto): Promise<Page<Project>> {
    return this.projects.list(query);
  }
}
