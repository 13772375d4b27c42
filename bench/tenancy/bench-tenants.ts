import { performance } from 'node:perf_hooks';
import type { EntityManager } from 'typeorm';
import type { TenantProvisioningService } from '../../src/tenancy/tenant-provisioning.service';
import type { BenchTenant } from './bench-routes';

/** More than one page (20), so every list reads a full page and also runs its count query. */
export const PROJECTS_PER_TENANT = 25;

export function benchSlug(index: number): string {
  return `bench-${String(index).padStart(5, '0')}`;
}

/** Gives the current tenant schema its projects, in one statement. */
export async function seedProjects(manager: EntityManager): Promise<void> {
  await manager.query(
    `INSERT INTO projects (name, created_at)
     SELECT 'Project ' || n, now() - n * interval '1 minute' FROM generate_series(1, $1) AS n`,
    [PROJECTS_PER_TENANT],
  );
}

export interface ProvisionProgress {
  done: number;
  total: number;
  perSecond: number;
}

/**
 * Provisions tenants `firstIndex`… through the real TenantProvisioningService, `concurrency` at a
 * time, each seeded with its projects in the provisioning transaction. Returns them in order.
 */
export async function provisionSeededTenants(
  provisioning: TenantProvisioningService,
  firstIndex: number,
  count: number,
  concurrency: number,
  onProgress: (progress: ProvisionProgress) => void,
): Promise<BenchTenant[]> {
  const slugs = Array.from({ length: count }, (_, offset) => benchSlug(firstIndex + offset));
  const tenants: BenchTenant[] = new Array<BenchTenant>(count);
  const startedAt = performance.now();
  const reportEvery = Math.max(1, Math.round(count / 10));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < slugs.length) {
      const index = next++;
      const slug = slugs[index];
      const { tenant } = await provisioning.provision({ slug, name: `Bench ${slug}` }, seedProjects);
      tenants[index] = { slug, schemaName: tenant.schemaName };
      done++;
      if (done % reportEvery === 0 || done === count) {
        onProgress({ done, total: count, perSecond: done / ((performance.now() - startedAt) / 1000) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return tenants;
}
