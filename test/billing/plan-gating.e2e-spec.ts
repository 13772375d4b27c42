import { DataSource } from 'typeorm';
import { signUp, tenantClient } from '../support/accounts';
import { startTestApp } from '../support/test-app';
import {
  type BillingWorld,
  deliver,
  forgetCachedTenant,
  PRO_PRICE,
  startBillingWorld,
  subscriptionEvent,
  tenantWithCustomer,
} from './billing-support';

describe('plan gating', () => {
  let world: BillingWorld;
  beforeAll(async () => {
    world = await startBillingWorld();
  });
  afterAll(() => world.close());

  async function proTenant(subscriptionId: string) {
    const account = await tenantWithCustomer(world);
    world.stripe.setSubscription({
      id: subscriptionId,
      customer: account.customer,
      status: 'active',
      priceId: PRO_PRICE,
    });
    await deliver(
      world,
      subscriptionEvent('created', { id: subscriptionId, customer: account.customer, status: 'active' }),
    );
    return account;
  }

  it('keeps pro while past_due inside the grace period, and drops to free after it', async () => {
    const account = await proTenant('sub_grace');
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    world.stripe.setSubscription({
      id: 'sub_grace',
      customer: account.customer,
      status: 'past_due',
      priceId: PRO_PRICE,
    });
    await deliver(
      world,
      subscriptionEvent('updated', { id: 'sub_grace', customer: account.customer, status: 'past_due' }),
    );
    expect((await client.get('/me')).body.tenant.plan).toBe('pro');
    expect((await client.get('/audit-log')).status).toBe(200);

    await world.testApp.app
      .get(DataSource)
      .query(`UPDATE public.tenants SET past_due_since = now() - interval '8 days' WHERE id = $1`, [
        account.tenant.id,
      ]);
    forgetCachedTenant(world, account.tenant.slug);
    expect((await client.get('/me')).body.tenant.plan).toBe('free');
    expect((await client.get('/audit-log')).status).toBe(402);
  });

  it('falls back to free on cancel: no new project over the free limit, existing ones stay readable', async () => {
    const account = await proTenant('sub_cancel');
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    for (let i = 0; i < 5; i++)
      expect((await client.post('/projects', { name: `pro project ${i}` })).status).toBe(201);

    world.stripe.setSubscription({
      id: 'sub_cancel',
      customer: account.customer,
      status: 'canceled',
      priceId: PRO_PRICE,
    });
    await deliver(
      world,
      subscriptionEvent('deleted', { id: 'sub_cancel', customer: account.customer, status: 'canceled' }),
    );
    expect((await client.get('/me')).body.tenant.plan).toBe('free');
    const refused = await client.post('/projects', { name: 'over the free limit' });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({
      code: 'PLAN_LIMIT_REACHED',
      details: { limit: 'projects', used: 5 },
    });
    const list = await client.get('/projects');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(5);
    const first = list.body.items[0] as { id: string };
    expect((await client.get(`/projects/${first.id}`)).status).toBe(200);
  });

  it('lets exactly the limit through when creates race at it', async () => {
    const account = await signUp(world.testApp.url);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    expect((await client.post('/projects', { name: 'first' })).status).toBe(201);
    const racing = await Promise.all(
      Array.from({ length: 6 }, (_, i) => client.post('/projects', { name: `racer ${i}` })),
    );
    expect(racing.filter((r) => r.status === 201)).toHaveLength(2);
    expect(racing.filter((r) => r.status === 402)).toHaveLength(4);
    expect((await client.get('/projects')).body.total).toBe(3);
  });

  it('counts pending invitations against the member limit', async () => {
    const account = await signUp(world.testApp.url);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    expect((await client.post('/invitations', { email: 'one@example.com', role: 'member' })).status).toBe(
      201,
    );
    expect((await client.post('/invitations', { email: 'two@example.com', role: 'member' })).status).toBe(
      201,
    );
    const third = await client.post('/invitations', { email: 'three@example.com', role: 'member' });
    expect(third.status).toBe(402);
    expect(third.body).toMatchObject({ code: 'PLAN_LIMIT_REACHED', details: { limit: 'members', used: 3 } });
  });
});

describe('billing without STRIPE_SECRET_KEY', () => {
  it('answers 503 BILLING_NOT_CONFIGURED and keeps every tenant on the default plan', async () => {
    const testApp = await startTestApp();
    try {
      const account = await signUp(testApp.url);
      const client = tenantClient(testApp.url, account.tenant.slug, account.accessToken);
      for (const response of [
        await client.get('/billing/subscription'),
        await client.post('/billing/checkout', { plan: 'pro' }),
        await client.post('/billing/portal', {}),
      ]) {
        expect(response.status).toBe(503);
        expect(response.body.code).toBe('BILLING_NOT_CONFIGURED');
      }
      const webhook = await fetch(`${testApp.url}/api/v1/billing/webhook`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(webhook.status).toBe(503);
      expect((await client.get('/me')).body.tenant.plan).toBe('free');
      const plans = await fetch(`${testApp.url}/api/v1/plans`);
      expect(((await plans.json()) as { id: string }[]).map((plan) => plan.id)).toEqual(['free', 'pro']);
    } finally {
      await testApp.close();
    }
  });
});
