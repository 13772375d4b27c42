import { Global, MiddlewareConsumer, Module, NestModule, type Type } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SharedCache } from '../common/cache/shared-cache';
import { SharedCacheModule } from '../common/cache/shared-cache.module';
import { TenantCache } from '../common/cache/tenant-cache';
import { APP_CONFIG, type AppConfig } from '../config';
import { loadTenantMigrations } from './migrations/tenant-migration';
import { TenantSchemaMigrator } from './migrations/tenant-schema-migrator';
import { SHARED_TENANT_CATALOGUE, SHARED_TENANT_CATALOGUE_REGION, TenantCatalogue } from './tenant-catalogue';
import { TenantChangeFeed } from './tenant-change-feed';
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
  imports: [DiscoveryModule, TypeOrmModule.forFeature([Tenant]), SharedCacheModule],
  providers: [
    { provide: TENANT_SCHEMA_MIGRATOR, useFactory: () => new TenantSchemaMigrator(loadTenantMigrations()) },
    {
      provide: SHARED_TENANT_CATALOGUE,
      inject: [SharedCache, APP_CONFIG],
      // In one process the shared tier would only be a second, longer-lived copy: used with Redis only.
      useFactory: (cache: SharedCache, config: AppConfig) =>
        cache.distributed && config.tenancy.sharedCacheTtlMs > 0
          ? cache.region({ name: SHARED_TENANT_CATALOGUE_REGION, ttlMs: config.tenancy.sharedCacheTtlMs })
          : null,
    },
    TenantChangeFeed,
    TenantCatalogue,
    {
      provide: TenantCache,
      inject: [SharedCache, TenantContext],
      useFactory: (cache: SharedCache, context: TenantContext) => cache.forTenants(() => context.tenant.id),
    },
    TenantContext,
    TenantDatabase,
    TenantLifecycleService,
    TenantProvisioningService,
    TenantMigrationsOnStartup,
  ],
  exports: [
    TenantCatalogue,
    TenantCache,
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
