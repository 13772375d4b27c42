import type Stripe from 'stripe';
import type { Tenant } from '../../tenancy/tenant.entity';

export type SubscriptionColumns = Pick<
  Tenant,
  | 'stripeSubscriptionId'
  | 'stripePriceId'
  | 'subscriptionStatus'
  | 'currentPeriodEnd'
  | 'cancelAtPeriodEnd'
  | 'trialEnd'
  | 'pastDueSince'
>;

const fromUnix = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000) : null);

/**
 * The tenant columns for a subscription as Stripe has it now. The period end is read from the item
 * (API versions from 2025-03-31 keep it there). `past_due` keeps the time it started, for the grace period.
 */
export function subscriptionColumns(
  subscription: Stripe.Subscription,
  previous: Pick<Tenant, 'subscriptionStatus' | 'pastDueSince'>,
  now: Date,
): SubscriptionColumns {
  const item = subscription.items.data[0];
  const pastDue = subscription.status === 'past_due';
  return {
    stripeSubscriptionId: subscription.id,
    stripePriceId: item?.price.id ?? null,
    subscriptionStatus: subscription.status,
    currentPeriodEnd: fromUnix(item?.current_period_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    trialEnd: fromUnix(subscription.trial_end),
    pastDueSince: pastDue ? (previous.subscriptionStatus === 'past_due' ? previous.pastDueSince : now) : null,
  };
}

export function customerIdOf(customer: string | { id: string } | null): string | null {
  return typeof customer === 'string' ? customer : (customer?.id ?? null);
}

/** The subscription an invoice belongs to (under `parent` from API version 2025-03-31 on). */
export function subscriptionIdOfInvoice(invoice: Stripe.Invoice): string | null {
  const subscription = invoice.parent?.subscription_details?.subscription;
  return typeof subscription === 'string' ? subscription : (subscription?.id ?? null);
}
