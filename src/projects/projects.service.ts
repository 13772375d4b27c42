import { Injectable } from '@nestjs/common';
import { NotFoundException } from '../common/errors/app.exception';
import { type Page, type PaginationQueryDto, toPage } from '../common/pagination/pagination';
import { TenantDatabase } from '../tenancy/tenant-database';
import type { CreateProjectDto } from './dto/create-project.dto';
import type { UpdateProjectDto } from './dto/update-project.dto';
import { Project } from './project.entity';

const projectNotFound = () => new NotFoundException('No project with this id');

@Injectable()
export class ProjectsService {
  constructor(private readonly tenantDatabase: TenantDatabase) {}

  list(query: PaginationQueryDto): Promise<Page<Project>> {
    return this.tenantDatabase.transaction(async (manager) =>
      toPage(
        await manager.findAndCount(Project, {
          order: { createdAt: 'DESC', id: 'DESC' },
          skip: query.offset,
          take: query.limit,
        }),
        query,
      ),
    );
  }

  get(id: string): Promise<Project> {
    return this.tenantDatabase.transaction(async (manager) => {
      const project = await manager.findOneBy(Project, { id });
      if (!project) throw projectNotFound();
      return project;
    });
  }

  create(input: CreateProjectDto): Promise<Project> {
    return this.tenantDatabase.transaction((manager) =>
      manager.save(manager.create(Project, { name: input.name, description: input.description ?? null })),
    );
  }

  update(id: string, changes: UpdateProjectDto): Promise<Project> {
    return this.tenantDatabase.transaction(async (manager) => {
      const project = await manager.findOne(Project, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!project) throw projectNotFound();
      manager.merge(Project, project, changes);
      return manager.save(project);
    });
  }

  remove(id: string): Promise<void> {
    return this.tenantDatabase.transaction(async (manager) => {
      const { affected } = await manager.delete(Project, { id });
      if (!affected) throw projectNotFound();
    });
  }
}
