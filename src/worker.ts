import 'reflect-metadata';
import { type DynamicModule, type INestApplication, type LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type AppConfig, ConfigModule, ConfigValidationError } from './config';
import { dataSourceOptions } from './database/data-source-options';
import type { DatabaseEndpoint } from './database/embedded-postgres.launcher';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { runServerProcess } from './server-process';

/** The mail worker process: outbox relay, RabbitMQ consumer, sender, and /health on MAIL_WORKER_PORT. */
@Module({})
export class MailWorkerAppModule {
  static forRoot(appConfig: AppConfig, database: DatabaseEndpoint): DynamicModule {
    // The worker uses no Redis, so its readiness does not depend on it.
    const config: AppConfig = { ...appConfig, redis: undefined };
    const mail = MailModule.forWorker(config);
    return {
      module: MailWorkerAppModule,
      imports: [
        ConfigModule.forRoot(config),
        // The API applies the migrations; docker-compose starts the worker once the API is healthy.
        TypeOrmModule.forRoot({ ...dataSourceOptions(database, config.database), migrationsRun: false }),
        mail,
        HealthModule.forRoot([mail]),
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
  return NestFactory.create(MailWorkerAppModule.forRoot(config, database), new FastifyAdapter(), { logger });
}

if (require.main === module) {
  runServerProcess({
    create: createMailWorkerApp,
    port: (config) => config.mail.workerPort,
    started: (url) => `Mail worker running; health on ${url}/health/ready`,
    finishing: 'in-flight mail',
  });
}
