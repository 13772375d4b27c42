import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { MigrationInterface } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { createAppLogger } from '../../src/common/logging/winston-logger';
import { loadAppConfig, type AppConfig } from '../../src/config';
import { configureHttpApp, createHttpAdapter, HTTP_APP_CREATE_OPTIONS } from '../../src/http-app';
import { loadTenantMigrations, toTenantMigrations } from '../../src/tenancy/migrations/tenant-migration';
import { TenantSchemaMigrator } from '../../src/tenancy/migrations/tenant-schema-migrator';
import { TENANT_SCHEMA_MIGRATOR } from '../../src/tenancy/tenant-provisioning.service';
import { createTestDatabase, testDatabaseEnvironment, testDatabaseServer } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  databaseName: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment on top of the test defaults (the machine's PostgreSQL, quiet logs). */
  env?: Record<string, string>;
  /** Extra controllers, for routes that exist only to exercise the framework. */
  controllers?: Type[];
  providers?: Type[];
  /** Tenant migrations applied after those of tenants/, for tables only tests have (see fixture-notes). */
  tenantMigrations?: (new () => MigrationInterface)[];
  /**
   * Serve an existing test database (another app's `databaseName`) instead of a fresh clone: a second
   * API process on the same data. That database stays for its owner to drop.
   */
  databaseName?: string;
}

/** The app's migrator with `extra` after the migrations of tenants/. */
function withTenantMigrations(extra: (new () => MigrationInterface)[]): TenantSchemaMigrator {
  const fromTenantsDir = loadTenantMigrations().map(
    (m) => m.migration.constructor as new () => MigrationInterface,
  );
  return new TenantSchemaMigrator(toTenantMigrations([...fromTenantsDir, ...extra]));
}

/** The real API on a fresh database cloned from the migrated template, listening on a free port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.databaseName
    ? { name: options.databaseName, drop: () => Promise.resolve() }
    : await createTestDatabase();
  const config = loadAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    ...testDatabaseEnvironment(database.name),
    // The lowest bcrypt cost keeps signups fast; the cost itself is not under test here.
    BCRYPT_COST: '4',
    // Hashing goes through the worker pool as deployed; one thread is plenty at cost 4.
    PASSWORD_HASH_THREADS: '1',
    MAIL_OUTBOX_DIR: path.join(tmpdir(), 'saas-test-outbox'),
    // Tests send bursts no client would (2,000 requests in seconds, dozens of logins from one IP);
    // the limits themselves are under test in test/rate-limit, which turns them on.
    RATE_LIMIT_ENABLED: 'false',
    ...options.env,
  });
  const builder = Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        config,
        database: { ...testDatabaseServer, database: database.name },
      }),
    ],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  });
  if (options.tenantMigrations) {
    builder.overrideProvider(TENANT_SCHEMA_MIGRATOR).useValue(withTenantMigrations(options.tenantMigrations));
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), {
    ...HTTP_APP_CREATE_OPTIONS,
    logger: createAppLogger(config),
  });
  await configureHttpApp(app, config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  let closed = false;
  return {
    app,
    config,
    url,
    databaseName: database.name,
    async close() {
      if (!closed) {
        closed = true;
        await app.close();
      }
      await database.drop();
    },
  };
}
