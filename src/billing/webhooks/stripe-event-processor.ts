import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig, type AppConfig } from '../../config';
import { MailOutbox } from '../../mail/outbox/mail-outbox';
import type { MailContent } from '../../mail/mail.types';
import { TenantCatalogue } from '../../tenancy/tenant-catalogue';
import { Tenant } from '../../tenancy/tenant.entity';
import { PlanChangeListeners } from '../plan-change-listeners';
import { PlanCatalogue } from '../plans/plan-catalogue';
import { resolvePlan } from '../plans/plan-resolution';
import { STRIPE_CLIENT } from '../stripe/stripe-client';
import { customerIdOf, subscriptionColumns, subscriptionIdOfInvoice } from './subscription-state';

const LIVE_STATUSES = new Set(['active', 'trialing', 'past_due', 'unpaid', 'paused']);

function formatAmount(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(
    cents / 100,
  );
}

/**
 * Applies one verified Stripe event. The event id is recorded in the same transaction as its effect,
 * so a repeat delivery is skipped and a failed one is retried by Stripe, never lost. Subscription state
 * is re-fetched from Stripe while the tenant row is locked, so events handled out of order, or twice,
 * can only ever write the newest state.
 */
@Injectable()
export class StripeEventProcessor {
  private readonly logger = new Logger(StripeEventProcessor.name);

  constructor(
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe,
    private readonly dataSource: DataSource,
    private readonly catalogue: PlanCatalogue,
    private readonly tenants: TenantCatalogue,
    private readonly mailOutbox: MailOutbox,
    private readonly planChanges: PlanChangeListeners,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async process(event: Stripe.Event): Promise<void> {
    const changedTenant = await this.dataSource.transaction(async (manager) => {
      const recorded = await manager.query<{ id: string }[]>(
        `INSERT INTO public.stripe_events (id, type, created) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [event.id, event.type, event.created],
      );
      if (recorded.length === 0) return undefined;
      return this.apply(manager, event);
    });
    if (changedTenant) this.tenants.invalidate(changedTenant.slug);
  }

  private async apply(manager: EntityManager, event: Stripe.Event): Promise<Tenant | undefined> {
    switch (event.type) {
      case 'checkout.session.completed': {
        const session = event.data.object;
        const tenant = session.client_reference_id
          ? await this.lockTenant(manager, { id: session.client_reference_id })
          : undefined;
        if (!tenant) return this.unmatched(event);
        const customer = customerIdOf(session.customer);
        if (customer && !tenant.stripeCustomerId) tenant.stripeCustomerId = customer;
        const subscription =
          typeof session.subscription === 'string' ? session.subscription : session.subscription?.id;
        return this.syncSubscription(manager, tenant, subscription ?? null, event);
      }
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted': {
        const subscription = event.data.object;
        const tenant = await this.tenantOfCustomer(manager, subscription.customer, subscription.metadata);
        return tenant
          ? this.syncSubscription(manager, tenant, subscription.id, event)
          : this.unmatched(event);
      }
      case 'invoice.paid':
      case 'invoice.payment_failed': {
        const invoice = event.data.object;
        const tenant = await this.tenantOfCustomer(manager, invoice.customer, {});
        if (!tenant) return this.unmatched(event);
        if (event.type === 'invoice.payment_failed') {
          await this.mailOwners(manager, tenant, {
            kind: 'payment-failed',
            data: {
              tenantSlug: tenant.slug,
              amountDue: formatAmount(invoice.amount_due, invoice.currency),
              ...(invoice.hosted_invoice_url ? { hostedInvoiceUrl: invoice.hosted_invoice_url } : {}),
            },
          });
        }
        return this.syncSubscription(manager, tenant, subscriptionIdOfInvoice(invoice), event);
      }
      case 'customer.subscription.trial_will_end': {
        const subscription = event.data.object;
        const tenant = await this.tenantOfCustomer(manager, subscription.customer, subscription.metadata);
        if (!tenant) return this.unmatched(event);
        const trialEnd = new Date((subscription.trial_end ?? event.created) * 1000).toISOString();
        await this.mailOwners(manager, tenant, {
          kind: 'trial-ending',
          data: { tenantSlug: tenant.slug, trialEndsAt: trialEnd },
        });
        return this.syncSubscription(manager, tenant, subscription.id, event);
      }
      default:
        return undefined;
    }
  }

  /**
   * Re-fetches the subscription (the HTTP call holds the tenant's row lock on purpose: it orders the
   * fetches of concurrent events) and writes it, unless it is a dead subscription the tenant has
   * already replaced with a live one.
   */
  private async syncSubscription(
    manager: EntityManager,
    tenant: Tenant,
    subscriptionId: string | null,
    event: Stripe.Event,
  ): Promise<Tenant> {
    const before = this.planOf(tenant);
    if (subscriptionId) {
      const subscription = await this.stripe.subscriptions.retrieve(subscriptionId);
      const replacesCurrent =
        !tenant.stripeSubscriptionId ||
        tenant.stripeSubscriptionId === subscription.id ||
        LIVE_STATUSES.has(subscription.status) ||
        !LIVE_STATUSES.has(tenant.subscriptionStatus ?? '');
      if (replacesCurrent) Object.assign(tenant, subscriptionColumns(subscription, tenant, new Date()));
    }
    tenant.billingEventCreated = Math.max(tenant.billingEventCreated ?? 0, event.created);
    tenant.plan = this.planOf(tenant);
    await manager.save(tenant);
    if (tenant.plan !== before) {
      await this.planChanges.notify(manager, {
        tenantId: tenant.id,
        schemaName: tenant.schemaName,
        from: before,
        to: tenant.plan,
        eventId: event.id,
      });
    }
    return tenant;
  }

  private planOf(tenant: Tenant): string {
    return resolvePlan(tenant, this.catalogue, {
      billingEnabled: true,
      graceDays: this.config.billing.graceDays,
    }).id;
  }

  private lockTenant(manager: EntityManager, where: { id: string } | { stripeCustomerId: string }) {
    return manager
      .findOne(Tenant, { where, lock: { mode: 'pessimistic_write' } })
      .then((tenant) => tenant ?? undefined);
  }

  private async tenantOfCustomer(
    manager: EntityManager,
    customer: string | { id: string } | null,
    metadata: Record<string, string> | null,
  ): Promise<Tenant | undefined> {
    const customerId = customerIdOf(customer);
    const byCustomer = customerId
      ? await this.lockTenant(manager, { stripeCustomerId: customerId })
      : undefined;
    if (byCustomer) return byCustomer;
    const tenantId = metadata?.tenantId;
    return tenantId && /^[0-9a-f-]{36}$/i.test(tenantId)
      ? this.lockTenant(manager, { id: tenantId })
      : undefined;
  }

  private async mailOwners(manager: EntityManager, tenant: Tenant, content: MailContent): Promise<void> {
    const owners = await manager.query<{ email: string }[]>(
      `SELECT i.email FROM "${tenant.schemaName}".memberships m JOIN public.identities i ON i.id = m.identity_id
       WHERE m.role = 'owner' ORDER BY m.created_at`,
    );
    for (const owner of owners)
      await this.mailOutbox.enqueue(manager, { tenantId: tenant.id, to: owner.email, content });
  }

  private unmatched(event: Stripe.Event): undefined {
    this.logger.warn(`Stripe event ${event.id} (${event.type}) matches no tenant; acknowledged and ignored`);
    return undefined;
  }
}
