import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { CurrentTenant } from '../../src/tenancy/tenant-context';
import { TenantProvisioningService } from '../../src/tenancy/tenant-provisioning.service';

/** A slug no other test uses: `t` + 10 hex digits. */
export function uniqueSlug(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/** Provisions a tenant through the app's own provisioning service. */
export async function createTenant(app: INestApplication, slug = uniqueSlug()): Promise<CurrentTenant> {
  const { tenant } = await app.get(TenantProvisioningService).provision({ slug, name: `Tenant ${slug}` });
  return tenant;
}
