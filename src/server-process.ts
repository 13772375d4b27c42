import type { INestApplication, LoggerService } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { shutDownGracefully } from './common/http/graceful-shutdown';
import { createAppLogger } from './common/logging/winston-logger';
import { type AppConfig, ConfigValidationError, loadAppConfig } from './config';
import { resolveDatabase } from './database/database-endpoint';
import { EmbeddedPostgresError } from './database/embedded-postgres.error';
import type { DatabaseEndpoint } from './database/embedded-postgres.launcher';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface ServerProcessSpec {
  /** Builds the app (not yet listening). */
  create(config: AppConfig, database: DatabaseEndpoint, logger: LoggerService): Promise<INestApplication>;
  port(config: AppConfig): number;
  /** The start-up line, given the listening URL. */
  started(url: string): string;
  /** What finishing means for this process, for the shutdown line. */
  finishing: string;
}

/**
 * Runs a long-lived process (the API, the mail worker): validated configuration, winston, the
 * configured or embedded PostgreSQL, then on SIGINT/SIGTERM a graceful shutdown that closes the app
 * before the embedded PostgreSQL it may have started.
 */
export function runServerProcess(spec: ServerProcessSpec): void {
  bootstrap(spec).catch((error: unknown) => {
    process.stderr.write(
      error instanceof ConfigValidationError || error instanceof EmbeddedPostgresError
        ? `${error.message}\n`
        : `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}

async function bootstrap(spec: ServerProcessSpec): Promise<void> {
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
    app = await spec.create(config, database.endpoint, appLogger);
    await app.listen(spec.port(config), config.http.host);
  } catch (error) {
    logger.error(`Start-up failed: ${(error as Error).message}`, (error as Error).stack);
    return exit(1);
  }
  logger.log(spec.started(await app.getUrl()));

  let stopping = false;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.log(`${signal} received: finishing ${spec.finishing}`);
      shutDownGracefully(app, config.http.shutdownTimeoutMs)
        .then(() => exit(0))
        .catch(async (error: Error) => {
          logger.error(`Shutdown failed: ${error.message}`, error.stack);
          await exit(1);
        });
    });
  }
}
