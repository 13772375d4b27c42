import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import type { AppConfig } from '../../config';
import { SHARED_MIGRATIONS_DIR, dataSourceOptions } from '../../database/data-source-options';
import { resolveDatabase } from '../../database/database-endpoint';
import { TENANT_MIGRATIONS_DIR, loadTenantMigrations } from '../migrations/tenant-migration';
import { TenantSchemaMigrator } from '../migrations/tenant-schema-migrator';
import { runInTenantSchema } from '../tenant-transaction';
import type { ProgressOutput } from './progress-reporter';

/** A schema name no tenant can have (tenant ids are v4 UUIDs), used to diff tenant entities. */
const SCRATCH_SCHEMA = `tenant_${'0'.repeat(32)}`;
const NIL_TENANT_ID = '00000000-0000-0000-0000-000000000000';
const SOURCE_ROOT = path.join(__dirname, '..', '..');

export const MIGRATION_FILES_USAGE = `Usage:
  npm run migration:create -- <Name> [--tenant]     an empty migration
  npm run migration:generate -- <Name> [--tenant]   the SQL that brings the schema in line with the entities
--tenant writes to tenants/ (applied to every tenant schema), otherwise to migrations/ (shared schema).
`;

export interface MigrationSql {
  up: string[];
  down: string[];
}

function migrationSource(className: string, sql: MigrationSql): string {
  const statements = (queries: string[]) =>
    queries.map((query) => `    await queryRunner.query(${JSON.stringify(query)});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
${statements(sql.up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${statements(sql.down)}
  }
}
`;
}

async function findEntityFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) return findEntityFiles(full);
      return Promise.resolve(entry.name.endsWith(`.entity${path.extname(__filename)}`) ? [full] : []);
    }),
  );
  return nested.flat();
}

type EntityClass = new () => object;

/** Every entity class of the app, split into shared-schema (`schema: 'public'`) and tenant-schema ones. */
async function loadEntities(): Promise<{ shared: EntityClass[]; tenant: EntityClass[] }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const file of await findEntityFiles(SOURCE_ROOT)) require(file);
  const tables = getMetadataArgsStorage().tables.filter((table) => typeof table.target === 'function');
  return {
    shared: tables.filter((table) => table.schema === 'public').map((table) => table.target as EntityClass),
    tenant: tables.filter((table) => table.schema === undefined).map((table) => table.target as EntityClass),
  };
}

/** The SQL that would bring the shared schema, or a tenant schema, in line with the entities. */
export async function generateMigrationSql(config: AppConfig, tenant: boolean): Promise<MigrationSql> {
  const database = await resolveDatabase(config.database);
  const entities = await loadEntities();
  const base = dataSourceOptions(database.endpoint, config.database);
  const migrated = new DataSource({ ...base, entities: entities.shared });
  await migrated.initialize();
  try {
    await migrated.runMigrations({ transaction: 'each' });
    if (!tenant) {
      const sql = await migrated.driver.createSchemaBuilder().log();
      return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.reverse().map((q) => q.query) };
    }
    await migrated.query(`DROP SCHEMA IF EXISTS "${SCRATCH_SCHEMA}" CASCADE`);
    await migrated.query(`CREATE SCHEMA "${SCRATCH_SCHEMA}"`);
    try {
      const migrator = new TenantSchemaMigrator(loadTenantMigrations());
      await runInTenantSchema(migrated, SCRATCH_SCHEMA, (manager) =>
        migrator.migrate(manager, NIL_TENANT_ID),
      );
      const scratch = new DataSource({
        ...base,
        schema: SCRATCH_SCHEMA,
        entities: entities.tenant,
        migrations: [],
      });
      await scratch.initialize();
      try {
        const sql = await scratch.driver.createSchemaBuilder().log();
        const unqualify = (query: string) => query.split(`"${SCRATCH_SCHEMA}".`).join('');
        return {
          up: sql.upQueries.map((q) => unqualify(q.query)),
          down: sql.downQueries.reverse().map((q) => unqualify(q.query)),
        };
      } finally {
        await scratch.destroy();
      }
    } finally {
      await migrated.query(`DROP SCHEMA IF EXISTS "${SCRATCH_SCHEMA}" CASCADE`);
    }
  } finally {
    await migrated.destroy();
    await database.stop();
  }
}

/** `npm run migration:create|generate -- <Name> [--tenant]`; returns the exit code. */
export async function runMigrationFilesCommand(
  verb: 'create' | 'generate',
  argv: string[],
  config: AppConfig,
  output: ProgressOutput,
  now = Date.now(),
): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { tenant: { type: 'boolean', default: false } },
  });
  const name = positionals[0];
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    output.write(`A PascalCase migration name is needed, e.g. AddInvoices\n\n${MIGRATION_FILES_USAGE}`);
    return 2;
  }
  const sql = verb === 'create' ? { up: [], down: [] } : await generateMigrationSql(config, values.tenant);
  if (verb === 'generate' && sql.up.length === 0) {
    output.write('No changes: the schema already matches the entities\n');
    return 0;
  }
  const directory = values.tenant ? TENANT_MIGRATIONS_DIR : SHARED_MIGRATIONS_DIR;
  // Always written as TypeScript beside the other sources, even when run from a build.
  const sourceDirectory = directory.replace(`${path.sep}dist${path.sep}`, path.sep);
  await mkdir(sourceDirectory, { recursive: true });
  const file = path.join(sourceDirectory, `${now}-${name}.ts`);
  await writeFile(file, migrationSource(`${name}${now}`, sql), { flag: 'wx' });
  output.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
  return 0;
}
