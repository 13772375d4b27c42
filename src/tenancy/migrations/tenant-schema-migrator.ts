import type { EntityManager } from 'typeorm';
import type { TenantMigration } from './tenant-migration';

export const TENANT_MIGRATIONS_TABLE = 'schema_migrations';

/**
 * Brings one tenant schema up to date inside the caller's tenant transaction (search_path pinned to
 * that schema). The schema records what it has applied in its own `schema_migrations` table; the
 * newest version is mirrored to `public.tenants.schema_version` in the same transaction, so one query
 * over the catalogue tells which schemas are behind.
 */
export class TenantSchemaMigrator {
  readonly latestVersion: number;

  constructor(readonly migrations: TenantMigration[]) {
    this.latestVersion = migrations.at(-1)?.version ?? 0;
  }

  /** Applies the pending migrations; returns the names of those applied. */
  async migrate(manager: EntityManager, tenantId: string): Promise<string[]> {
    const queryRunner = manager.queryRunner;
    if (!queryRunner) throw new Error('TenantSchemaMigrator needs a transaction-bound EntityManager');
    await manager.query(
      `CREATE TABLE IF NOT EXISTS ${TENANT_MIGRATIONS_TABLE} (
         version bigint PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const rows = await manager.query<{ version: string }[]>(`SELECT version FROM ${TENANT_MIGRATIONS_TABLE}`);
    const applied = new Set(rows.map((row) => Number(row.version)));
    const pending = this.migrations.filter((migration) => !applied.has(migration.version));
    for (const { version, name, migration } of pending) {
      await migration.up(queryRunner);
      await manager.query(`INSERT INTO ${TENANT_MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [
        version,
        name,
      ]);
    }
    await manager.query(
      `UPDATE public.tenants SET schema_version = $2 WHERE id = $1 AND schema_version IS DISTINCT FROM $2`,
      [tenantId, Math.max(this.latestVersion, ...applied)],
    );
    return pending.map((migration) => migration.name);
  }
}
