import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource, In } from 'typeorm';
import { InjectConfig, type AppConfig } from '../config';
import { toCurrentTenant } from './tenant-catalogue-entry';
import { TenantChangeFeed } from './tenant-change-feed';
import type { CurrentTenant } from './tenant-context';
import { TenantSlugLookup } from './tenant-slug-lookup';
import { Tenant } from './tenant.entity';

interface CacheEntry {
  tenant: CurrentTenant;
  /** Read since it was loaded: a tenant in use, worth reloading before it expires. */
  used: boolean;
}

/** Slugs per reload query. */
const REFRESH_BATCH = 500;
/** Share of the cache's entries that unknown slugs may take. */
const UNKNOWN_SLUG_SHARE = 0.1;
/**
 * Lifetime of an entry while the change feed is live (never below the TTL): the feed evicts every
 * committed change at once, so this only bounds a change made with triggers off (a restore).
 */
export const LIVE_FEED_MAX_AGE_MS = 60_000;

/**
 * Reads the shared `tenants` catalogue. Lookups by slug are cached in-process, and concurrent misses
 * share one query (one per slug, and the misses of one event-loop turn in one batch). The change feed
 * (PostgreSQL's notification, see TenantChangeFeed) is the one way a change reaches the cache of
 * every API process: while it is live, every committed change evicts the entry at once, so entries
 * may live long (LIVE_FEED_MAX_AGE_MS); otherwise they live the safety TTL (`cacheTtlMs`). Tenants in
 * use are reloaded shortly before their entry expires, many in one query, so however many tenants
 * send requests, a request finds its tenant cached. The cache holds at most `cacheMaxEntries`, least
 * recently used out first; unknown slugs (anyone can send any) live the safety TTL in a separate
 * tenth of it, so a flood of them evicts only other unknown slugs.
 */
