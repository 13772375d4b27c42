import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createAppLogger } from '../../src/common/logging/winston-logger';
import { loadAppConfig } from '../../src/config';
import type { DatabaseEndpoint } from '../../src/database/embedded-postgres.launcher';
import { createHttpApp } from '../../src/http-app';
import { serveAsChildServer } from '../support/child-server';
import { ProcessProfiler } from './process-profiler';
import { createFastifyHttpApp } from './fastify-http-app';

export type HttpAdapterName = 'express' | 'fastify';

export interface HttpAdapterSettings {
  adapter: HttpAdapterName;
  /** The API's whole environment (see `benchEnvironment`). */
  env: Record<string, string>;
  database: DatabaseEndpoint;
  /** Set: this process's CPU is profiled from listening to closing, written here (.cpuprofile). */
  profileFile?: string;
}

/** The API as `npm start` builds it, on the adapter the bench asks for. */
serveAsChildServer(async ({ adapter, env, database, profileFile }: HttpAdapterSettings) => {
  const config = loadAppConfig(env);
  const logger = createAppLogger(config);
  Logger.overrideLogger(logger);
  const options = { config, database, logger };
  const app = adapter === 'fastify' ? await createFastifyHttpApp(options) : await createHttpApp(options);
  await app.listen(0, '127.0.0.1');
  const profiler = profileFile === undefined ? undefined : await ProcessProfiler.start();
  return {
    url: (await app.getUrl()).replace('[::1]', '127.0.0.1'),
    close: async () => {
      if (profiler && profileFile) await profiler.stopInto(profileFile);
      await app.close();
    },
  };
});
