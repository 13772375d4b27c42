import 'reflect-metadata';
import {
  type DynamicModule,
  type INestApplication,
  Logger,
  type LoggerService,
  Module,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { shutDownGracefully } from './common/http/graceful-shutdown';
import { createAppLogger } from './common/logging/winston-logger';
import { RedisModule } from './common/redis/redis.module';
import { type AppConfig, ConfigModule, ConfigValidationError, loadAppConfig } from './config';
import { dataSourceOptions } from './database/data-source-options';
import { resolveDatabase } from './database/database-endpoint';
import type { DatabaseEndpoint } from './database/embedded-postgres.launcher';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The mail worker process: outbox relay, RabbitMQ consumer, sender, and /health on MAIL_WORKER_PORT. */
@Module({})
export class MailWorkerAppModule {
  static forRoot(appConfig: AppConfig, database: DatabaseEndpoint): DynamicModule {
    // The worker uses no Redis, so its readiness does not depend on it.
    const config: AppConfig = { ...appConfig, redis: undefined };
    return {
      module: MailWorkerAppModule,
      imports: [
        ConfigModule.forRoot(config),
        // The API applies the migrations; docker-compose starts the worker once the API is healthy.
        TypeOrmModule.forRoot({ ...dataSourceOptions(database, config.database), migrationsRun: false }),
        RedisModule.forRoot(config.redis),
        HealthModule,
        MailModule.forWorker(config),
      ],
    };
  }
}

/** Builds the worker app and starts consuming; the caller listens (health) and shuts it down. */
export async function createMailWorkerApp(
  config: AppConfig,
  database: DatabaseEndpoint,
  logger: LoggerService,
): Promise<INestApplication> {
  if (!config.rabbitmq) {
    throw new ConfigValidationError([
      'RABBITMQ_URL: the mail worker consumes RabbitMQ (without it the API runs the worker in-process), it is not set',
    ]);
  }
  return NestFactory.create(MailWorkerAppModule.forRoot(config, database), { logger });
}

async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  const appLogger = createAppLogger(config);
  Logger.overrideLogger(appLogger);
  const logger = new Logger('Bootstrap');
  const database = await resolveDatabase(config.database);
  const exit = async (code: number) => {
    await database
      .stop()
      .catch((error: Error) => logger.error(`Stopping PostgreSQL failed: ${error.message}`));
    process.exit(code);
  };

  let app: INestApplication;
  try {
    app = await createMailWorkerApp(config, database.endpoint, appLogger);
    await app.listen(config.mail.workerPort, config.http.host);
  } catch (error) {
    logger.error(`Start-up failed: ${(error as Error).message}`, (error as Error).stack);
    return exit(1);
  }
  logger.log(`Mail worker running; health on ${await app.getUrl()}/health/ready`);

  let stopping = false;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.log(`${signal} received: finishing in-flight mail`);
      shutDownGracefully(app, config.http.shutdownTimeoutMs)
        .then(() => exit(0))
        .catch(async (error: Error) => {
          logger.error(`Shutdown failed: ${error.message}`, error.stack);
          await exit(1);
        });
    });
  }
}

if (require.main === module) {
  bootstrap().catch((error: unknown) => {
    process.stderr.write(
      error instanceof ConfigValidationError
        ? `${error.message}\n`
        : `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
