import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log';
import { PlanLimits } from '../billing/gating/plan-limits';
import { NotFoundException } from '../common/errors/app.exception';
import type { Page, PaginationQueryDto } from '../common/pagination/pagination';
import { findPage } from '../common/pagination/find-page';
import { TenantDatabase } from '../tenancy/tenant-database';
import type { CreateProjectDto } from './dto/create-project.dto';
import type { UpdateProjectDto } from './dto/update-project.dto';
import { Project } from './project.entity';
import { PROJECT_AUDIT_ACTIONS, PROJECTS_LIMIT } from './projects.registrations';

const projectNotFound = () => new NotFoundException('No project with this id');

@Injectable()
export class ProjectsService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly planLimits: PlanLimits,
    private readonly audit: AuditLog,
  ) {}

  list(query: PaginationQueryDto): Promise<Page<Project>> {
    return this.tenantDatabase.read((manager) =>
      findPage(manager, Project, { createdAt: 'DESC', id: 'DESC' }, query),
    );
  }

  get(id: string): Promise<Project> {
    return this.tenantDatabase.read(async (manager) => {
      const project = await manager.findOneBy(Project, { id });
      if (!project) throw projectNotFound();
      return project;
    });
  }

  create(input: CreateProjectDto): Promise<Project> {
    return this.tenantDatabase.transaction(async (manager) => {
      await this.planLimits.assertRoomFor(manager, PROJECTS_LIMIT, () => manager.count(Project));
      const project = await manager.save(
        manager.create(Project, { name: input.name, description: input.description ?? null }),
      );
      await this.audit.record(manager, PROJECT_AUDIT_ACTIONS.created, `project:${project.id}`);
      return project;
    });
  }

  update(id: string, changes: UpdateProjectDto): Promise<Project> {
    return this.tenantDatabase.transaction(async (manager) => {
      const project = await manager.findOne(Project, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!project) throw projectNotFound();
      manager.merge(Project, project, changes);
      await this.audit.record(manager, PROJECT_AUDIT_ACTIONS.updated, `project:${project.id}`);
      return manager.save(project);
    });
  }

  remove(id: string): Promise<void> {
    return this.tenantDatabase.transaction(async (manager) => {
      const { affected } = await manager.delete(Project, { id });
      if (!affected) throw projectNotFound();
      await this.audit.record(manager, PROJECT_AUDIT_ACTIONS.deleted, `project:${id}`);
    });
  }
}
