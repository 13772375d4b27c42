import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { ValidationFailedException } from '../common/errors/app.exception';
import { InjectConfig, type AppConfig } from '../config';
import { SlugTakenException } from './tenancy.errors';
import { TenantCatalogue } from './tenant-catalogue';
import type { CurrentTenant } from './tenant-context';
import { slugProblem } from './tenant-slug';
import { runInTenantSchema } from './tenant-transaction';
import { schemaNameFor, Tenant } from './tenant.entity';
import { TenantSchemaMigrator } from './migrations/tenant-schema-migrator';

export const TENANT_SCHEMA_MIGRATOR = Symbol('TENANT_SCHEMA_MIGRATOR');

export interface NewTenant {
  slug: string;
  name: string;
  /** DEFAULT_PLAN when not given. */
  plan?: string;
}

const UNIQUE_VIOLATION = '23505';

function isSlugConflict(error: unknown): boolean {
  const driverError =
    error instanceof QueryFailedError
      ? (error.driverError as { code?: string; constraint?: string })
      : undefined;
  return driverError?.code === UNIQUE_VIOLATION && driverError.constraint === 'tenants_slug_key';
}

/**
 * Creates a tenant as one unit: the catalogue row, its schema and every tenant migration commit
 * together or not at all. `inTenant` continues in the same transaction, in the new schema, so a
 * caller such as signup can add its own rows and leave nothing behind when it fails.
 */
@Injectable()
export class TenantProvisioningService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalogue: TenantCatalogue,
    @Inject(TENANT_SCHEMA_MIGRATOR) private readonly migrator: TenantSchemaMigrator,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  provision(input: NewTenant): Promise<{ tenant: CurrentTenant; result: undefined }>;
  provision<T>(
    input: NewTenant,
    inTenant: (manager: EntityManager, tenant: CurrentTenant) => Promise<T>,
  ): Promise<{ tenant: CurrentTenant; result: T }>;
  async provision<T>(
    input: NewTenant,
    inTenant?: (manager: EntityManager, tenant: CurrentTenant) => Promise<T>,
  ): Promise<{ tenant: CurrentTenant; result: T | undefined }> {
    const problem = slugProblem(input.slug);
    if (problem) throw new ValidationFailedException([{ field: 'slug', message: problem }]);

    const id = randomUUID();
    const schemaName = schemaNameFor(id);
    const plan = input.plan ?? this.config.billing.defaultPlan;
    try {
      const outcome = await runInTenantSchema(this.dataSource, schemaName, async (manager) => {
        await manager.insert(Tenant, {
          id,
          slug: input.slug,
          name: input.name,
          schemaName,
          status: 'active',
          plan,
          schemaVersion: 0,
        });
        await manager.query(`CREATE SCHEMA "${schemaName}"`);
        await this.migrator.migrate(manager, id);
        const tenant: CurrentTenant = Object.freeze({
          id,
          slug: input.slug,
          name: input.name,
          schemaName,
          status: 'active' as const,
          plan,
        });
        const result = inTenant ? await inTenant(manager, tenant) : undefined;
        return { tenant, result };
      });
      this.catalogue.invalidate(input.slug);
      return outcome;
    } catch (error) {
      if (isSlugConflict(error)) throw new SlugTakenException(input.slug);
      throw error;
    }
  }
}
