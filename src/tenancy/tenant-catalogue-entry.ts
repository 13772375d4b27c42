import type { CurrentTenant } from './tenant-context';
import type { Tenant } from './tenant.entity';

export function toCurrentTenant(tenant: Tenant): CurrentTenant {
  const { id, slug, name, schemaName, status, plan, require2fa } = tenant;
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
  return Object.freeze({ id, slug, name, schemaName, status, plan, require2fa, billing });
}
