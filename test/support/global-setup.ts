import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../src/config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { keepCopiesOfQueuedMail } from './queued-mail-copy';
import {
  runPidOf,
  templateDatabase,
  TEST_DATABASE_PREFIX,
  testDatabaseServer,
  withAdminClient,
} from './test-database';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Drops databases left by ended runs, then builds the migrated template this run's files clone. */
export default async function globalSetup(): Promise<void> {
  process.env.TEST_RUN_PID = String(process.pid);
  const template = templateDatabase();
  await withAdminClient(async (client) => {
    const existing = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${TEST_DATABASE_PREFIX}%`],
    );
    for (const { datname } of existing.rows) {
      const pid = runPidOf(datname);
      if (pid === undefined || pid === process.pid || !isRunning(pid)) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
    await client.query(`CREATE DATABASE "${template}"`);
  });
  const config = loadAppConfig({ DB_HOST: testDatabaseServer.host, DB_NAME: template });
  const dataSource = new DataSource(
    dataSourceOptions({ ...testDatabaseServer, database: template }, config.database),
  );
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    await keepCopiesOfQueuedMail(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
