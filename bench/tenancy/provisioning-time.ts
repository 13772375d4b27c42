import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { runInTenantSchema } from '../../src/tenancy/tenant-transaction';
import type { TenantProvisioningService } from '../../src/tenancy/tenant-provisioning.service';
import { round, summarizeLatencies } from '../support/stats';
import type { BenchTenant } from './bench-routes';
import { benchSlug, seedProjects } from './bench-tenants';

export interface ProvisioningTimes {
  tenants: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  maxMs: number;
}

/**
 * Provisions tenants one after another through the real service, timing each call alone (catalogue
 * row, schema, every tenant migration, commit). Their projects are added afterwards, untimed.
 */
export async function timeSequentialProvisioning(
  provisioning: TenantProvisioningService,
  dataSource: DataSource,
  firstIndex: number,
  count: number,
): Promise<{ times: ProvisioningTimes; tenants: BenchTenant[] }> {
  const durations: number[] = [];
  const created: BenchTenant[] = [];
  for (let index = firstIndex; index < firstIndex + count; index++) {
    const slug = benchSlug(index);
    const startedAt = performance.now();
    const { tenant } = await provisioning.provision({ slug, name: `Bench ${slug}` });
    durations.push(performance.now() - startedAt);
    created.push({ slug, schemaName: tenant.schemaName });
  }
  for (const { schemaName } of created) await runInTenantSchema(dataSource, schemaName, seedProjects);
  const summary = summarizeLatencies(durations);
  return {
    times: {
      tenants: count,
      p50Ms: round(summary.p50, 1),
      p95Ms: round(summary.p95, 1),
      meanMs: round(summary.mean, 1),
      maxMs: round(summary.max, 1),
    },
    tenants: created,
  };
}
