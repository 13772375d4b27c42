import { Global, MiddlewareConsumer, Module, NestModule, type Type } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { loadTenantMigrations } from './migrations/tenant-migration';
import { TenantSchemaMigrator } from './migrations/tenant-schema-migrator';
import { TenantCatalogue } from './tenant-catalogue';
import { TenantContext } from './tenant-context';
import { TENANT_ROUTES } from './tenant-controller.decorator';
import { TenantDatabase } from './tenant-database';
import { TenantLifecycleService } from './tenant-lifecycle.service';
import { TenantMigrationsOnStartup } from './tenant-migrations-on-startup';
import { TENANT_SCHEMA_MIGRATOR, TenantProvisioningService } from './tenant-provisioning.service';
import { TenantResolutionMiddleware } from './tenant-resolution.middleware';
import { Tenant } from './tenant.entity';

@Global()
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([Tenant])],
  providers: [
    { provide: TENANT_SCHEMA_MIGRATOR, useFactory: () => new TenantSchemaMigrator(loadTenantMigrations()) },
    TenantCatalogue,
    TenantContext,
    TenantDatabase,
    TenantLifecycleService,
    TenantProvisioningService,
    TenantMigrationsOnStartup,
  ],
  exports: [
    TenantCatalogue,
    TenantContext,
    TenantDatabase,
    TenantLifecycleService,
    TenantProvisioningService,
  ],
})
export class TenancyModule implements NestModule {
  constructor(private readonly discovery: DiscoveryService) {}

  configure(consumer: MiddlewareConsumer): void {
    const tenantControllers = this.discovery
      .getControllers()
      .map((wrapper) => wrapper.metatype as Type | null)
      .filter(
        (controller): controller is Type =>
          !!controller && Reflect.getMetadata(TENANT_ROUTES, controller) === true,
      );
    if (tenantControllers.length > 0)
      consumer.apply(TenantResolutionMiddleware).forRoutes(...tenantControllers);
  }
}
