import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SharedCacheRegion } from '../common/cache/shared-cache-region';
import { InjectConfig, type AppConfig } from '../config';
import type { CurrentTenant } from './tenant-context';
import { Tenant } from './tenant.entity';

/** The shared (cross-process) tier of the catalogue; absent in the CLIs and when turned off. */
export const SHARED_TENANT_CATALOGUE = Symbol('SHARED_TENANT_CATALOGUE');
/** Region name; the version changes whenever SharedTenantEntry does, so old entries are never misread. */
export const SHARED_TENANT_CATALOGUE_REGION = 'tenant-catalogue:v1';

interface CacheEntry {
  tenant: CurrentTenant | undefined;
  expiresAt: number;
}

/** A CurrentTenant as JSON: dates as ISO strings. */
export type SharedTenantEntry = Omit<CurrentTenant, 'billing'> & {
  billing?: Omit<NonNullable<CurrentTenant['billing']>, 'pastDueSince' | 'currentPeriodEnd' | 'trialEnd'> & {
    pastDueSince: string | null;
    currentPeriodEnd: string | null;
    trialEnd: string | null;
  };
};

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

const isoOrNull = (date: Date | null | undefined) => (date ? new Date(date).toISOString() : null);
const dateOrNull = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

function toSharedEntry(tenant: CurrentTenant): SharedTenantEntry {
  const { billing, ...rest } = tenant;
  if (!billing) return rest;
  return {
    ...rest,
    billing: {
      ...billing,
      pastDueSince: isoOrNull(billing.pastDueSince),
      currentPeriodEnd: isoOrNull(billing.currentPeriodEnd),
      trialEnd: isoOrNull(billing.trialEnd),
    },
  };
}

function fromSharedEntry(entry: SharedTenantEntry): CurrentTenant {
  const { id, slug, name, schemaName, status, plan, billing } = entry;
  if (!billing) return Object.freeze({ id, slug, name, schemaName, status, plan });
  return Object.freeze({
    id,
    slug,
    name,
    schemaName,
    status,
    plan,
    billing: Object.freeze({
      stripePriceId: billing.stripePriceId,
      subscriptionStatus: billing.subscriptionStatus,
      cancelAtPeriodEnd: billing.cancelAtPeriodEnd,
      pastDueSince: dateOrNull(billing.pastDueSince),
      currentPeriodEnd: dateOrNull(billing.currentPeriodEnd),
      trialEnd: dateOrNull(billing.trialEnd),
    }),
  });
}

/**
 * Reads the shared `tenants` catalogue. Lookups by slug are cached in-process for a short TTL
 * (unknown slugs too), and concurrent misses for one slug share one query. With the shared tier
 * (Redis), an in-process miss reads the copy every API process shares before the database, and
 * `invalidate` reaches every process's copy within milliseconds (pub/sub), so a suspension or a
 * plan change holds everywhere at once, not after the TTL.
 */
@Injectable()
export class TenantCatalogue {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly loading = new Map<string, Promise<CurrentTenant | undefined>>();
  private readonly ttlMs: number;
  /** Bumped by every invalidation: a load that overlapped one is answered but not cached. */
  private generation = 0;

  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() config: AppConfig,
    @Optional()
    @Inject(SHARED_TENANT_CATALOGUE)
    private readonly shared?: SharedCacheRegion<SharedTenantEntry> | null,
  ) {
    this.ttlMs = config.tenancy.cacheTtlMs;
    shared?.onInvalidated((slug) => this.forget(slug));
  }

  async findBySlug(slug: string): Promise<CurrentTenant | undefined> {
    const cached = this.cache.get(slug);
    if (cached && cached.expiresAt > Date.now()) return cached.tenant;
    const inFlight = this.loading.get(slug);
    if (inFlight) return inFlight;
    const load: Promise<CurrentTenant | undefined> = this.load(slug, this.generation).finally(() => {
      if (this.loading.get(slug) === load) this.loading.delete(slug);
    });
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

  /** Drops the slug's entry here at once and, with the shared tier, in every other API process. */
  invalidate(slug: string): void {
    this.forget(slug);
    this.shared?.invalidate(slug);
  }

  private async load(slug: string, generation: number): Promise<CurrentTenant | undefined> {
    const shared = await this.shared?.get(slug);
    let tenant: CurrentTenant | undefined;
    if (shared) {
      tenant = fromSharedEntry(shared);
    } else {
      const row = await this.dataSource.getRepository(Tenant).findOneBy({ slug });
      tenant = row ? toCurrentTenant(row) : undefined;
      // Unknown slugs stay out of the shared tier: anyone can send any slug, and Redis is not to fill up.
      if (tenant && generation === this.generation) void this.shared?.set(slug, toSharedEntry(tenant));
    }
    if (this.ttlMs > 0 && generation === this.generation) {
      this.cache.set(slug, { tenant, expiresAt: Date.now() + this.ttlMs });
    }
    return tenant;
  }

  /** `undefined`: invalidations may have been missed (the subscription was down), so drop all. */
  private forget(slug: string | undefined): void {
    this.generation++;
    if (slug === undefined) {
      this.cache.clear();
      this.loading.clear();
    } else {
      this.cache.delete(slug);
      this.loading.delete(slug);
    }
  }
}
