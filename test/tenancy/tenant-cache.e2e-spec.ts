import { Body, Get, HttpCode, Param, Put } from '@nestjs/common';
import { IsString } from 'class-validator';
import Redis from 'ioredis';
import { DataSource, Repository } from 'typeorm';
import { Public } from '../../src/common/access/access.decorators';
import { REPEAT_INVALIDATION_AFTER_MS } from '../../src/common/cache/shared-cache-region';
import { TenantCache } from '../../src/common/cache/tenant-cache';
import { MissingTenantContextError } from '../../src/tenancy/tenancy.errors';
import { SHARED_TENANT_CATALOGUE_REGION, TenantCatalogue } from '../../src/tenancy/tenant-catalogue';
import { TenantController } from '../../src/tenancy/tenant-controller.decorator';
import { createTenant } from '../support/tenants';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { rateLimitedEnv } from '../rate-limit/rate-limit-support';

class CachedValueDto {
  @IsString()
  value!: string;
}

/** A tenant route that caches what it is given: tenant code using TenantCache as any feature would. */
@Public()
@TenantController('cache-probe')
class CacheProbeController {
  constructor(private readonly cache: TenantCache) {}

  @Put(':key')
  @HttpCode(204)
  async put(@Param('key') key: string, @Body() body: CachedValueDto): Promise<void> {
    await this.cache.set(key, body.value);
  }

  @Get(':key')
  async get(@Param('key') key: string): Promise<{ value: string | null }> {
    return { value: (await this.cache.get<string>(key)) ?? null };
  }
}

async function put(testApp: TestApp, slug: string, key: string, value: string): Promise<void> {
  const response = await fetch(`${testApp.url}/api/v1/cache-probe/${key}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-Tenant': slug },
    body: JSON.stringify({ value }),
  });
  expect(response.status).toBe(204);
}

async function read(testApp: TestApp, slug: string, key: string): Promise<string | null> {
  const response = await fetch(`${testApp.url}/api/v1/cache-probe/${key}`, { headers: { 'X-Tenant': slug } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { value: string | null }).value;
}

describe.each([
  ['on Redis', true],
  ['in memory (no REDIS_HOST)', false],
])('TenantCache %s', (_name, onRedis) => {
  let testApp: TestApp;
  beforeAll(async () => {
    const env = onRedis ? rateLimitedEnv() : {};
    testApp = await startTestApp({ env, controllers: [CacheProbeController] });
  });
  afterAll(() => testApp?.close());

  it("keeps tenant A's keys invisible to tenant B, the same key name included", async () => {
    const [a, b] = await Promise.all([createTenant(testApp.app), createTenant(testApp.app)]);
    await put(testApp, a.slug, 'greeting', 'hello from A');
    expect(await read(testApp, b.slug, 'greeting')).toBeNull();
    await put(testApp, b.slug, 'greeting', 'hello from B');
    expect(await read(testApp, a.slug, 'greeting')).toBe('hello from A');
    expect(await read(testApp, b.slug, 'greeting')).toBe('hello from B');

    if (onRedis) {
      const redis = new Redis({ host: testApp.config.redis!.host, port: testApp.config.redis!.port });
      try {
        expect(await redis.get(`cache:tenant:${a.id}:greeting`)).toContain('hello from A');
        expect(await redis.get(`cache:tenant:${b.id}:greeting`)).toContain('hello from B');
      } finally {
        redis.disconnect();
      }
    }
  });

  it('refuses to work outside a tenant context', async () => {
    await expect(testApp.app.get(TenantCache).get('greeting')).rejects.toThrow(MissingTenantContextError);
  });
});

/** The catalogue's shared tier: what one process read, another finds without the database. */
describe('Tenant catalogue shared between API processes', () => {
  let first: TestApp;
  let second: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    const env = rateLimitedEnv({ RATE_LIMIT_ENABLED: 'false' });
    first = await startTestApp({ env });
    second = await startTestApp({ env, databaseName: first.databaseName });
    redis = new Redis({ host: first.config.redis!.host, port: first.config.redis!.port });
  });
  afterAll(async () => {
    redis?.disconnect();
    await second?.close();
    await first?.close();
  });

  it('answers a lookup on process 2 from the entry process 1 cached, dates and all', async () => {
    const tenant = await createTenant(first.app);
    const periodEnd = new Date('2031-05-06T07:08:09.000Z');
    await first.app
      .get(DataSource)
      .query(
        `UPDATE public.tenants SET subscription_status = 'active', current_period_end = $2 WHERE id = $1`,
        [tenant.id, periodEnd],
      );
    first.app.get(TenantCatalogue).invalidate(tenant.slug);
    // A load that overlaps an invalidation is not cached; let this one (and its repeat) pass first.
    await new Promise((resolve) => setTimeout(resolve, REPEAT_INVALIDATION_AFTER_MS + 200));
    const sharedKey = `cache:${SHARED_TENANT_CATALOGUE_REGION}:${tenant.slug}`;
    expect(await redis.exists(sharedKey)).toBe(0);

    expect((await first.app.get(TenantCatalogue).findBySlug(tenant.slug))?.id).toBe(tenant.id);
    await waitFor(async () => (await redis.exists(sharedKey)) === 1, { what: 'the shared entry' });

    const secondDatabase = second.app.get(DataSource);
    const reads = jest.spyOn(Repository.prototype, 'findOneBy');
    try {
      const found = await second.app.get(TenantCatalogue).findBySlug(tenant.slug);
      expect(found).toMatchObject({ id: tenant.id, slug: tenant.slug, status: 'active' });
      expect(found?.billing?.subscriptionStatus).toBe('active');
      expect(found?.billing?.currentPeriodEnd).toEqual(periodEnd);
      expect(Object.isFrozen(found)).toBe(true);
      const readsOnSecond = reads.mock.contexts.filter(
        (repository) => (repository as Repository<object>).manager.connection === secondDatabase,
      );
      expect(readsOnSecond).toHaveLength(0);
    } finally {
      reads.mockRestore();
    }
  });

  it('keeps unknown slugs out of the shared cache', async () => {
    expect(await first.app.get(TenantCatalogue).findBySlug('nobody-here-at-all')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await redis.exists(`cache:${SHARED_TENANT_CATALOGUE_REGION}:nobody-here-at-all`)).toBe(0);
  });
});
