import { Get, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from '../../src/common/access/access.decorators';
import { TenantController } from '../../src/tenancy/tenant-controller.decorator';
import type { CurrentTenant } from '../../src/tenancy/tenant-context';
import { TenantDatabase } from '../../src/tenancy/tenant-database';
import { connectionPool, getJson } from '../support/http-pool';
import { startTestApp, type TestApp } from '../support/test-app';
import { signUp } from '../support/accounts';
import { createTenant } from '../support/tenants';
import { fixtureNotes } from '../support/fixture-notes/fixture-notes';

/** Routes that reach tenant data the raw way, to show what a tenant transaction can and cannot see. */
@Public()
@TenantController('probe')
class TenantProbeController {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly dataSource: DataSource,
  ) {}

  @Get('raw')
  raw() {
    return this.tenantDatabase.transaction(async (manager) => ({
      names: (await manager.query<{ name: string }[]>('SELECT name FROM fixture_notes ORDER BY name')).map(
        (r) => r.name,
      ),
      searchPath: (
        await manager.query<{ path: string }[]>(`SELECT current_setting('search_path') AS path`)
      )[0].path,
      catalogueVisible: (
        await manager.query<{ found: boolean }[]>(`SELECT to_regclass('tenants') IS NOT NULL AS found`)
      )[0].found,
    }));
  }

  /** Writes, then fails mid-transaction with a database error. */
  @Post('fail')
  fail() {
    return this.tenantDatabase.transaction(async (manager) => {
      await manager.query(`INSERT INTO fixture_notes (name) VALUES ('written before the failure')`);
      await manager.query('SELECT * FROM table_that_does_not_exist');
    });
  }

  /** The session-level state of a pooled connection, outside any tenant transaction. */
  @Get('session')
  async session() {
    const [row] = await this.dataSource.query<{ path: string; tx: string }[]>(
      `SELECT current_setting('search_path') AS path, now()::text AS tx`,
    );
    return row;
  }
}

const NOT_FOUND_IN_PUBLIC = (names: string[], slug: string) =>
  names.every((name) => name.startsWith(`${slug}-`));

describe('tenant isolation', () => {
  describe('under load', () => {
    let testApp: TestApp;
    const tenants: (CurrentTenant & { accessToken: string })[] = [];

    beforeAll(async () => {
      testApp = await startTestApp({ env: { DB_POOL_SIZE: '4' }, ...fixtureNotes });
      for (let i = 0; i < 20; i++) {
        const account = await signUp(testApp.url);
        tenants.push({
          ...account.tenant,
          schemaName: '',
          status: 'active',
          accessToken: account.accessToken,
        });
      }
      for (const tenant of tenants) {
        for (let p = 1; p <= 3; p++) {
          const response = await fetch(`${testApp.url}/api/v1/fixture-notes`, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              'X-Tenant': tenant.slug,
              Authorization: `Bearer ${tenant.accessToken}`,
            },
            body: JSON.stringify({ name: `${tenant.slug}-p${p}` }),
          });
          expect(response.status).toBe(201);
        }
      }
    });
    afterAll(() => testApp.close());

    it('answers 2,000 concurrent requests across 20 tenants, each with only its own rows, on 4 connections', async () => {
      const requests = Array.from({ length: 2000 }, (_, i) => tenants[(i * 7) % tenants.length]);
      const pool = connectionPool();
      const responses = await Promise.all(
        requests.map(async (tenant) => ({
          tenant,
          ...(await getJson<{ items: { name: string }[]; total: number }>(
            pool,
            `${testApp.url}/api/v1/fixture-notes?limit=100`,
            { 'X-Tenant': tenant.slug, Authorization: `Bearer ${tenant.accessToken}` },
          )),
        })),
      ).finally(() => pool.destroy());
      const wrong = responses.filter(
        ({ tenant, status, body }) =>
          status !== 200 ||
          body.total !== 3 ||
          body.items.length !== 3 ||
          !NOT_FOUND_IN_PUBLIC(
            body.items.map((item) => item.name),
            tenant.slug,
          ),
      );
      expect(wrong).toEqual([]);
      const [{ connections }] = await testApp.app
        .get(DataSource)
        .query<{ connections: number }[]>(
          `SELECT count(*)::int AS connections FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'saas-api'`,
        );
      expect(connections).toBeLessThanOrEqual(4);
    });
  });

  describe('on a single pooled connection', () => {
    let testApp: TestApp;
    let acme: CurrentTenant;
    let globex: CurrentTenant;

    beforeAll(async () => {
      testApp = await startTestApp({
        env: { DB_POOL_SIZE: '1' },
        tenantMigrations: fixtureNotes.tenantMigrations,
        controllers: [TenantProbeController],
      });
      acme = await createTenant(testApp.app);
      globex = await createTenant(testApp.app);
      for (const [tenant, name] of [
        [acme, `${acme.slug}-alpha`],
        [globex, `${globex.slug}-beta`],
      ] as const) {
        await testApp.app
          .get(DataSource)
          .query(`INSERT INTO "${tenant.schemaName}".fixture_notes (name) VALUES ($1)`, [name]);
      }
    });
    afterAll(() => testApp.close());

    const get = async (tenant: CurrentTenant, path: string) => {
      const response = await fetch(`${testApp.url}/api/v1/probe/${path}`, {
        headers: { 'X-Tenant': tenant.slug },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    it('lets a raw unqualified query inside a tenant transaction see only that tenant', async () => {
      const { body } = await get(acme, 'raw');
      expect(body).toEqual({
        names: [`${acme.slug}-alpha`],
        searchPath: acme.schemaName,
        catalogueVisible: false,
      });
    });

    it('leaves the connection clean after a request that fails mid-transaction', async () => {
      const failed = await fetch(`${testApp.url}/api/v1/probe/fail`, {
        method: 'POST',
        headers: { 'X-Tenant': acme.slug },
      });
      expect(failed.status).toBe(500);

      // The pool has one connection, so the next requests run on the one that just failed.
      const session = await get(globex, 'session');
      expect(session.body.path).toBe('"$user", public');
      const next = await get(globex, 'raw');
      expect(next.body).toEqual({
        names: [`${globex.slug}-beta`],
        searchPath: globex.schemaName,
        catalogueVisible: false,
      });
      const acmeAfter = await get(acme, 'raw');
      expect(acmeAfter.body.names).toEqual([`${acme.slug}-alpha`]);
    });

    it('refuses tenant data access without a tenant', async () => {
      const tenantDatabase = testApp.app.get(TenantDatabase);
      await expect(tenantDatabase.transaction(() => Promise.resolve())).rejects.toThrow(
        'No tenant in the current context',
      );
    });
  });
});
