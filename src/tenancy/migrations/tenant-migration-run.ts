import { Client, type ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { runInTenantSchema } from '../tenant-transaction';
import type { TenantSchemaMigrator } from './tenant-schema-migrator';

/** Key of the session advisory lock that keeps two migration runs from overlapping. */
export const MIGRATION_RUN_LOCK_KEY = 7_316_001;

export interface TenantToMigrate {
  id: string;
  slug: string;
  schemaName: string;
}

export interface TenantMigrationFailure {
  slug: string;
  error: string;
}

export interface TenantMigrationProgress {
  done: number;
  total: number;
  failed: number;
  slug: string;
  applied: string[];
  error?: string;
}

export interface TenantMigrationSummary {
  total: number;
  migrated: number;
  failures: TenantMigrationFailure[];
  skippedCurrent: number;
  durationMs: number;
}

export interface TenantMigrationRunOptions {
  concurrency: number;
  /** Only this tenant. */
  slug?: string;
  onProgress?: (progress: TenantMigrationProgress) => void;
  /** Called when another run holds the lock and this one starts waiting. */
  onWaitingForLock?: () => void;
}

/**
 * Migrates every tenant schema that is behind, `concurrency` at a time, each in its own transaction:
 * one tenant failing does not stop the rest, and a rerun picks up only what is still behind. Which
 * schemas are behind comes from one catalogue query, so a run with nothing pending costs next to nothing.
 */
export async function migrateTenantSchemas(
  dataSource: DataSource,
  migrator: TenantSchemaMigrator,
  options: TenantMigrationRunOptions,
): Promise<TenantMigrationSummary> {
  const startedAt = Date.now();
  const lock = await acquireRunLock(dataSource, options.onWaitingForLock);
  try {
    return await migrateBehindSchemas(dataSource, migrator, options, startedAt);
  } finally {
    await lock.release();
  }
}

/**
 * The run's session advisory lock lives on a connection of its own, outside the pool, so a pool of
 * one connection still migrates, and the lock cannot leak into a pooled connection.
 */
async function acquireRunLock(
  dataSource: DataSource,
  onWaiting?: () => void,
): Promise<{ release(): Promise<void> }> {
  const options = dataSource.options as PostgresConnectionOptions;
  const client = new Client({
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
    ssl: options.ssl as ClientConfig['ssl'],
    application_name: 'saas-migration-lock',
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      MIGRATION_RUN_LOCK_KEY,
    ]);
    if (!rows[0].locked) {
      onWaiting?.();
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_RUN_LOCK_KEY]);
    }
  } catch (error) {
    await client.end();
    throw error;
  }
  // Closing the session releases the lock, also when the unlock itself fails.
  return { release: () => client.end() };
}

async function migrateBehindSchemas(
  dataSource: DataSource,
  migrator: TenantSchemaMigrator,
  options: TenantMigrationRunOptions,
  startedAt: number,
): Promise<TenantMigrationSummary> {
  const [{ count }] = await dataSource.query<{ count: string }[]>(
    `SELECT count(*) AS count FROM public.tenants WHERE ($1::text IS NULL OR slug = $1)`,
    [options.slug ?? null],
  );
  const behind = await dataSource.query<TenantToMigrate[]>(
    `SELECT id, slug, schema_name AS "schemaName" FROM public.tenants
      WHERE schema_version < $1 AND ($2::text IS NULL OR slug = $2)
      ORDER BY created_at, id`,
    [migrator.latestVersion, options.slug ?? null],
  );
  const failures: TenantMigrationFailure[] = [];
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < behind.length) {
      const tenant = behind[next++];
      let applied: string[] = [];
      let error: string | undefined;
      try {
        applied = await runInTenantSchema(dataSource, tenant.schemaName, (manager) =>
          migrator.migrate(manager, tenant.id),
        );
      } catch (caught) {
        error = (caught as Error).message;
        failures.push({ slug: tenant.slug, error });
      }
      done++;
      options.onProgress?.({
        done,
        total: behind.length,
        failed: failures.length,
        slug: tenant.slug,
        applied,
        error,
      });
    }
  };
  const poolSize = dataSource.driver.options.poolSize ?? 10;
  const workers = Math.max(1, Math.min(options.concurrency, behind.length, poolSize));
  await Promise.all(Array.from({ length: workers }, () => worker()));
  return {
    total: behind.length,
    migrated: behind.length - failures.length,
    failures,
    skippedCurrent: Number(count) - behind.length,
    durationMs: Date.now() - startedAt,
  };
}
