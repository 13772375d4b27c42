import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';
import { toTenantMigrations, loadTenantMigrations } from '../../src/tenancy/migrations/tenant-migration';
import { TenantSchemaMigrator } from '../../src/tenancy/migrations/tenant-schema-migrator';
import { TenantCatalogue } from '../../src/tenancy/tenant-catalogue';
import { TenantLifecycleService } from '../../src/tenancy/tenant-lifecycle.service';
import { TenantProvisioningService } from '../../src/tenancy/tenant-provisioning.service';
import { schemaNameFor } from '../../src/tenancy/tenant.entity';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTenant, uniqueSlug } from '../support/tenants';

class BrokenMigration1999999999999 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE half_done (id int)');
    throw new Error('migration exploded halfway');
  }
  async down(): Promise<void> {}
}

describe('tenant provisioning and lifecycle', () => {
  let testApp: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    testApp = await startTestApp();
    dataSource = testApp.app.get(DataSource);
  });
  afterAll(() => testApp.close());

  const schemaExists = async (schemaName: string) =>
    (
      await dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1`,
        [schemaName],
      )
    )[0].n === 1;
  const catalogueRow = async (slug: string) =>
    (await dataSource.query<{ id: string }[]>(`SELECT id FROM public.tenants WHERE slug = $1`, [slug]))[0];
  const tenantSchemaCount = async () =>
    (
      await dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'`,
      )
    )[0].n;

  it('creates the catalogue row, the schema and every tenant migration together', async () => {
    const tenant = await createTenant(testApp.app);
    expect(tenant.schemaName).toBe(schemaNameFor(tenant.id));
    expect(await schemaExists(tenant.schemaName)).toBe(true);
    const applied = await dataSource.query<{ name: string }[]>(
      `SELECT name FROM "${tenant.schemaName}".schema_migrations ORDER BY version`,
    );
    expect(applied.map((row) => row.name)).toEqual(loadTenantMigrations().map((m) => m.name));
    const [{ schema_version }] = await dataSource.query<{ schema_version: string }[]>(
      `SELECT schema_version FROM public.tenants WHERE id = $1`,
      [tenant.id],
    );
    expect(Number(schema_version)).toBe(loadTenantMigrations().at(-1)?.version);
  });

  it('leaves no trace when a tenant migration throws, and succeeds on a retry', async () => {
    const slug = uniqueSlug();
    const schemasBefore = await tenantSchemaCount();
    const broken = new TenantProvisioningService(
      dataSource,
      testApp.app.get(TenantCatalogue),
      new TenantSchemaMigrator(
        toTenantMigrations([
          ...loadTenantMigrations().map((m) => m.migration.constructor as new () => MigrationInterface),
          BrokenMigration1999999999999,
        ]),
      ),
      testApp.config,
    );
    await expect(broken.provision({ slug, name: 'Broken' })).rejects.toThrow('migration exploded halfway');
    expect(await catalogueRow(slug)).toBeUndefined();
    expect(await tenantSchemaCount()).toBe(schemasBefore);

    const tenant = await testApp.app.get(TenantProvisioningService).provision({ slug, name: 'Fixed' });
    expect(await catalogueRow(slug)).toEqual({ id: tenant.tenant.id });
    expect(await schemaExists(tenant.tenant.schemaName)).toBe(true);
  });

  it('rolls back the tenant when the caller work inside the provisioning transaction fails', async () => {
    const slug = uniqueSlug();
    const schemasBefore = await tenantSchemaCount();
    await expect(
      testApp.app.get(TenantProvisioningService).provision({ slug, name: 'Owner fails' }, async (manager) => {
        await manager.query(`CREATE TABLE caller_rows (name text)`);
        await manager.query(`INSERT INTO caller_rows (name) VALUES ('first')`);
        throw new Error('owner insert failed');
      }),
    ).rejects.toThrow('owner insert failed');
    expect(await catalogueRow(slug)).toBeUndefined();
    expect(await tenantSchemaCount()).toBe(schemasBefore);
  });

  it('refuses a taken slug with SLUG_TAKEN, also when two provisionings race', async () => {
    const slug = uniqueSlug();
    const provisioning = testApp.app.get(TenantProvisioningService);
    const outcomes = await Promise.allSettled([
      provisioning.provision({ slug, name: 'First' }),
      provisioning.provision({ slug, name: 'Second' }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ code: 'SLUG_TAKEN' });
    await expect(provisioning.provision({ slug, name: 'Third' })).rejects.toMatchObject({
      code: 'SLUG_TAKEN',
    });
  });

  it('refuses malformed and reserved slugs before touching the database', async () => {
    const provisioning = testApp.app.get(TenantProvisioningService);
    for (const slug of ['admin', 'Bad Slug', 'ab', 'trailing-']) {
      await expect(provisioning.provision({ slug, name: 'x' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('deletes a tenant only with the slug repeated, dropping its schema and freeing its slug', async () => {
    const tenant = await createTenant(testApp.app);
    const lifecycle = testApp.app.get(TenantLifecycleService);
    await expect(lifecycle.delete(tenant.slug, 'yes')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await schemaExists(tenant.schemaName)).toBe(true);

    await lifecycle.delete(tenant.slug, tenant.slug);
    expect(await schemaExists(tenant.schemaName)).toBe(false);
    expect(await catalogueRow(tenant.slug)).toBeUndefined();
    await expect(lifecycle.delete(tenant.slug, tenant.slug)).rejects.toMatchObject({
      code: 'TENANT_NOT_FOUND',
    });

    const again = await createTenant(testApp.app, tenant.slug);
    expect(again.id).not.toBe(tenant.id);
  });

  it('suspends and resumes, and refuses unknown tenants', async () => {
    const tenant = await createTenant(testApp.app);
    const lifecycle = testApp.app.get(TenantLifecycleService);
    expect((await lifecycle.suspend(tenant.slug)).status).toBe('suspended');
    expect((await lifecycle.resume(tenant.slug)).status).toBe('active');
    await expect(lifecycle.suspend('nobody-here')).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
  });
});

describe('tenant provisioning with DEFAULT_PLAN set', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ env: { DEFAULT_PLAN: 'pro' } });
  });
  afterAll(() => testApp.close());

  it('puts a tenant created without a plan on DEFAULT_PLAN', async () => {
    const tenant = await createTenant(testApp.app);

    expect(tenant.plan).toBe('pro');
    const [row] = await testApp.app
      .get(DataSource)
      .query<{ plan: string }[]>(`SELECT plan FROM public.tenants WHERE id = $1`, [tenant.id]);
    expect(row.plan).toBe('pro');
  });
});