@Injectable()
export class TenantCatalogue implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TenantCatalogue.name);
  private readonly tenants: LRUCache<string, CacheEntry>;
  private readonly unknownSlugs: LRUCache<string, true>;
  private readonly loading = new Map<string, Promise<CurrentTenant | undefined>>();
  private readonly lookup: TenantSlugLookup;
  private readonly ttlMs: number;
  private readonly maxAgeMs: number;
  /** How often entries about to expire are reloaded, and so how early before their expiry. */
  private readonly refreshEveryMs: number;
  private refreshTimer?: NodeJS.Timeout;
  private refreshing = false;
  /** Bumped by every invalidation: a load that overlapped one is answered but not cached. */
  private generation = 0;

  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() config: AppConfig,
    @Optional() private readonly changes?: TenantChangeFeed,
  ) {
    this.ttlMs = config.tenancy.cacheTtlMs;
    this.maxAgeMs = Math.max(LIVE_FEED_MAX_AGE_MS, this.ttlMs);
    this.refreshEveryMs = Math.min(1000, Math.max(50, Math.floor(this.ttlMs / 10)));
    const unknownSlugsMax = Math.max(1, Math.floor(config.tenancy.cacheMaxEntries * UNKNOWN_SLUG_SHARE));
    this.tenants = new LRUCache({ max: config.tenancy.cacheMaxEntries - unknownSlugsMax });
    this.unknownSlugs = new LRUCache({ max: unknownSlugsMax });
    this.lookup = new TenantSlugLookup(dataSource);
    changes?.subscribe((slug) => this.forget(slug));
  }

  /** Entries held now, expired ones not yet dropped included. */
  get cachedEntries(): { tenants: number; unknownSlugs: number } {
    return { tenants: this.tenants.size, unknownSlugs: this.unknownSlugs.size };
  }

  onModuleInit(): void {
    if (this.ttlMs <= 0) return;
    this.refreshTimer = setInterval(() => void this.refreshEntriesInUse(), this.refreshEveryMs);
    this.refreshTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refreshTimer);
  }

  async findBySlug(slug: string): Promise<CurrentTenant | undefined> {
    const cached = this.tenants.get(slug);
    if (cached) {
      cached.used = true;
      return cached.tenant;
    }
    if (this.unknownSlugs.get(slug)) return undefined;
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

  /**
   * Drops the slug's entry in this process at once, so the process that made a change reads it back
   * on its next request; every API process, this one too, hears of the change from the feed.
   */
  invalidate(slug: string): void {
    this.forget(slug);
  }

  private async load(slug: string, generation: number): Promise<CurrentTenant | undefined> {
    // An entry's age counts from its read, so nothing is served longer than the TTL after it.
    const readAt = Date.now();
    const row = await this.lookup.find(slug);
    const tenant = row ? toCurrentTenant(row) : undefined;
    if (this.ttlMs > 0 && generation === this.generation) {
      if (tenant) this.cacheTenant(slug, tenant, readAt + this.lifetimeMs());
      else this.cacheUnknown(slug, readAt);
    }
    return tenant;
  }

  /**
   * Reloads, in batches, the known tenants read since their last load once one of them would expire
   * before the next pass. An entry invalidated or replaced meanwhile is left alone; a tenant gone from the
   * catalogue is cached as unknown. A failed reload leaves the entries to expire as usual.
   */
  private async refreshEntriesInUse(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      const inUse = [...this.tenants.entries()]
        .filter(([slug, entry]) => entry.used && !this.loading.has(slug))
        .map(([slug, entry]) => ({ slug, entry, remainingMs: this.tenants.getRemainingTTL(slug) }));
      if (!inUse.some(({ remainingMs }) => remainingMs <= 2 * this.refreshEveryMs)) return;
      // What would fall due soon rides along, so tenants loaded near one another share their batches.
      const dueWithinMs = Math.max(2 * this.refreshEveryMs, this.lifetimeMs() / 4);
      const due = inUse.filter(({ remainingMs }) => remainingMs <= dueWithinMs);
      for (let start = 0; start < due.length; start += REFRESH_BATCH) {
        const batch = due.slice(start, start + REFRESH_BATCH);
        const readAt = Date.now();
        const rows = await this.dataSource
          .getRepository(Tenant)
          .findBy({ slug: In(batch.map(({ slug }) => slug)) });
        const bySlug = new Map(rows.map((row) => [row.slug, row]));
        for (const { slug, entry } of batch) {
          if (this.tenants.peek(slug) !== entry) continue;
          const row = bySlug.get(slug);
          if (row) {
            this.cacheTenant(slug, toCurrentTenant(row), readAt + this.lifetimeMs());
          } else {
            this.tenants.delete(slug);
            this.cacheUnknown(slug, readAt);
          }
        }
      }
    } catch (error) {
      this.logger.warn(`Reloading cached tenants failed: ${(error as Error).message}`);
    } finally {
      this.refreshing = false;
    }
  }

  private cacheTenant(slug: string, tenant: CurrentTenant, expiresAt: number): void {
    const ttl = expiresAt - Date.now();
    if (ttl > 0) this.tenants.set(slug, { tenant, used: false }, { ttl });
  }

  /** Unknown slugs live the short TTL whatever the feed: any slug can be sent, so they churn. */
  private cacheUnknown(slug: string, readAt: number): void {
    const ttl = readAt + this.ttlMs - Date.now();
    if (ttl > 0) this.unknownSlugs.set(slug, true, { ttl });
  }

  private lifetimeMs(): number {
    return this.changes?.live ? this.maxAgeMs : this.ttlMs;
  }

  /** `undefined`: invalidations may have been missed (the subscription was down), so drop all. */
  private forget(slug: string | undefined): void {
    this.generation++;
    if (slug === undefined) {
      this.tenants.clear();
      this.unknownSlugs.clear();
      this.loading.clear();
    } else {
      this.tenants.delete(slug);
      this.unknownSlugs.delete(slug);
      this.loading.delete(slug);
    }
  }
}
