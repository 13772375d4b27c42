import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectConfig, type AppConfig } from '../config';
import { migrateTenantSchemas } from './migrations/tenant-migration-run';
import type { TenantSchemaMigrator } from './migrations/tenant-schema-migrator';
import { TENANT_SCHEMA_MIGRATOR } from './tenant-provisioning.service';

/** With MIGRATIONS_RUN, brings every tenant schema up to date before the API takes requests. */
@Injectable()
export class TenantMigrationsOnStartup implements OnApplicationBootstrap {
  private readonly logger = new Logger('TenantMigrations');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(TENANT_SCHEMA_MIGRATOR) private readonly migrator: TenantSchemaMigrator,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.database.migrationsRun) return;
    const summary = await migrateTenantSchemas(this.dataSource, this.migrator, {
      concurrency: this.config.tenancy.migrationConcurrency,
      onWaitingForLock: () => this.logger.log('Another migration run holds the lock; waiting for it'),
    });
    if (summary.total > 0) {
      this.logger.log(
        `Migrated ${summary.migrated} of ${summary.total} tenant schemas in ${summary.durationMs} ms`,
      );
    }
    for (const failure of summary.failures) {
      this.logger.error(`Tenant ${failure.slug} could not be migrated: ${failure.error}`);
    }
  }
}
