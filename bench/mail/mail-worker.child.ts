import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { createAppLogger } from '../../src/common/logging/winston-logger';
import { loadAppConfig } from '../../src/config';
import type { DatabaseEndpoint } from '../../src/database/embedded-postgres.launcher';
import { createMailWorkerApp } from '../../src/worker';

/** What the bench sends: start with this environment and database, then stop. */
export type WorkerCommand = { start: { env: Record<string, string>; database: DatabaseEndpoint } } | 'stop';
export type WorkerReport = { ready: true } | { stopped: true } | { error: string };

let app: INestApplication | undefined;

/** The mail worker as `npm run start:worker` builds it (relay, consumer, sender), in its own process. */
async function start(env: Record<string, string>, database: DatabaseEndpoint): Promise<void> {
  const config = loadAppConfig(env);
  app = await createMailWorkerApp(config, database, createAppLogger(config));
  await app.listen(0, '127.0.0.1');
}

const report = (message: WorkerReport) => process.send?.(message);

process.on('message', (command: WorkerCommand) => {
  const work =
    command === 'stop'
      ? (app?.close() ?? Promise.resolve()).then(() => report({ stopped: true }))
      : start(command.start.env, command.start.database).then(() => report({ ready: true }));
  work.catch((error: Error) => report({ error: error.stack ?? error.message }));
});
process.on('disconnect', () => process.exit(0));
