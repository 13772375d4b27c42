import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ValidationFailedException } from '../common/errors/app.exception';
import { TenantNotFoundException } from './tenancy.errors';
import { TenantCatalogue } from './tenant-catalogue';
import { assertTenantSchemaName } from './tenant-transaction';
import { Tenant, type TenantStatus } from './tenant.entity';

/** Suspend, resume and delete; each change reaches this process's catalogue cache at once. */
@Injectable()
export class TenantLifecycleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalogue: TenantCatalogue,
  ) {}

  suspend(slug: string): Promise<Tenant> {
    return this.setStatus(slug, 'suspended');
  }

  resume(slug: string): Promise<Tenant> {
    return this.setStatus(slug, 'active');
  }

  /** Drops the schema and the catalogue row; `confirmation` must repeat the slug. */
  async delete(slug: string, confirmation: string): Promise<void> {
    if (confirmation !== slug) {
      throw new ValidationFailedException(
        [{ field: 'confirm', message: `type the slug "${slug}" to confirm the deletion` }],
        'Deletion not confirmed',
      );
    }
    await this.dataSource.transaction(async (manager) => {
      const tenant = await manager.findOne(Tenant, { where: { slug }, lock: { mode: 'pessimistic_write' } });
      if (!tenant) throw new TenantNotFoundException(slug);
      assertTenantSchemaName(tenant.schemaName);
      await manager.query(`DROP SCHEMA IF EXISTS "${tenant.schemaName}" CASCADE`);
      await manager.delete(Tenant, { id: tenant.id });
    });
    this.catalogue.invalidate(slug);
  }

  private async setStatus(slug: string, status: TenantStatus): Promise<Tenant> {
    const { affected } = await this.dataSource.getRepository(Tenant).update({ slug }, { status });
    this.catalogue.invalidate(slug);
    const tenant = affected ? await this.catalogue.findBySlugFresh(slug) : null;
    if (!tenant) throw new TenantNotFoundException(slug);
    return tenant;
  }
}
