import type { DataSource, QueryRunner } from 'typeorm';
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
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    const [{ locked }] = (await lockRunner.query('SELECT pg_try_advisory_lock($1) AS locked', [
      MIGRATION_RUN_LOCK_KEY,
    ])) as { locked: boolean }[];
    if (!locked) {
      options.onWaitingForLock?.();
      await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_RUN_LOCK_KEY]);
    }
    try {
      return await migrateBehindSchemas(dataSource, lockRunner, migrator, options, startedAt);
    } finally {
      await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_RUN_LOCK_KEY]);
    }
  } finally {
    await lockRunner.release();
  }
}

async function migrateBehindSchemas(
  dataSource: DataSource,
  lockRunner: QueryRunner,
  migrator: TenantSchemaMigrator,
  options: TenantMigrationRunOptions,
  startedAt: number,
): Promise<TenantMigrationSummary> {
  const [{ count }] = (await lockRunner.query(
    `SELECT count(*) AS count FROM public.tenants WHERE ($1::text IS NULL OR slug = $1)`,
    [options.slug ?? null],
  )) as { count: string }[];
  const behind = (await lockRunner.query(
    `SELECT id, slug, schema_name AS "schemaName" FROM public.tenants
      WHERE schema_version < $1 AND ($2::text IS NULL OR slug = $2)
      ORDER BY created_at, id`,
    [migrator.latestVersion, options.slug ?? null],
  )) as TenantToMigrate[];
  const failures: TenantMigrationFailure[] = [];
  let done = 0;
  let next = 0;
  // The connection holding the lock migrates too, so a pool of one connection still makes progress.
  const worker = async (connection?: QueryRunner) => {
    while (next < behind.length) {
      const tenant = behind[next++];
      let applied: string[] = [];
      let error: string | undefined;
      try {
        applied = await runInTenantSchema(
          dataSource,
          tenant.schemaName,
          (manager) => migrator.migrate(manager, tenant.id),
          connection,
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
  const pooledWorkers = Math.max(0, Math.min(options.concurrency, behind.length, poolSize) - 1);
  await Promise.all([worker(lockRunner), ...Array.from({ length: pooledWorkers }, () => worker())]);
  return {
    total: behind.length,
    migrated: behind.length - failures.length,
    failures,
    skippedCurrent: Number(count) - behind.length,
    durationMs: Date.now() - startedAt,
  };
}
