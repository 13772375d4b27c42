import request from 'supertest';
import { DataSource, Repository } from 'typeorm';
import { TenantCatalogue } from '../../src/tenancy/tenant-catalogue';
import { TenantLifecycleService } from '../../src/tenancy/tenant-lifecycle.service';
import { signUp, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTenant } from '../support/tenants';
import { fixtureNotes } from '../support/fixture-notes/fixture-notes';

describe('tenant selection', () => {
  let testApp: TestApp;
  let tenant: SignedUpAccount['tenant'];
  let accessToken: string;

  beforeAll(async () => {
    testApp = await startTestApp({
      env: { APP_DOMAIN: 'example.test', TENANT_CACHE_TTL_MS: '60000' },
      ...fixtureNotes,
    });
    ({ tenant, accessToken } = await signUp(testApp.url));
  });
  afterAll(() => testApp.close());

  const notes = () =>
    request(testApp.url).get('/api/v1/fixture-notes').set('Authorization', `Bearer ${accessToken}`);

  it('answers 400 TENANT_REQUIRED without a tenant', async () => {
    const response = await notes();
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'TENANT_REQUIRED' });
  });

  it('answers 404 TENANT_NOT_FOUND for an unknown or malformed slug', async () => {
    for (const slug of ['nobody-here', 'NOT A SLUG', 'www']) {
      const response = await notes().set('X-Tenant', slug);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('TENANT_NOT_FOUND');
    }
  });

  it('takes the tenant from the X-Tenant header', async () => {
    expect((await notes().set('X-Tenant', tenant.slug)).status).toBe(200);
  });

  it('takes the tenant from the subdomain of APP_DOMAIN before the header', async () => {
    const bySubdomain = await notes().set('Host', `${tenant.slug}.example.test`);
    expect(bySubdomain.status).toBe(200);
    const subdomainWins = await notes()
      .set('Host', `${tenant.slug}.example.test`)
      .set('X-Tenant', 'nobody-here');
    expect(subdomainWins.status).toBe(200);
    const unknownSubdomain = await notes().set('Host', 'nobody-here.example.test');
    expect(unknownSubdomain.body.code).toBe('TENANT_NOT_FOUND');
    const apex = await notes().set('Host', 'example.test');
    expect(apex.body.code).toBe('TENANT_REQUIRED');
  });

  it('answers 403 TENANT_SUSPENDED at once after a suspension, and serves again after resuming', async () => {
    const lifecycle = testApp.app.get(TenantLifecycleService);
    expect((await notes().set('X-Tenant', tenant.slug)).status).toBe(200);
    await lifecycle.suspend(tenant.slug);
    const suspended = await notes().set('X-Tenant', tenant.slug);
    expect(suspended.status).toBe(403);
    expect(suspended.body.code).toBe('TENANT_SUSPENDED');
    await lifecycle.resume(tenant.slug);
    expect((await notes().set('X-Tenant', tenant.slug)).status).toBe(200);
  });

  it('leaves public routes alone', async () => {
    expect((await request(testApp.url).get('/health/live')).status).toBe(200);
    expect((await request(testApp.url).get('/api/v1/nothing-here')).status).toBe(404);
  });

  it('costs no catalogue query once the tenant is cached', async () => {
    await notes().set('X-Tenant', tenant.slug);
    const catalogueReads = jest.spyOn(Repository.prototype, 'findOneBy');
    try {
      for (let i = 0; i < 5; i++) expect((await notes().set('X-Tenant', tenant.slug)).status).toBe(200);
      expect(catalogueReads).not.toHaveBeenCalled();
    } finally {
      catalogueReads.mockRestore();
    }
  });
});

