import { performance } from 'node:perf_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import type { TenantProvisioningService } from '../../src/tenancy/tenant-provisioning.service';
import { runInTenantSchema } from '../../src/tenancy/tenant-transaction';
import { benchAccount, type SignedUpOwner, signUp } from '../support/bench-accounts';
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
 * Runs `task` for indexes 0…count-1, `concurrency` at a time, reporting progress about ten times;
 * returns the results in index order.
 */
async function concurrently<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
  onProgress: (progress: ProvisionProgress) => void,
): Promise<T[]> {
  const results = new Array<T>(count);
  const startedAt = performance.now();
  const reportEvery = Math.max(1, Math.round(count / 10));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
      done++;
      if (done % reportEvery === 0 || done === count) {
        onProgress({ done, total: count, perSecond: done / ((performance.now() - startedAt) / 1000) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/**
 * Provisions tenants `firstIndex`… through the real TenantProvisioningService, `concurrency` at a
 * time, each seeded with its projects in the provisioning transaction. Returns them in order.
 */
export function provisionSeededTenants(
  provisioning: TenantProvisioningService,
  firstIndex: number,
  count: number,
  concurrency: number,
  onProgress: (progress: ProvisionProgress) => void,
): Promise<BenchTenant[]> {
  return concurrently(
    count,
    concurrency,
    async (offset) => {
      const slug = benchSlug(firstIndex + offset);
      const { tenant } = await provisioning.provision({ slug, name: `Bench ${slug}` }, seedProjects);
      return { slug, schemaName: tenant.schemaName };
    },
    onProgress,
  );
}

/** A tenant with an owner who can call its routes. */
export interface ActiveBenchTenant extends BenchTenant, SignedUpOwner {}

/**
 * Signs tenants `firstIndex`… up through the API at `url` (the real signup, which provisions them and
 * issues their owners' tokens), `concurrency` at a time, then seeds each with its projects.
 */
export function signUpSeededTenants(
  url: string,
  dataSource: DataSource,
  firstIndex: number,
  count: number,
  concurrency: number,
  onProgress: (progress: ProvisionProgress) => void,
): Promise<ActiveBenchTenant[]> {
  return concurrently(
    count,
    concurrency,
    async (offset) => {
      const slug = benchSlug(firstIndex + offset);
      const accessToken = await signUp(url, benchAccount(slug));
      const [{ schemaName }] = await dataSource.query<{ schemaName: string }[]>(
        `SELECT schema_name AS "schemaName" FROM public.tenants WHERE slug = $1`,
        [slug],
      );
      await runInTenantSchema(dataSource, schemaName, seedProjects);
      return { slug, schemaName, accessToken };
    },
    onProgress,
  );
}
