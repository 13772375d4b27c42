import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';
import { Client } from 'pg';
import { runMigrationCommand } from '../../src/tenancy/cli/migration-run.command';
import { MIGRATION_RUN_LOCK_KEY } from '../../src/tenancy/migrations/tenant-migration-run';
import { loadTenantMigrations, toTenantMigrations } from '../../src/tenancy/migrations/tenant-migration';
import { TenantSchemaMigrator } from '../../src/tenancy/migrations/tenant-schema-migrator';
import type { CurrentTenant } from '../../src/tenancy/tenant-context';
import { startTestApp, type TestApp } from '../support/test-app';
import { testDatabaseServer } from '../support/test-database';
import { createTenant } from '../support/tenants';

class AddWidgets1999999999998 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE widgets (id serial PRIMARY KEY, label text NOT NULL)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE widgets');
  }
}

const baseMigrationClasses = () =>
  loadTenantMigrations().map((m) => m.migration.constructor as new () => MigrationInterface);

function captureOutput() {
  const lines: string[] = [];
  return { output: { write: (text: string) => lines.push(text), isTTY: false }, text: () => lines.join('') };
}

describe('migration:run over many tenants', () => {
  let testApp: TestApp;
  let dataSource: DataSource;
  const tenants: CurrentTenant[] = [];
  let broken: CurrentTenant;
  const migratorWithWidgets = new TenantSchemaMigrator(
    toTenantMigrations([...baseMigrationClasses(), AddWidgets1999999999998]),
  );

  beforeAll(async () => {
    testApp = await startTestApp({ env: { DB_POOL_SIZE: '6' } });
    dataSource = testApp.app.get(DataSource);
    for (let batch = 0; batch < 50; batch++) {
      tenants.push(...(await Promise.all(Array.from({ length: 4 }, () => createTenant(testApp.app)))));
    }
    broken = tenants[123];
    // A table in the way makes the new migration fail for this tenant only.
    await dataSource.query(`CREATE TABLE "${broken.schemaName}".widgets (id int)`);
  }, 120_000);
  afterAll(() => testApp.close());

  const widgetTables = async () =>
    (
      await dataSource.query<{ schema: string }[]>(
        `SELECT table_schema AS schema FROM information_schema.columns WHERE table_name = 'widgets' AND column_name = 'label'`,
      )
    ).map((row) => row.schema);

  it('migrates the 199 healthy tenants, names the failed one and exits non-zero', async () => {
    const { output, text } = captureOutput();
    const exitCode = await runMigrationCommand(dataSource, migratorWithWidgets, { concurrency: 4 }, output);
    expect(exitCode).toBe(1);
    expect(text()).toContain('Tenant schemas: 199 migrated, 1 failed, 0 already current');
    expect(text()).toContain(`failed: ${broken.slug}: relation "widgets" already exists`);
    const migrated = await widgetTables();
    expect(migrated).toHaveLength(199);
    expect(migrated).not.toContain(broken.schemaName);
  });

  it('after the fix, a rerun migrates only the tenant that failed', async () => {
    await dataSource.query(`DROP TABLE "${broken.schemaName}".widgets`);
    const { output, text } = captureOutput();
    const exitCode = await runMigrationCommand(dataSource, migratorWithWidgets, { concurrency: 4 }, output);
    expect(exitCode).toBe(0);
    expect(text()).toContain('Tenant schemas: 1 migrated, 0 failed, 199 already current');
    expect(text()).toContain(`[1/1] ${broken.slug}: applied AddWidgets1999999999998`);
    expect(await widgetTables()).toHaveLength(200);
  });

  it('does nothing, quickly, when every schema is current', async () => {
    const { output, text } = captureOutput();
    const startedAt = Date.now();
    expect(await runMigrationCommand(dataSource, migratorWithWidgets, { concurrency: 4 }, output)).toBe(0);
    expect(text()).toContain('Tenant schemas: 0 migrated, 0 failed, 200 already current');
    expect(Date.now() - startedAt).toBeLessThan(5000);
  });

  it('migrates one tenant with --tenant', async () => {
    class AddGadgets1999999999999 implements MigrationInterface {
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query('CREATE TABLE gadgets (id int)');
      }
      async down(): Promise<void> {}
    }
    const migrator = new TenantSchemaMigrator(
      toTenantMigrations([...baseMigrationClasses(), AddWidgets1999999999998, AddGadgets1999999999999]),
    );
    const { output, text } = captureOutput();
    expect(
      await runMigrationCommand(dataSource, migrator, { concurrency: 2, tenant: tenants[0].slug }, output),
    ).toBe(0);
    expect(text()).toContain(`[1/1] ${tenants[0].slug}: applied AddGadgets1999999999999`);
    expect(text()).toContain('Tenant schemas: 1 migrated, 0 failed, 0 already current');
  });

  it('waits while another run holds the advisory lock', async () => {
    const holder = new Client({ ...testDatabaseServer, database: testApp.databaseName });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_RUN_LOCK_KEY]);
      const { output, text } = captureOutput();
      let finished = false;
      const run = runMigrationCommand(dataSource, migratorWithWidgets, { concurrency: 2 }, output).then(
        (code) => {
          finished = true;
          return code;
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(finished).toBe(false);
      expect(text()).toContain('Another migration run holds the lock; waiting for it');
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_RUN_LOCK_KEY]);
      expect(await run).toBe(0);
    } finally {
      await holder.end();
    }
  });
});

describe('migration:run on a pool of one connection', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ env: { DB_POOL_SIZE: '1' } });
  });
  afterAll(() => testApp.close());

  it('keeps migrating the tenants after one that failed', async () => {
    const dataSource = testApp.app.get(DataSource);
    const tenants: CurrentTenant[] = [];
    for (let i = 0; i < 5; i++) tenants.push(await createTenant(testApp.app));
    await dataSource.query(`CREATE TABLE "${tenants[1].schemaName}".widgets (id int)`);
    const migrator = new TenantSchemaMigrator(
      toTenantMigrations([...baseMigrationClasses(), AddWidgets1999999999998]),
    );
    const { output, text } = captureOutput();
    expect(await runMigrationCommand(dataSource, migrator, { concurrency: 4 }, output)).toBe(1);
    expect(text()).toContain('Tenant schemas: 4 migrated, 1 failed, 0 already current');
  });
});
