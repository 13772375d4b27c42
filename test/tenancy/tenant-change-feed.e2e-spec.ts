import { Client } from 'pg';
import { DataSource, Repository } from 'typeorm';
import { MembershipChangeFeed } from '../../src/members/membership-change-feed';
import { TenantCatalogue } from '../../src/tenancy/tenant-catalogue';
import {
  TENANT_CHANGED_CHANNEL,
  TenantChangeFeed,
  type TenantChangeListener,
} from '../../src/tenancy/tenant-change-feed';
import { signUp, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';
import { testDatabaseServer } from '../support/test-database';
import { createTenant } from '../support/tenants';
import { waitFor } from '../support/wait-for';

/** Counts the catalogue lookups by slug that reach the database. */
function catalogueReads() {
  const spy = jest.spyOn(Repository.prototype, 'findOneBy');
  return {
    count: () => spy.mock.calls.filter(([where]) => JSON.stringify(where).includes('slug')).length,
    restore: () => spy.mockRestore(),
  };
}

/**
 * Changes to public.tenants made behind the API's back (a CLI, an operator's SQL) reach its catalogue
 * cache through PostgreSQL notifications, long before any TTL.
 */
describe('tenant change feed', () => {
  let testApp: TestApp;
  let dataSource: DataSource;
  let account: SignedUpAccount;

  beforeAll(async () => {
    // A long fallback TTL: only a notification can explain a change seen within a second.
    testApp = await startTestApp({ env: { TENANT_CACHE_TTL_MS: '30000' } });
    dataSource = testApp.app.get(DataSource);
    account = await signUp(testApp.url);
    await waitFor(() => testApp.app.get(TenantChangeFeed).live, { what: 'the feed to listen' });
  });
  afterAll(() => testApp.close());

  const status = async () =>
    (
      await fetch(`${testApp.url}/api/v1/members`, {
        headers: { 'X-Tenant': account.tenant.slug, Authorization: `Bearer ${account.accessToken}` },
      })
    ).status;
  const setStatus = (value: 'active' | 'suspended') =>
    dataSource.query(`UPDATE public.tenants SET status = $1 WHERE id = $2`, [value, account.tenant.id]);

  it('shares the one LISTEN connection of the process with every other feed', async () => {
    expect(testApp.app.get(MembershipChangeFeed).live).toBe(true);
    const listening = await dataSource.query<{ application_name: string }[]>(
      `SELECT application_name FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'saas-api-%'`,
    );
    expect(listening.map((row) => row.application_name)).toEqual(['saas-api-notifications']);
  });

  it('evicts a tenant changed by plain SQL within a second, both ways', async () => {
    expect(await status()).toBe(200);
    await setStatus('suspended');
    await waitFor(async () => (await status()) === 403, { timeoutMs: 1000, what: 'the suspension' });
    await setStatus('active');
    await waitFor(async () => (await status()) === 200, { timeoutMs: 1000, what: 'the resumption' });
  });

  it('evicts nothing for a change of bookkeeping columns alone (a migration run)', async () => {
    expect(await status()).toBe(200);
    const reads = catalogueReads();
    try {
      await dataSource.query(
        `UPDATE public.tenants SET schema_version = schema_version, updated_at = now() WHERE id = $1`,
        [account.tenant.id],
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await status()).toBe(200);
      expect(reads.count()).toBe(0);
    } finally {
      reads.restore();
    }
  });

  it('announces inserts, meaningful updates and deletes, with the slug, only once committed', async () => {
    const listener = new Client({ ...testDatabaseServer, database: testApp.databaseName });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', ({ channel, payload }) => {
      if (channel === TENANT_CHANGED_CHANNEL) heard.push(payload ?? '');
    });
    try {
      await listener.query(`LISTEN ${TENANT_CHANGED_CHANNEL}`);
      const other = await signUp(testApp.url);
      await waitFor(() => heard.includes(other.tenant.slug), { what: 'the insert' });
      heard.length = 0;

      const runner = dataSource.createQueryRunner();
      await runner.startTransaction();
      await runner.query(`UPDATE public.tenants SET name = 'Renamed' WHERE id = $1`, [other.tenant.id]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toEqual([]);
      await runner.commitTransaction();
      await runner.release();
      await waitFor(() => heard.length === 1, { what: 'the update' });

      await dataSource.query(`UPDATE public.tenants SET schema_version = schema_version + 1 WHERE id = $1`, [
        other.tenant.id,
      ]);
      await dataSource.query(`DELETE FROM public.tenants WHERE id = $1`, [other.tenant.id]);
      await waitFor(() => heard.length === 2, { what: 'the delete' });
      expect(heard).toEqual([other.tenant.slug, other.tenant.slug]);
    } finally {
      await listener.end();
    }
  });

  it('drops the cache when its connection is lost, and is live again after reconnecting', async () => {
    const feed = testApp.app.get(TenantChangeFeed);
    expect(await status()).toBe(200);
    await dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'saas-api-notifications'`,
    );
    await waitFor(() => !feed.live, { what: 'the feed to notice' });
    await waitFor(() => feed.live, { what: 'the feed to reconnect' });
    await setStatus('suspended');
    try {
      await waitFor(async () => (await status()) === 403, { timeoutMs: 1000, what: 'the suspension' });
    } finally {
      await setStatus('active');
    }
  });
});

describe('tenant cache lifetime', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  /** A feed whose state the test sets, and a catalogue on it: TTL 100 ms, max age LIVE_FEED_MAX_AGE_MS. */
  const catalogueOnFeed = () => {
    const listeners: TenantChangeListener[] = [];
    const feed = {
      live: true,
      subscribe: (listener: TenantChangeListener) => listeners.push(listener),
      announce: (slug: string | undefined) => listeners.forEach((listener) => listener(slug)),
    };
    const catalogue = new TenantCatalogue(
      testApp.app.get(DataSource),
      { ...testApp.config, tenancy: { ...testApp.config.tenancy, cacheTtlMs: 100 } },
      feed as unknown as TenantChangeFeed,
    );
    return { feed, catalogue };
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('keeps a tenant for the max age while changes are announced, for the short TTL otherwise', async () => {
    const tenant = await createTenant(testApp.app);
    const { feed, catalogue } = catalogueOnFeed();
    const reads = catalogueReads();
    try {
      await catalogue.findBySlug(tenant.slug);
      await sleep(300);
      await catalogue.findBySlug(tenant.slug);
      expect(reads.count()).toBe(1);

      feed.live = false;
      feed.announce(undefined);
      await catalogue.findBySlug(tenant.slug);
      expect(reads.count()).toBe(2);
      await sleep(150);
      await catalogue.findBySlug(tenant.slug);
      expect(reads.count()).toBe(3);

      feed.live = true;
      feed.announce(undefined);
      await catalogue.findBySlug(tenant.slug);
      await sleep(300);
      await catalogue.findBySlug(tenant.slug);
      expect(reads.count()).toBe(4);
    } finally {
      reads.restore();
    }
  });

  it('evicts the announced tenant only', async () => {
    const [changed, untouched] = await Promise.all([createTenant(testApp.app), createTenant(testApp.app)]);
    const { feed, catalogue } = catalogueOnFeed();
    await catalogue.findBySlug(changed.slug);
    await catalogue.findBySlug(untouched.slug);
    const reads = catalogueReads();
    try {
      feed.announce(changed.slug);
      await catalogue.findBySlug(changed.slug);
      await catalogue.findBySlug(untouched.slug);
      expect(reads.count()).toBe(1);
    } finally {
      reads.restore();
    }
  });
});
