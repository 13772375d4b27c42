import type { INestApplication } from '@nestjs/common';
import { createAppLogger } from '../../src/common/logging/winston-logger';
import { loadAppConfig } from '../../src/config';
import { createMailWorkerApp } from '../../src/worker';
import { testDatabaseEnvironment, testDatabaseServer } from './test-database';

export interface TestWorker {
  app: INestApplication;
  /** Base URL of the worker's /health routes. */
  url: string;
  close(): Promise<void>;
}

/** The environment a worker on this test database needs, for in-process and child-process workers alike. */
export function workerEnvironment(databaseName: string, env: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    ...testDatabaseEnvironment(databaseName),
    MIGRATIONS_RUN: 'false',
    MAIL_WORKER_PORT: '0',
    ...env,
  };
}

/** The mail worker app (as `npm run start:worker` builds it) in this process, on a test app's database. */
export async function startTestWorker(
  databaseName: string,
  env: Record<string, string>,
): Promise<TestWorker> {
  const config = loadAppConfig(workerEnvironment(databaseName, env));
  const app = await createMailWorkerApp(
    config,
    { ...testDatabaseServer, database: databaseName },
    createAppLogger(config),
  );
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  let closed = false;
  return {
    app,
    url,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}
