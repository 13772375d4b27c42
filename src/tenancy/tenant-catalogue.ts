import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectConfig, type AppConfig } from '../config';
import type { CurrentTenant } from './tenant-context';
import { Tenant } from './tenant.entity';

interface CacheEntry {
  tenant: CurrentTenant | undefined;
  expiresAt: number;
}

function toCurrentTenant(tenant: Tenant): CurrentTenant {
  const { id, slug, name, schemaName, status, plan } = tenant;
  const { stripePriceId, subscriptionStatus, pastDueSince, currentPeriodEnd, trialEnd, cancelAtPeriodEnd } =
    tenant;
  const billing = Object.freeze({
    stripePriceId,
    subscriptionStatus,
    pastDueSince,
    currentPeriodEnd,
    trialEnd,
    cancelAtPeriodEnd,
  });
  return Object.freeze({ id, slug, name, schemaName, status, plan, billing });
}

/**
 * Reads the shared `tenants` catalogue. Lookups by slug are cached in-process for a short TTL
 * (unknown slugs too), and concurrent misses for one slug share one query; every change made through
 * this process invalidates its entry at once.
 */
@Injectable()
export class TenantCatalogue {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly loading = new Map<string, Promise<CurrentTenant | undefined>>();
  private readonly ttlMs: number;

  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() config: AppConfig,
  ) {
    this.ttlMs = config.tenancy.cacheTtlMs;
  }

  async findBySlug(slug: string): Promise<CurrentTenant | undefined> {
    const cached = this.cache.get(slug);
    if (cached && cached.expiresAt > Date.now()) return cached.tenant;
    const inFlight = this.loading.get(slug);
    if (inFlight) return inFlight;
    const load = this.dataSource
      .getRepository(Tenant)
      .findOneBy({ slug })
      .then((row) => {
        const tenant = row ? toCurrentTenant(row) : undefined;
        if (this.ttlMs > 0) this.cache.set(slug, { tenant, expiresAt: Date.now() + this.ttlMs });
        return tenant;
      })
      .finally(() => this.loading.delete(slug));
    this.loading.set(slug, load);
    return load;
  }

  /** Uncached: for lifecycle changes and CLIs. */
  findBySlugFresh(slug: string): Promise<Tenant | null> {
    return this.dataSource.getRepository(Tenant).findOneBy({ slug });
  }

  list(): Promise<Tenant[]> {
    return this.dataSource.getRepository(Tenant).find({ order: { createdAt: 'ASC' } });
  }

  invalidate(slug: string): void {
    this.cache.delete(slug);
  }
}
