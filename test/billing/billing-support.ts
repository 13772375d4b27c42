import { DataSource } from 'typeorm';
import { TenantCatalogue } from '../../src/tenancy/tenant-catalogue';
import { signUp, tenantClient, type SignedUpAccount } from '../support/accounts';
import { FakeStripeServer, stripeEvent, deliverWebhook } from '../support/fake-stripe.server';
import { startTestApp, type TestApp } from '../support/test-app';

export const WEBHOOK_SECRET = 'whsec_test_secret_for_the_fake';
export const PRO_PRICE = 'price_pro_monthly';

export interface BillingWorld {
  testApp: TestApp;
  stripe: FakeStripeServer;
  close(): Promise<void>;
}

/** The app on a fresh database, its Stripe client pointed at a fake Stripe; `env` on top. */
export async function startBillingWorld(env: Record<string, string> = {}): Promise<BillingWorld> {
  const stripe = new FakeStripeServer();
  const { host, port } = await stripe.start();
  const testApp = await startTestApp({
    env: {
      STRIPE_SECRET_KEY: 'sk_test_fake',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_HOST: host,
      STRIPE_API_PORT: String(port),
      STRIPE_API_PROTOCOL: 'http',
      ...env,
    },
  });
  return {
    testApp,
    stripe,
    async close() {
      await testApp.close();
      await stripe.close();
    },
  };
}

/** Signs up a tenant and runs a checkout for pro, so it has a Stripe customer. */
export async function tenantWithCustomer(
  world: BillingWorld,
): Promise<SignedUpAccount & { customer: string }> {
  const account = await signUp(world.testApp.url);
  const checkout = await tenantClient(world.testApp.url, account.tenant.slug, account.accessToken).post(
    '/billing/checkout',
    { plan: 'pro' },
  );
  if (checkout.status !== 201)
    throw new Error(`checkout failed: ${checkout.status} ${JSON.stringify(checkout.body)}`);
  const customer = (await tenantRow(world, account.tenant.id)).stripe_customer_id;
  if (!customer) throw new Error('checkout stored no customer');
  return { ...account, customer };
}

export async function tenantRow(world: BillingWorld, tenantId: string) {
  const [row] = await world.testApp.app.get(DataSource).query<
    {
      plan: string;
      stripe_customer_id: string | null;
      stripe_subscription_id: string | null;
      subscription_status: string | null;
      billing_event_created: string | null;
    }[]
  >(`SELECT * FROM public.tenants WHERE id = $1`, [tenantId]);
  return row;
}

export function subscriptionEvent(
  type: 'created' | 'updated' | 'deleted',
  subscription: { id: string; customer: string; status: string },
  created?: number,
) {
  return stripeEvent(`customer.subscription.${type}`, { object: 'subscription', ...subscription }, created);
}

export const deliver = (world: BillingWorld, event: unknown) =>
  deliverWebhook(world.testApp.url, event, WEBHOOK_SECRET);

/** Forgets the cached tenant, as another process's invalidation would. */
export function forgetCachedTenant(world: BillingWorld, slug: string): void {
  world.testApp.app.get(TenantCatalogue).invalidate(slug);
}
