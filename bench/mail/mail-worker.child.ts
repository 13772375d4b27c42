import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { createAppLogger } from '../../src/common/logging/winston-logger';
import { loadAppConfig } from '../../src/config';
import type { DatabaseEndpoint } from '../../src/database/embedded-postgres.launcher';
import { createMailWorkerApp } from '../../src/worker';
import { serveParent } from '../support/bench-child';

/** What the bench sends: start with this environment and database, then stop. */
export type WorkerCommand = { start: { env: Record<string, string>; database: DatabaseEndpoint } } | 'stop';

let app: INestApplication | undefined;

/** The mail worker as `npm run start:worker` builds it (relay, consumer, sender), in its own process. */
async function start(env: Record<string, string>, database: DatabaseEndpoint): Promise<void> {
  const config = loadAppConfig(env);
  app = await createMailWorkerApp(config, database, createAppLogger(config));
  await app.listen(0, '127.0.0.1');
}

serveParent(async (command: WorkerCommand) => {
  if (command === 'stop') await app?.close();
  else await start(command.start.env, command.start.database);
  return true;
});
