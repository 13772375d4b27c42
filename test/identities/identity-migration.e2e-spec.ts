import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { DataSource, type MigrationInterface } from 'typeorm';
import { CreateIdentities1796170000000 } from '../../migrations/1796170000000-CreateIdentities';
import { MembershipsOfIdentities1796170000100 } from '../../tenants/1796170000100-MembershipsOfIdentities';
import { hashSecretToken } from '../../src/common/access/secret-token';
import { loadAppConfig } from '../../src/config';
import { dataSourceOptions, SHARED_MIGRATIONS_DIR } from '../../src/database/data-source-options';
import { runMigrationCommand } from '../../src/tenancy/cli/migration-run.command';
import { loadTenantMigrations } from '../../src/tenancy/migrations/tenant-migration';
import { TenantSchemaMigrator } from '../../src/tenancy/migrations/tenant-schema-migrator';
import { runInTenantSchema } from '../../src/tenancy/tenant-transaction';
import { schemaNameFor } from '../../src/tenancy/tenant.entity';
import { tenantClient } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';
import { testDatabaseName, testDatabaseServer, withAdminClient } from '../support/test-database';
import { uniqueSlug } from '../support/tenants';

type MigrationClass = new () => MigrationInterface;

const versionOf = (migration: MigrationClass) => Number(/(\d{13})$/.exec(migration.name)?.[1]);

/** The shared migrations that came before identities, as the database of an older release ran them. */
function sharedMigrationsBeforeIdentities(): MigrationClass[] {
  return readdirSync(SHARED_MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(path.join(SHARED_MIGRATIONS_DIR, file)) as Record<string, MigrationClass>;
      return Object.values(exported);
    })
    .filter((migration) => versionOf(migration) < versionOf(CreateIdentities1796170000000));
}

const oldTenantMigrator = () =>
  new TenantSchemaMigrator(
    loadTenantMigrations().filter(({ version }) => version < versionOf(MembershipsOfIdentities1796170000100)),
  );

interface OldUser {
  email: string;
  name: string;
  password: string;
  role: 'owner' | 'admin' | 'member';
  updatedAt: string;
}

interface OldTenant {
  id: string;
  slug: string;
  schema: string;
}

const SHARED = 'shared@example.com';
const TWICE = 'twice@example.com';

/**
 * Tenants built by the release before identities: users (with their own password each) in every
 * tenant schema. Then `migration:run` of this release, and the API on the migrated database.
 */
