import { type CanActivate, DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { ConfigModule, type AppConfig } from './config';
import { dataSourceOptions } from './database/data-source-options';
import type { DatabaseEndpoint } from './database/embedded-postgres.launcher';
import { ApiKeyScopeGuard } from './api-keys/api-key-scope.guard';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AccessTokenGuard } from './auth/guards/access-token.guard';
import { VerifiedEmailGuard } from './auth/email/verified-email.guard';
import { AuthenticationGuard } from './auth/guards/authentication.guard';
import { RolesGuard } from './auth/guards/roles.guard';
import { SecondFactorEnrolmentGuard } from './auth/two-factor/second-factor-enrolment.guard';
import { BillingModule } from './billing/billing.module';
import { FeatureGuard } from './billing/gating/feature.guard';
import { PlansModule } from './billing/plans/plans.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { ProjectsModule } from './projects/projects.module';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { TenancyModule } from './tenancy/tenancy.module';

export interface AppModuleOptions {
  config: AppConfig;
  database: DatabaseEndpoint;
}

/** The product's own tenant resources: `npm run generate:resource` adds to this list. */
const RESOURCE_MODULES: Type[] = [ProjectsModule];

/**
 * Every global guard, in the order they run: who is calling (never refuses), the rate limit (the
 * tenant's budget for a user or API key, the client IP's for anyone else), then 401, an API key's
 * scopes, the second factor a tenant may require, roles, a verified email where REQUIRE_VERIFIED_EMAIL
 * asks for one, and plan features.
 */
function globalGuards(config: AppConfig): Provider[] {
  const inOrder: Type<CanActivate>[] = [
    AuthenticationGuard,
    ...(config.rateLimit.enabled ? [RateLimitGuard] : []),
    AccessTokenGuard,
    ApiKeyScopeGuard,
    SecondFactorEnrolmentGuard,
    RolesGuard,
    VerifiedEmailGuard,
    FeatureGuard,
  ];
  return inOrder.map((guard) => ({ provide: APP_GUARD, useExisting: guard }));
}

@Module({})
export class AppModule {
  static forRoot({ config, database }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // Mounted by hand in createHttpApp, ahead of the body parser, so every response has a request id.
        ClsModule.forRoot({ global: true, middleware: { mount: false } }),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(database, config.database),
          migrationsRun: config.database.migrationsRun,
          autoLoadEntities: true,
        }),
        HealthModule.forRoot(),
        TenancyModule,
        MailModule.forApi(config),
        PlansModule,
        BillingModule,
        AuditModule,
        AuthModule,
        ...RESOURCE_MODULES,
        RateLimitModule.forRoot(config),
      ],
      providers: globalGuards(config),
    };
  }
}
