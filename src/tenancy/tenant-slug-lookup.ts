import { DataSource, In } from 'typeorm';
import { Tenant } from './tenant.entity';

/** Slugs per query at most. */
const LOOKUP_BATCH = 500;

interface PendingLookup {
  promise: Promise<Tenant | null>;
  resolve(tenant: Tenant | null): void;
  reject(error: unknown): void;
}

/**
 * Reads tenants by slug, the lookups asked for in one turn of the event loop in one query: however
 * many requests name slugs that are not cached (unknown ones, in a flood), the database sees one
 * query per turn and per 500 slugs, not one per request.
 */
export class TenantSlugLookup {
  private pending = new Map<string, PendingLookup>();
  private flushScheduled?: NodeJS.Immediate;

  constructor(private readonly dataSource: DataSource) {}

  find(slug: string): Promise<Tenant | null> {
    const known = this.pending.get(slug);
    if (known) return known.promise;
    let resolve!: PendingLookup['resolve'];
    let reject!: PendingLookup['reject'];
    const promise = new Promise<Tenant | null>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    this.pending.set(slug, { promise, resolve, reject });
    if (this.pending.size >= LOOKUP_BATCH) void this.flush();
    else this.flushScheduled ??= setImmediate(() => void this.flush());
    return promise;
  }

  private async flush(): Promise<void> {
    clearImmediate(this.flushScheduled);
    this.flushScheduled = undefined;
    const batch = this.pending;
    this.pending = new Map();
    try {
      const slugs = [...batch.keys()];
      const tenants = this.dataSource.getRepository(Tenant);
      const rows =
        slugs.length === 1
          ? [await tenants.findOneBy({ slug: slugs[0] })]
          : await tenants.findBy({ slug: In(slugs) });
      const bySlug = new Map(rows.flatMap((row) => (row ? [[row.slug, row] as const] : [])));
      for (const [slug, lookup] of batch) lookup.resolve(bySlug.get(slug) ?? null);
    } catch (error) {
      for (const lookup of batch.values()) lookup.reject(error);
    }
  }
}
