import { createCache } from 'cache-manager';
import { TenantCache, tenantCacheKey } from './tenant-cache';

const TENANT_A = '0b6c3c2e-7d3f-4e55-9a51-0a0000000001';
const TENANT_B = '0b6c3c2e-7d3f-4e55-9a51-0b0000000002';

describe('TenantCache', () => {
  const cache = createCache();
  let current: string | undefined;
  const tenantCache = new TenantCache(
    cache,
    () => {
      if (!current) throw new Error('no tenant in context');
      return current;
    },
    60_000,
  );
  const as = <T>(tenantId: string, work: () => Promise<T>) => {
    current = tenantId;
    return work();
  };

  it("prefixes every key with the current tenant's id", async () => {
    await as(TENANT_A, () => tenantCache.set('settings', { theme: 'dark' }));
    expect(await cache.get(tenantCacheKey(TENANT_A, 'settings'))).toEqual({ theme: 'dark' });
    expect(tenantCacheKey(TENANT_A, 'settings')).toBe(`tenant:${TENANT_A}:settings`);
  });

  it("never reads another tenant's entry, even under the same key", async () => {
    await as(TENANT_A, () => tenantCache.set('greeting', 'hello A'));
    expect(await as(TENANT_B, () => tenantCache.get('greeting'))).toBeUndefined();
    await as(TENANT_B, () => tenantCache.set('greeting', 'hello B'));
    expect(await as(TENANT_A, () => tenantCache.get('greeting'))).toBe('hello A');
    await as(TENANT_B, () => tenantCache.delete('greeting'));
    expect(await as(TENANT_A, () => tenantCache.get('greeting'))).toBe('hello A');
  });

  it('loads once through wrap, per tenant', async () => {
    const load = jest.fn((value: string) => Promise.resolve(value));
    expect(await as(TENANT_A, () => tenantCache.wrap('report', () => load('A')))).toBe('A');
    expect(await as(TENANT_A, () => tenantCache.wrap('report', () => load('again')))).toBe('A');
    expect(await as(TENANT_B, () => tenantCache.wrap('report', () => load('B')))).toBe('B');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('throws without a tenant instead of using a shared key', async () => {
    current = undefined;
    await expect(tenantCache.get('greeting')).rejects.toThrow('no tenant in context');
    await expect(tenantCache.set('greeting', 'x')).rejects.toThrow('no tenant in context');
  });
});
