import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Module, type ModuleMetadata, type Provider, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../src/app.module';
import { createAppLogger } from '../../src/common/logging/winston-logger';
import { loadAppConfig, type AppConfig } from '../../src/config';
import type { DatabaseEndpoint } from '../../src/database/embedded-postgres.launcher';
import { configureHttpApp, createHttpAdapter, HTTP_APP_CREATE_OPTIONS } from '../../src/http-app';

export interface BenchApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

export interface BenchAppOptions {
  database: DatabaseEndpoint;
  /** Environment on top of the bench defaults (production mode, quiet logs, the bench database). */
  env?: Record<string, string>;
  /** Bench-only routes, registered beside the app's own. */
  controllers?: Type[];
  providers?: Provider[];
  /** The app's modules whose exports the bench-only providers need. */
  imports?: ModuleMetadata['imports'];
}

/**
 * What every process of a bench starts from: production mode as deployed, logs at error, the bench
 * database, mail to files where a bench sets no Resend key (production requires one or the other).
 */
export function benchEnvironment(
  database: DatabaseEndpoint,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    DB_HOST: database.host,
    DB_PORT: String(database.port),
    DB_USERNAME: database.user,
    DB_PASSWORD: database.password,
    DB_NAME: database.database,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MAIL_FILE_SINK: 'true',
    MAIL_OUTBOX_DIR: path.join(tmpdir(), 'saas-bench-outbox'),
    ...env,
  };
}

/** The API's configuration: the bench environment, migrating at start-up. */
export function benchConfig(database: DatabaseEndpoint, env: Record<string, string> = {}): AppConfig {
  return loadAppConfig(benchEnvironment(database, { MIGRATIONS_RUN: 'true', ...env }));
}

/** The real API, built as `createHttpApp` builds it, plus bench-only routes, listening on a free port. */
export async function startBenchApp(options: BenchAppOptions): Promise<BenchApp> {
  const config = benchConfig(options.database, options.env);

  @Module({
    imports: [AppModule.forRoot({ config, database: options.database }), ...(options.imports ?? [])],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  })
  class BenchAppModule {}

  const app = await NestFactory.create<NestFastifyApplication>(BenchAppModule, createHttpAdapter(config), {
    ...HTTP_APP_CREATE_OPTIONS,
    logger: createAppLogger(config),
  });
  await configureHttpApp(app, config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  let closing: Promise<void> | undefined;
  // Once: a bench may close it early, and the session closes it again at the end.
  return { app, config, url, close: () => (closing ??= app.close()) };
}
