import { randomBytes } from 'node:crypto';
import type { Agent, ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { MiddlewareRequest } from '../../src/common/http/middleware-request';
import { Repository } from 'typeorm';
import { TenantNotFoundException } from '../../src/tenancy/tenancy.errors';
import { TenantCatalogue } from '../../src/tenancy/tenant-catalogue';
import { TenantChangeFeed } from '../../src/tenancy/tenant-change-feed';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenantResolutionMiddleware } from '../../src/tenancy/tenant-resolution.middleware';
import { signUp } from '../support/accounts';
import { connectionPool, getJson } from '../support/http-pool';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const FLOOD_REQUESTS = 200_000;
/**
 * Over HTTP, a request costs about 1 ms of this 2-core machine's time when it is loaded, so 200,000
 * would take minutes: a sample goes over HTTP, the rest straight through the app's tenant resolution
 * middleware and catalogue, the path every HTTP request with an X-Tenant header takes.
 */
const OVER_HTTP = 5_000;
const CONCURRENCY = 64;
const MB = 1024 * 1024;

/** A full collection on demand, so heap sizes compare live objects, not garbage not yet collected. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function heapUsedMb(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / MB;
}

/** The status the app's tenant resolution answers for a request naming the slug. */
async function resolveInProcess(middleware: TenantResolutionMiddleware, slug: string): Promise<number> {
  const request = { hostname: '127.0.0.1', headers: { 'x-tenant': slug } } as unknown as MiddlewareRequest;
  try {
    await middleware.use(request, {} as ServerResponse, () => undefined);
    return 200;
  } catch (error) {
    return error instanceof TenantNotFoundException ? error.getStatus() : 500;
  }
}

/** A random prefix per run, then a counter: every slug is new, none names a tenant. */
const floodPrefix = `x${randomBytes(4).toString('hex')}`;
let floodCounter = 0;
const unknownSlug = () => `${floodPrefix}${(floodCounter++).toString(36)}`;

/** Resolves `count` fresh random (valid, unknown) slugs, `CONCURRENCY` at a time; counts the statuses. */
async function floodWithUnknownSlugs(
  count: number,
  resolve: (slug: string) => Promise<number>,
  statuses = new Map<number, number>(),
): Promise<Map<number, number>> {
  let sent = 0;
  const sender = async () => {
    while (sent < count) {
      sent++;
      const status = await resolve(unknownSlug());
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  return statuses;
}

describe('tenant catalogue under a flood of unknown slugs', () => {
  let testApp: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    // Entries that outlive the flood: only the bound, not their expiry, can keep the cache small.
    testApp = await startTestApp({ env: { TENANT_CACHE_TTL_MS: '600000' } });
    agent = connectionPool(CONCURRENCY);
  });
  afterAll(async () => {
    agent?.destroy();
    await testApp?.close();
  });

  const overHttp = async (slug: string) =>
    (await getJson(agent, `${testApp.url}/api/v1/members`, { 'X-Tenant': slug })).status;
  const catalogueReads = () => [
    jest.spyOn(Repository.prototype, 'findOneBy'),
    jest.spyOn(Repository.prototype, 'findBy'),
  ];

  // 200,000 lookups take 20-40 s on a busy two-core machine: the timeout is a generous bound, not a measure.
  it('keeps its entries within TENANT_CACHE_MAX_ENTRIES and the heap flat over 200,000 requests', async () => {
    const catalogue = testApp.app.get(TenantCatalogue);
    const middleware = new TenantResolutionMiddleware(
      catalogue,
      testApp.app.get(TenantContext),
      testApp.config,
    );
    const inProcess = (slug: string) => resolveInProcess(middleware, slug);
    const { cacheMaxEntries } = testApp.config.tenancy;
    const announced: (string | undefined)[] = [];
    testApp.app.get(TenantChangeFeed).subscribe((slug) => announced.push(slug));
    const account = await signUp(testApp.url);
    // The signup's own announcement evicts the tenant when it arrives: cache it after that.
    await waitFor(() => announced.includes(account.tenant.slug), { what: "the signup's announcement" });
    expect((await catalogue.findBySlug(account.tenant.slug))?.id).toBe(account.tenant.id);
    // Warm up every code path once, so what is measured is what the flood leaves behind.
    await floodWithUnknownSlugs(500, overHttp);
    await floodWithUnknownSlugs(500, inProcess);
    const before = heapUsedMb();

    const statuses = await floodWithUnknownSlugs(OVER_HTTP, overHttp);
    await floodWithUnknownSlugs(FLOOD_REQUESTS - OVER_HTTP, inProcess, statuses);

    const after = heapUsedMb();
    process.stdout.write(
      `heap after ${FLOOD_REQUESTS} unknown slugs: ${before.toFixed(1)} MB -> ${after.toFixed(1)} MB\n`,
    );
    expect(Object.fromEntries(statuses)).toEqual({ 404: FLOOD_REQUESTS });
    // Unbounded, the 200,000 entries the flood left behind took tens of MB.
    expect(after - before).toBeLessThan(8);
    const { tenants, unknownSlugs } = catalogue.cachedEntries;
    expect(tenants + unknownSlugs).toBeLessThanOrEqual(cacheMaxEntries);
    expect(unknownSlugs).toBeGreaterThan(0);

    // Unknown slugs evicted one another only: the real tenant is still answered from the cache.
    const reads = catalogueReads();
    try {
      expect((await catalogue.findBySlug(account.tenant.slug))?.id).toBe(account.tenant.id);
      for (const read of reads) expect(read).not.toHaveBeenCalled();
    } finally {
      for (const read of reads) read.mockRestore();
    }
  }, 240_000);

  it('looks up the misses of one event-loop turn, known and unknown, in one query', async () => {
    const catalogue = testApp.app.get(TenantCatalogue);
    const account = await signUp(testApp.url);
    const slugs = [...Array.from({ length: 63 }, unknownSlug), account.tenant.slug];
    const [findOneBy, findBy] = catalogueReads();
    try {
      const found = await Promise.all(slugs.map((slug) => catalogue.findBySlug(slug)));
      expect(found.filter((tenant) => tenant !== undefined).map((tenant) => tenant.id)).toEqual([
        account.tenant.id,
      ]);
      expect(findOneBy).not.toHaveBeenCalled();
      expect(findBy).toHaveBeenCalledTimes(1);
    } finally {
      findOneBy.mockRestore();
      findBy.mockRestore();
    }
  });
});
