import type { CurrentTenant } from './tenant-context';
import type { Tenant } from './tenant.entity';

/** A CurrentTenant as JSON: dates as ISO strings. */
export type SharedTenantEntry = Omit<CurrentTenant, 'billing'> & {
  billing?: Omit<NonNullable<CurrentTenant['billing']>, 'pastDueSince' | 'currentPeriodEnd' | 'trialEnd'> & {
    pastDueSince: string | null;
    currentPeriodEnd: string | null;
    trialEnd: string | null;
  };
};

export function toCurrentTenant(tenant: Tenant): CurrentTenant {
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

export function toSharedEntry(tenant: CurrentTenant): SharedTenantEntry {
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

export function fromSharedEntry(entry: SharedTenantEntry): CurrentTenant {
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
