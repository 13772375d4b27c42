import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { MigrationInterface } from 'typeorm';

/** A TypeORM migration class for tenant schemas, ordered by the timestamp its class name ends with. */
export interface TenantMigration {
  version: number;
  name: string;
  migration: MigrationInterface;
}

type MigrationClass = new () => MigrationInterface;

/** `tenants/` at the repository root, as .ts from source, .js when built. */
export const TENANT_MIGRATIONS_DIR = path.join(__dirname, '..', '..', '..', 'tenants');

export function toTenantMigrations(classes: MigrationClass[]): TenantMigration[] {
  const migrations = classes.map((migrationClass) => {
    const match = /(\d{13})$/.exec(migrationClass.name);
    if (!match) throw new Error(`Tenant migration ${migrationClass.name} must end with a 13-digit timestamp`);
    return { version: Number(match[1]), name: migrationClass.name, migration: new migrationClass() };
  });
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version === migrations[i - 1].version) {
      throw new Error(
        `Tenant migrations ${migrations[i - 1].name} and ${migrations[i].name} share a timestamp`,
      );
    }
  }
  return migrations;
}

function isMigrationClass(value: unknown): value is MigrationClass {
  return (
    typeof value === 'function' && typeof (value.prototype as Partial<MigrationInterface>)?.up === 'function'
  );
}

/** Every migration class exported by the files of `tenants/`, in order. */
export function loadTenantMigrations(directory = TENANT_MIGRATIONS_DIR): TenantMigration[] {
  const extension = path.extname(__filename);
  const files = readdirSync(directory).filter((file) => file.endsWith(extension) && !file.endsWith('.d.ts'));
  const classes = files.flatMap((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(path.join(directory, file)) as Record<string, unknown>;
    return Object.values(exported).filter(isMigrationClass);
  });
  return toTenantMigrations(classes);
}
