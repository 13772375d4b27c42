import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createAppLogger } from '../../src/common/logging/winston-logger';
import { loadAppConfig } from '../../src/config';
import type { DatabaseEndpoint } from '../../src/database/embedded-postgres.launcher';
import { createHttpApp } from '../../src/http-app';
import { serveAsChildServer } from './child-server';

export interface ApiSettings {
  /** The API's whole environment (see `benchEnvironment`). */
  env: Record<string, string>;
  database: DatabaseEndpoint;
}

/** The API as `npm start` builds it (configuration from the environment, winston, createHttpApp). */
serveAsChildServer(async ({ env, database }: ApiSettings) => {
  const config = loadAppConfig(env);
  const logger = createAppLogger(config);
  Logger.overrideLogger(logger);
  const app = await createHttpApp({ config, database, logger });
  await app.listen(0, '127.0.0.1');
  return { url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), close: () => app.close() };
});
