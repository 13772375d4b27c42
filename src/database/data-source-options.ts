import path from 'node:path';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { DatabaseConfig } from '../config';
import type { DatabaseEndpoint } from './embedded-postgres.launcher';

export const SHARED_MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'migrations');

/** Shared-schema migrations: `migrations/` at the repository root, as .ts from source, .js when built. */
export const SHARED_MIGRATIONS_GLOB = path.join(SHARED_MIGRATIONS_DIR, `*${path.extname(__filename)}`);

/** One pool for the whole app, whatever the number of tenants. */
export function dataSourceOptions(
  endpoint: DatabaseEndpoint,
  config: DatabaseConfig,
): PostgresConnectionOptions {
  return {
    type: 'postgres',
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.user,
    password: endpoint.password,
    database: endpoint.database,
    ssl: config.ssl ? { rejectUnauthorized: true } : false,
    applicationName: 'saas-api',
    poolSize: config.poolSize,
    extra: {
      // Recycling connections keeps each backend's relation cache from growing without bound
      // when thousands of tenant schemas are touched over its life.
      maxLifetimeSeconds: config.poolMaxLifetimeSeconds,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
    },
    migrations: [SHARED_MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
  };
}
