import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createAppLogger } from './common/logging/winston-logger';
import { shutDownGracefully } from './common/http/graceful-shutdown';
import { ConfigValidationError, loadAppConfig } from './config';
import { resolveDatabase } from './database/database-endpoint';
import { createHttpApp } from './http-app';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  const appLogger = createAppLogger(config);
  Logger.overrideLogger(appLogger);
  const logger = new Logger('Bootstrap');

  const database = await resolveDatabase(config.database);
  let stopping = false;
  const stopDatabaseAndExit = async (code: number) => {
    await database
      .stop()
      .catch((error: Error) => logger.error(`Stopping PostgreSQL failed: ${error.message}`));
    process.exit(code);
  };

  let app;
  try {
    app = await createHttpApp({ config, database: database.endpoint, logger: appLogger });
    await app.listen(config.http.port, config.http.host);
  } catch (error) {
    logger.error(`Start-up failed: ${(error as Error).message}`, (error as Error).stack);
    return stopDatabaseAndExit(1);
  }
  const server = app;
  logger.log(`API listening on ${await server.getUrl()} (docs at /docs)`);

  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.log(`${signal} received: finishing in-flight requests`);
      shutDownGracefully(server, config.http.shutdownTimeoutMs)
        .then(() => stopDatabaseAndExit(0))
        .catch(async (error: Error) => {
          logger.error(`Shutdown failed: ${error.message}`, error.stack);
          await stopDatabaseAndExit(1);
        });
    });
  }
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
