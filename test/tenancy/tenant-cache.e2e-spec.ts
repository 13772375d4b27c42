import { Body, Get, HttpCode, Param, Put } from '@nestjs/common';
import { IsString } from 'class-validator';
import Redis from 'ioredis';
import { Public } from '../../src/common/access/access.decorators';
import { TenantCache } from '../../src/common/cache/tenant-cache';
import { MissingTenantContextError } from '../../src/tenancy/tenancy.errors';
import { TenantController } from '../../src/tenancy/tenant-controller.decorator';
import { createTenant } from '../support/tenants';
import { startTestApp, type TestApp } from '../support/test-app';
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
