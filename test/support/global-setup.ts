import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../src/config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import {
  TEMPLATE_DATABASE,
  TEST_DATABASE_PREFIX,
  testDatabaseServer,
  withAdminClient,
} from './test-database';

/** Drops databases left by an interrupted run, then builds the migrated template the test files clone. */
export default async function globalSetup(): Promise<void> {
  await withAdminClient(async (client) => {
    const leftovers = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${TEST_DATABASE_PREFIX}%`],
    );
    for (const { datname } of leftovers.rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  });
  const config = loadAppConfig({ DB_HOST: testDatabaseServer.host, DB_NAME: TEMPLATE_DATABASE });
  const dataSource = new DataSource(
    dataSourceOptions({ ...testDatabaseServer, database: TEMPLATE_DATABASE }, config.database),
  );
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
