import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { RedisModule } from './common/redis/redis.module';
import { ConfigModule, type AppConfig } from './config';
import { dataSourceOptions } from './database/data-source-options';
import type { DatabaseEndpoint } from './database/embedded-postgres.launcher';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BillingModule } from './billing/billing.module';
import { PlansModule } from './billing/plans/plans.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { ProjectsModule } from './projects/projects.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { TenancyModule } from './tenancy/tenancy.module';

export interface AppModuleOptions {
  config: AppConfig;
  database: DatabaseEndpoint;
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
        RedisModule.forRoot(config.redis),
        HealthModule,
        TenancyModule,
        MailModule.forApi(config),
        PlansModule,
        BillingModule,
        AuditModule,
        AuthModule,
        ProjectsModule,
        RateLimitModule.forRoot(config),
      ],
    };
  }
}
