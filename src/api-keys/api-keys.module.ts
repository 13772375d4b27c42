import { Module } from '@nestjs/common';
import { NotificationsModule } from '../database/notifications.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { BillingModule } from '../billing/billing.module';
import { ApiKey } from './api-key.entity';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyChangeFeed } from './api-key-change-feed';
import { ApiKeyHasher } from './api-key-hasher';
import { ApiKeyLookupCache } from './api-key-lookup-cache';
import { ApiKeyScopeGuard } from './api-key-scope.guard';
import { ApiKeyUsageRecorder } from './api-key-usage-recorder';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';

/**
 * API keys of a tenant: the routes that manage them, and what the global guards use to authenticate
 * a key (ApiKeyAuthenticator, in AuthenticationGuard) and hold it to its scopes (ApiKeyScopeGuard).
 */
@Module({
  imports: [AuditModule, BillingModule, NotificationsModule, TypeOrmModule.forFeature([ApiKey])],
  controllers: [ApiKeysController],
  providers: [
    ApiKeysService,
    ApiKeyHasher,
    ApiKeyChangeFeed,
    ApiKeyLookupCache,
    ApiKeyUsageRecorder,
    ApiKeyAuthenticator,
    ApiKeyScopeGuard,
  ],
  exports: [ApiKeyAuthenticator, ApiKeyScopeGuard, ApiKeyUsageRecorder, ApiKeyLookupCache],
})
export class ApiKeysModule {}
