import type { TenantBillingState } from '../../tenancy/tenant-context';
import type { Plan, PlanCatalogue } from './plan-catalogue';

const DAY_MS = 86_400_000;
const PAYING_STATUSES = new Set(['active', 'trialing']);

export interface PlanResolutionRules {
  /** False without STRIPE_SECRET_KEY: every tenant is on the default plan. */
  billingEnabled: boolean;
  graceDays: number;
}

/**
 * The plan a tenant's subscription gives it now: `active` and `trialing` give the
 * subscribed plan; `past_due` keeps it for the grace period; anything else, or no subscription, falls
 * back to the default plan.
 */
export function resolvePlan(
  billing: TenantBillingState | undefined,
  catalogue: PlanCatalogue,
  rules: PlanResolutionRules,
  now = Date.now(),
): Plan {
  if (!rules.billingEnabled || !billing?.subscriptionStatus || !billing.stripePriceId)
    return catalogue.defaultPlan;
  const subscribed = catalogue.plans.find((plan) => plan.stripePriceId === billing.stripePriceId);
  if (!subscribed) return catalogue.defaultPlan;
  if (PAYING_STATUSES.has(billing.subscriptionStatus)) return subscribed;
  if (billing.subscriptionStatus === 'past_due') {
    const since = billing.pastDueSince?.getTime() ?? now;
    return now < since + rules.graceDays * DAY_MS ? subscribed : catalogue.defaultPlan;
  }
  return catalogue.defaultPlan;
}
