import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource, IsNull } from 'typeorm';
import { InjectConfig, type AppConfig } from '../config';
import { TenantContext } from '../tenancy/tenant-context';
import { Tenant } from '../tenancy/tenant.entity';
import {
  BillingNotConfiguredException,
  NoBillingAccountException,
  UnknownPlanException,
} from './billing.errors';
import type { CheckoutDto, PortalDto, RedirectDto, SubscriptionDto } from './dto/billing.dto';
import { CurrentPlan } from './plans/current-plan';
import { PlanCatalogue } from './plans/plan-catalogue';
import { STRIPE_CLIENT } from './stripe/stripe-client';

/** Checkout and customer-portal sessions for the current tenant, and its subscription as applied. */
@Injectable()
export class BillingService {
  constructor(
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
    private readonly dataSource: DataSource,
    private readonly tenantContext: TenantContext,
    private readonly catalogue: PlanCatalogue,
    private readonly currentPlan: CurrentPlan,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async checkout(input: CheckoutDto): Promise<RedirectDto> {
    const stripe = this.requireStripe();
    const price = this.catalogue.find(input.plan)?.stripePriceId;
    if (!price) throw new UnknownPlanException(input.plan);
    const customer = await this.customerOfCurrentTenant(stripe);
    const tenant = this.tenantContext.tenant;
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer,
      client_reference_id: tenant.id,
      line_items: [{ price, quantity: 1 }],
      subscription_data: { metadata: { tenantId: tenant.id } },
      success_url: input.successUrl ?? this.billingPageUrl('checkout=success'),
      cancel_url: input.cancelUrl ?? this.billingPageUrl('checkout=cancelled'),
    });
    if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
    return { url: session.url };
  }

  async portal(input: PortalDto): Promise<RedirectDto> {
    const stripe = this.requireStripe();
    const tenant = await this.dataSource
      .getRepository(Tenant)
      .findOneByOrFail({ id: this.tenantContext.tenant.id });
    if (!tenant.stripeCustomerId) throw new NoBillingAccountException();
    const session = await stripe.billingPortal.sessions.create({
      customer: tenant.stripeCustomerId,
      return_url: input.returnUrl ?? this.billingPageUrl(),
    });
    return { url: session.url };
  }

  subscription(): SubscriptionDto {
    this.requireStripe();
    const billing = this.tenantContext.tenant.billing;
    return {
      plan: this.currentPlan.plan.id,
      status: billing?.subscriptionStatus ?? null,
      currentPeriodEnd: billing?.currentPeriodEnd?.toISOString() ?? null,
      cancelAtPeriodEnd: billing?.cancelAtPeriodEnd ?? false,
      trialEnd: billing?.trialEnd?.toISOString() ?? null,
    };
  }

  /**
   * The tenant's Stripe customer, created on first use. The idempotency key is the tenant's, so two
   * checkouts started at once get the same customer from Stripe.
   */
  private async customerOfCurrentTenant(stripe: Stripe): Promise<string> {
    const { id, name, slug } = this.tenantContext.tenant;
    const tenants = this.dataSource.getRepository(Tenant);
    const stored = (await tenants.findOneByOrFail({ id })).stripeCustomerId;
    if (stored) return stored;
    const customer = await stripe.customers.create(
      { name, metadata: { tenantId: id, tenantSlug: slug } },
      { idempotencyKey: `tenant-customer-${id}` },
    );
    await tenants.update({ id, stripeCustomerId: IsNull() }, { stripeCustomerId: customer.id });
    return customer.id;
  }

  private requireStripe(): Stripe {
    if (!this.stripe) throw new BillingNotConfiguredException();
    return this.stripe;
  }

  private billingPageUrl(query?: string): string {
    const url = new URL('/settings/billing', `${this.config.http.publicUrl}/`);
    url.searchParams.set('tenant', this.tenantContext.tenant.slug);
    if (query) for (const [key, value] of new URLSearchParams(query)) url.searchParams.set(key, value);
    return url.toString();
  }
}
