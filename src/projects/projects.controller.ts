import { Body, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiKeyScoped } from '../api-keys/api-key-scoped.decorator';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { HTTP_ERRORS } from '../common/errors/common.errors';
import { BILLING_ERRORS } from '../billing/billing.errors';
import { PaginationQueryDto } from '../common/pagination/pagination';
import { ResourceIdPipe } from '../common/pagination/resource-id.pipe';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { CreateProjectDto } from './dto/create-project.dto';
import { ProjectPageDto } from './dto/project-page.dto';
import { UpdateProjectDto } from './dto/update-project.dto';
import { Project } from './project.entity';
import { PROJECT_SCOPES } from './projects.registrations';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@TenantController('projects')
@ApiKeyScoped(PROJECT_SCOPES)
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @ApiOperation({ summary: 'List the projects of the tenant, newest first' })
  @ApiOkResponse({ type: ProjectPageDto })
  list(@Query() query: PaginationQueryDto): Promise<ProjectPageDto> {
    return this.projects.list(query);
  }

  @Post()
  @ApiOperation({ summary: 'Create a project' })
  @ApiCreatedResponse({ type: Project })
  @ApiErrors(BILLING_ERRORS.PLAN_LIMIT_REACHED)
  create(@Body() body: CreateProjectDto): Promise<Project> {
    return this.projects.create(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a project' })
  @ApiOkResponse({ type: Project })
  @ApiErrors(HTTP_ERRORS.NOT_FOUND)
  get(@Param('id', ResourceIdPipe) id: string): Promise<Project> {
    return this.projects.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a project' })
  @ApiOkResponse({ type: Project })
  @ApiErrors(HTTP_ERRORS.NOT_FOUND)
  update(@Param('id', ResourceIdPipe) id: string, @Body() body: UpdateProjectDto): Promise<Project> {
    return this.projects.update(id, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a project' })
  @ApiNoContentResponse()
  @ApiErrors(HTTP_ERRORS.NOT_FOUND)
  remove(@Param('id', ResourceIdPipe) id: string): Promise<void> {
    return this.projects.remove(id);
  }
}
