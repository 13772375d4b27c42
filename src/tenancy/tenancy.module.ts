import { Global, MiddlewareConsumer, Module, NestModule, type Type } from '@nestjs/common';
import { NotificationsModule } from '../database/notifications.module';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Cache } from 'cache-manager';
import { SharedCacheModule } from '../common/cache/shared-cache.module';
import { TenantCache } from '../common/cache/tenant-cache';
import { APP_CONFIG, type AppConfig } from '../config';
import { loadTenantMigrations } from './migrations/tenant-migration';
import { TenantSchemaMigrator } from './migrations/tenant-schema-migrator';
import { TenantCatalogue } from './tenant-catalogue';
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
  imports: [DiscoveryModule, TypeOrmModule.forFeature([Tenant]), SharedCacheModule, NotificationsModule],
  providers: [
    { provide: TENANT_SCHEMA_MIGRATOR, useFactory: () => new TenantSchemaMigrator(loadTenantMigrations()) },
    TenantChangeFeed,
    TenantCatalogue,
    {
      provide: TenantCache,
      inject: [CACHE_MANAGER, TenantContext, APP_CONFIG],
      useFactory: (cache: Cache, context: TenantContext, config: AppConfig) =>
        new TenantCache(cache, () => context.tenant.id, config.cache.ttlMs),
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