describe('migrating tenant users to identities and memberships', () => {
  const databaseName = testDatabaseName('db');
  let old: DataSource;
  let testApp: TestApp;
  const tenants: OldTenant[] = [];
  let migrationOutput = '';
  const refreshToken = 'an-old-refresh-token-from-before-the-migration';
  const resetToken = 'an-old-password-reset-token-from-before-the-migration';

  async function createOldTenant(): Promise<OldTenant> {
    const id = randomUUID();
    const tenant = { id, slug: uniqueSlug('m'), schema: schemaNameFor(id) };
    await old.query(`INSERT INTO public.tenants (id, slug, name, schema_name) VALUES ($1, $2, $3, $4)`, [
      id,
      tenant.slug,
      `Old ${tenant.slug}`,
      tenant.schema,
    ]);
    await old.query(`CREATE SCHEMA "${tenant.schema}"`);
    await runInTenantSchema(old, tenant.schema, (manager) => oldTenantMigrator().migrate(manager, id));
    tenants.push(tenant);
    return tenant;
  }

  const tiedHashes: string[] = [];

  async function addOldUser(tenant: OldTenant, user: OldUser): Promise<string> {
    const hash = await bcrypt.hash(user.password, 4);
    if (user.email === TWICE) tiedHashes.push(hash);
    const [{ id }] = await old.query<{ id: string }[]>(
      `INSERT INTO "${tenant.schema}".users (email, name, password_hash, role, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5::timestamptz - interval '1 day', $5) RETURNING id`,
      [user.email, user.name, hash, user.role, user.updatedAt],
    );
    return id;
  }

  beforeAll(async () => {
    await withAdminClient((client) => client.query(`CREATE DATABASE "${databaseName}"`));
    const config = loadAppConfig({ DB_HOST: testDatabaseServer.host, DB_NAME: databaseName });
    const options = dataSourceOptions({ ...testDatabaseServer, database: databaseName }, config.database);
    old = new DataSource({ ...options, migrations: sharedMigrationsBeforeIdentities() });
    await old.initialize();
    await old.runMigrations({ transaction: 'each' });

    // SHARED is in four tenants, with four passwords; the newest is in the second tenant made, so
    // neither the first nor the last to migrate wins by its place in the run.
    const passwords = [
      'password of the first',
      'password of the second',
      'third password here',
      'fourth one, oldest',
    ];
    const updated = [
      '2026-03-01T10:00:00Z',
      '2026-06-01T10:00:00Z',
      '2026-05-01T10:00:00Z',
      '2026-01-01T10:00:00Z',
    ];
    for (let i = 0; i < 6; i++) {
      const tenant = await createOldTenant();
      const ownerId = await addOldUser(tenant, {
        email: `owner${i}@example.com`,
        name: `Owner ${i}`,
        password: `owner password ${i}`,
        role: 'owner',
        updatedAt: '2026-02-01T10:00:00Z',
      });
      if (i < 4) {
        const sharedId = await addOldUser(tenant, {
          email: SHARED,
          name: `Shared as seen by ${i}`,
          password: passwords[i],
          role: i === 0 ? 'admin' : 'member',
          updatedAt: updated[i],
        });
        await old.query(
          `INSERT INTO "${tenant.schema}".invitations (email, role, token_hash, invited_by, expires_at, accepted_at)
           VALUES ($1, 'member', $2, $3, now() + interval '1 day', now())`,
          [SHARED, hashSecretToken(`invitation ${i}`), ownerId],
        );
        if (i === 0) {
          const [{ id: sessionId }] = await old.query<{ id: string }[]>(
            `INSERT INTO "${tenant.schema}".sessions (user_id) VALUES ($1) RETURNING id`,
            [sharedId],
          );
          await old.query(
            `INSERT INTO "${tenant.schema}".refresh_tokens (session_id, token_hash, expires_at)
             VALUES ($1, $2, now() + interval '1 day')`,
            [sessionId, hashSecretToken(refreshToken)],
          );
        }
      }
    }
    // TWICE: same updated_at in two tenants, the tie broken the same way whichever migrates first.
    for (const [index, password] of [
      [4, 'twice password alpha'],
      [5, 'twice password omega'],
    ] as const) {
      const id = await addOldUser(tenants[index], {
        email: TWICE,
        name: 'Twice',
        password,
        role: 'member',
        updatedAt: '2026-04-01T10:00:00Z',
      });
      if (index === 5) {
        await old.query(
          `INSERT INTO "${tenants[index].schema}".password_reset_tokens (user_id, token_hash, expires_at)
           VALUES ($1, $2, now() + interval '1 hour')`,
          [id, hashSecretToken(resetToken)],
        );
      }
    }
    await old.destroy();

    const current = new DataSource(options);
    await current.initialize();
    try {
      const lines: string[] = [];
      const exitCode = await runMigrationCommand(
        current,
        new TenantSchemaMigrator(loadTenantMigrations()),
        { concurrency: 4 },
        { write: (text: string) => lines.push(text), isTTY: false },
      );
      migrationOutput = lines.join('');
      expect(exitCode).toBe(0);
    } finally {
      await current.destroy();
    }
    testApp = await startTestApp({ databaseName });
  }, 120_000);
  afterAll(async () => {
    await testApp?.close();
    await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`));
  });

  const login = (tenant: OldTenant, email: string, password: string) =>
    tenantClient(testApp.url, tenant.slug).post('/auth/login', { email, password });
  const query = <T>(sql: string, params: unknown[] = []) =>
    testApp.app.get(DataSource).query<T[]>(sql, params);

  it('migrates every tenant schema', () => {
    expect(migrationOutput).toContain('Tenant schemas: 6 migrated, 0 failed, 0 already current');
  });

  it('makes one identity per distinct email', async () => {
    const identities = await query<{ email: string; name: string; n: number }>(
      `SELECT email, name, count(*) OVER (PARTITION BY email)::int AS n FROM public.identities ORDER BY email`,
    );
    expect(identities.map(({ email }) => email)).toEqual([
      'owner0@example.com',
      'owner1@example.com',
      'owner2@example.com',
      'owner3@example.com',
      'owner4@example.com',
      'owner5@example.com',
      SHARED,
      TWICE,
    ]);
    // The name comes with the password that won.
    expect(identities.find(({ email }) => email === SHARED)?.name).toBe('Shared as seen by 1');
  });

  it('keeps the most recently updated password, at every tenant; the others no longer sign in', async () => {
    for (const tenant of tenants.slice(0, 4)) {
      expect((await login(tenant, SHARED, 'password of the second')).status).toBe(200);
      for (const stale of ['password of the first', 'third password here', 'fourth one, oldest']) {
        const refused = await login(tenant, SHARED, stale);
        expect(refused.status).toBe(401);
        expect(refused.body.code).toBe('INVALID_CREDENTIALS');
      }
    }
  });

  it('breaks a tie of updated_at by the greater hash in byte order, whichever schema migrates first', async () => {
    const [{ kept }] = await query<{ kept: string }>(
      `SELECT password_hash AS kept FROM public.identities WHERE email = $1`,
      [TWICE],
    );
    expect(kept).toBe([...tiedHashes].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))[1]);
    for (const tenant of tenants.slice(4)) {
      const [{ n }] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${tenant.schema}".memberships m
           JOIN public.identities i ON i.id = m.identity_id WHERE i.email = $1`,
        [TWICE],
      );
      expect(n).toBe(1);
    }
  });

  it('keeps every member with their role, name and email, and the tenants they belong to', async () => {
    const atFirst = await login(tenants[0], SHARED, 'password of the second');
    const members = await tenantClient(testApp.url, tenants[0].slug, atFirst.body.accessToken).get(
      '/members',
    );
    expect(members.status).toBe(200);
    expect(
      members.body.map((m: { email: string; name: string; role: string }) => [m.email, m.name, m.role]),
    ).toEqual([
      ['owner0@example.com', 'Owner 0', 'owner'],
      [SHARED, 'Shared as seen by 1', 'admin'],
    ]);
    const listed = await tenantClient(testApp.url, tenants[0].slug, atFirst.body.accessToken).get(
      '/me/tenants',
    );
    expect(listed.body.map((tenant: { slug: string }) => tenant.slug).sort()).toEqual(
      tenants
        .slice(0, 4)
        .map((tenant) => tenant.slug)
        .sort(),
    );
    const [{ invited }] = await query<{ invited: number }>(
      `SELECT count(*)::int AS invited FROM "${tenants[2].schema}".memberships m
         JOIN "${tenants[2].schema}".memberships inviter ON inviter.id = m.invited_by
         JOIN public.identities i ON i.id = m.identity_id WHERE i.email = $1 AND inviter.role = 'owner'`,
      [SHARED],
    );
    expect(invited).toBe(1);
  });

  it('keeps the sessions and the open password reset links made before it', async () => {
    const refreshed = await tenantClient(testApp.url, tenants[0].slug).post('/auth/refresh', {
      refreshToken,
    });
    expect(refreshed.status).toBe(200);
    const reset = await tenantClient(testApp.url, tenants[5].slug).post('/auth/password/reset', {
      token: resetToken,
      password: 'a password set after the move',
    });
    expect(reset.status).toBe(204);
    for (const tenant of tenants.slice(4)) {
      expect((await login(tenant, TWICE, 'a password set after the move')).status).toBe(200);
    }
  });
});