describe('TenantCatalogue', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const catalogueWithTtl = (ttlMs: number) =>
    new TenantCatalogue(testApp.app.get(DataSource), {
      ...testApp.config,
      tenancy: { ...testApp.config.tenancy, cacheTtlMs: ttlMs },
    });

  it('shares one query between concurrent lookups and caches the answer, unknown slugs included', async () => {
    const tenant = await createTenant(testApp.app);
    const catalogue = catalogueWithTtl(60_000);
    const reads = jest.spyOn(Repository.prototype, 'findOneBy');
    try {
      const found = await Promise.all(Array.from({ length: 10 }, () => catalogue.findBySlug(tenant.slug)));
      expect(found.every((t) => t?.id === tenant.id)).toBe(true);
      await catalogue.findBySlug(tenant.slug);
      expect(reads).toHaveBeenCalledTimes(1);
      expect(await catalogue.findBySlug('nobody-here')).toBeUndefined();
      expect(await catalogue.findBySlug('nobody-here')).toBeUndefined();
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
    }
  });

  it('reads again after an invalidation or once the TTL has passed', async () => {
    const tenant = await createTenant(testApp.app);
    const catalogue = catalogueWithTtl(100);
    expect((await catalogue.findBySlug(tenant.slug))?.status).toBe('active');
    await testApp.app
      .get(DataSource)
      .query(`UPDATE public.tenants SET status = 'suspended' WHERE id = $1`, [tenant.id]);
    expect((await catalogue.findBySlug(tenant.slug))?.status).toBe('active');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await catalogue.findBySlug(tenant.slug))?.status).toBe('suspended');
    await testApp.app
      .get(DataSource)
      .query(`UPDATE public.tenants SET status = 'active' WHERE id = $1`, [tenant.id]);
    catalogue.invalidate(tenant.slug);
    expect((await catalogue.findBySlug(tenant.slug))?.status).toBe('active');
  });

  describe('with tenants in use', () => {
    const catalogues: TenantCatalogue[] = [];
    const refreshingCatalogue = (ttlMs: number) => {
      const catalogue = catalogueWithTtl(ttlMs);
      catalogue.onModuleInit();
      catalogues.push(catalogue);
      return catalogue;
    };
    afterEach(() => catalogues.splice(0).forEach((catalogue) => catalogue.onModuleDestroy()));

    /** Looks the slugs up every 20 ms for `ms`, counting the lookups that had to wait for the database. */
    const useFor = async (catalogue: TenantCatalogue, slugs: string[], ms: number) => {
      const single = jest.spyOn(Repository.prototype, 'findOneBy');
      const batched = jest.spyOn(Repository.prototype, 'findBy');
      try {
        for (const deadline = Date.now() + ms; Date.now() < deadline;) {
          for (const slug of slugs) expect((await catalogue.findBySlug(slug))?.slug).toBe(slug);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // Only this catalogue's queries: the app's own catalogue reloads its tenants meanwhile.
        const ours = (calls: unknown[][]) =>
          calls.filter((args) => slugs.some((slug) => JSON.stringify(args).includes(slug))).length;
        return { single: ours(single.mock.calls), batched: ours(batched.mock.calls) };
      } finally {
        single.mockRestore();
        batched.mockRestore();
      }
    };

    it('reloads them ahead of expiry, all in one query, so lookups never wait for the database', async () => {
      const tenants = await Promise.all(Array.from({ length: 3 }, () => createTenant(testApp.app)));
      const slugs = tenants.map((tenant) => tenant.slug);
      // A TTL long enough that a busy test machine's stalls stay well inside the reload window.
      const catalogue = refreshingCatalogue(2000);
      for (const slug of slugs) await catalogue.findBySlug(slug);

      const queries = await useFor(catalogue, slugs, 5000);
      expect(queries.single).toBe(0);
      // 2.5 TTLs of use: about one batch per TTL for all three tenants, not one query per tenant.
      expect(queries.batched).toBeGreaterThanOrEqual(2);
      expect(queries.batched).toBeLessThanOrEqual(4);
    });

    it('still shows a change made behind its back within the TTL, a deletion included', async () => {
      const [kept, removed] = await Promise.all([createTenant(testApp.app), createTenant(testApp.app)]);
      const catalogue = refreshingCatalogue(200);
      await useFor(catalogue, [kept.slug, removed.slug], 100);
      const dataSource = testApp.app.get(DataSource);
      await dataSource.query(`UPDATE public.tenants SET status = 'suspended' WHERE id = $1`, [kept.id]);
      await dataSource.query(`DELETE FROM public.tenants WHERE id = $1`, [removed.id]);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await catalogue.findBySlug(kept.slug))?.status).toBe('suspended');
      expect(await catalogue.findBySlug(removed.slug)).toBeUndefined();
    });

    it('lets tenants no longer in use expire', async () => {
      const tenant = await createTenant(testApp.app);
      const catalogue = refreshingCatalogue(100);
      await catalogue.findBySlug(tenant.slug);
      const batched = jest.spyOn(Repository.prototype, 'findBy');
      try {
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(batched).not.toHaveBeenCalled();
      } finally {
        batched.mockRestore();
      }
    });
  });
});
