import type { TenantBillingState } from '../../tenancy/tenant-context';
import { PlanCatalogue } from './plan-catalogue';
import { resolvePlan } from './plan-resolution';

const limits = { members: 3, requestsPerMinute: 60 };
const catalogue = PlanCatalogue.parse(
  {
    plans: [
      { id: 'free', name: 'Free', stripePriceId: null, features: [], limits },
      { id: 'pro', name: 'Pro', stripePriceId: 'price_pro_monthly', features: ['audit_log'], limits },
    ],
  },
  'test.json',
  'free',
  [],
);
const pro = catalogue.get('pro');
const rules = { billingEnabled: true, graceDays: 7 };
const now = Date.parse('2026-11-25T12:00:00Z');
const DAY = 86_400_000;

const billing = (overrides: Partial<TenantBillingState>): TenantBillingState => ({
  stripePriceId: pro.stripePriceId,
  subscriptionStatus: 'active',
  pastDueSince: null,
  currentPeriodEnd: null,
  trialEnd: null,
  cancelAtPeriodEnd: false,
  ...overrides,
});

describe('resolvePlan', () => {
  it.each(['active', 'trialing'])('gives the subscribed plan while %s', (status) => {
    expect(resolvePlan(billing({ subscriptionStatus: status }), catalogue, rules, now).id).toBe('pro');
  });

  it.each(['incomplete', 'incomplete_expired', 'paused', 'unpaid', 'canceled', 'something_new'])(
    'falls back to free when %s',
    (status) => {
      expect(resolvePlan(billing({ subscriptionStatus: status }), catalogue, rules, now).id).toBe('free');
    },
  );

  it('keeps the plan while past_due inside the grace period, and not after it', () => {
    const inside = billing({ subscriptionStatus: 'past_due', pastDueSince: new Date(now - 6 * DAY) });
    const after = billing({ subscriptionStatus: 'past_due', pastDueSince: new Date(now - 8 * DAY) });
    expect(resolvePlan(inside, catalogue, rules, now).id).toBe('pro');
    expect(resolvePlan(after, catalogue, rules, now).id).toBe('free');
  });

  it('puts tenants without a subscription, or with an unknown price, on the default plan', () => {
    expect(resolvePlan(undefined, catalogue, rules, now).id).toBe('free');
    expect(resolvePlan(billing({ subscriptionStatus: null }), catalogue, rules, now).id).toBe('free');
    expect(resolvePlan(billing({ stripePriceId: 'price_unknown' }), catalogue, rules, now).id).toBe('free');
  });

  it('puts everyone on the default plan when billing is not configured', () => {
    expect(resolvePlan(billing({}), catalogue, { ...rules, billingEnabled: false }, now).id).toBe('free');
  });
});
