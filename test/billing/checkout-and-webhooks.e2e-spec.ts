import { DataSource } from 'typeorm';
import { tenantClient, signUp, queuedMails } from '../support/accounts';
import { stripeEvent, deliverWebhook } from '../support/fake-stripe.server';
import {
  type BillingWorld,
  deliver,
  PRO_PRICE,
  startBillingWorld,
  subscriptionEvent,
  tenantRow,
  tenantWithCustomer,
  WEBHOOK_SECRET,
} from './billing-support';

describe('Stripe billing', () => {
  let world: BillingWorld;
  beforeAll(async () => {
    world = await startBillingWorld();
  });
  afterAll(() => world.close());

  const eventCount = async () =>
    (
      await world.testApp.app
        .get(DataSource)
        .query<{ n: number }[]>('SELECT count(*)::int AS n FROM public.stripe_events')
    )[0].n;

  it('checkout → session completed + subscription created → pro: the audit log opens and the project limit rises', async () => {
    const account = await signUp(world.testApp.url);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);

    const gated = await client.get('/audit-log');
    expect(gated.status).toBe(402);
    expect(gated.body).toMatchObject({ code: 'FEATURE_NOT_IN_PLAN', details: { feature: 'audit_log' } });
    for (let i = 0; i < 3; i++) expect((await client.post('/projects', { name: `p${i}` })).status).toBe(201);
    const overFree = await client.post('/projects', { name: 'one too many' });
    expect(overFree.status).toBe(402);
    expect(overFree.body).toMatchObject({
      code: 'PLAN_LIMIT_REACHED',
      details: { limit: 'projects', used: 3 },
    });

    const checkout = await client.post('/billing/checkout', { plan: 'pro' });
    expect(checkout.status).toBe(201);
    expect(checkout.body.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const [customerCall] = world.stripe.requestsTo('POST', '/v1/customers');
    expect(customerCall.idempotencyKey).toBe(`tenant-customer-${account.tenant.id}`);
    const [sessionCall] = world.stripe.requestsTo('POST', '/v1/checkout/sessions').slice(-1);
    expect(sessionCall.params).toMatchObject({
      mode: 'subscription',
      client_reference_id: account.tenant.id,
      'line_items[0][price]': PRO_PRICE,
    });
    const customer = (await tenantRow(world, account.tenant.id)).stripe_customer_id as string;

    const subscription = { id: 'sub_checkout_1', customer, status: 'active', priceId: PRO_PRICE };
    world.stripe.setSubscription(subscription);
    const completed = stripeEvent('checkout.session.completed', {
      object: 'checkout.session',
      id: 'cs_done',
      client_reference_id: account.tenant.id,
      customer,
      subscription: subscription.id,
    });
    expect(await deliver(world, completed)).toEqual({ status: 200, body: { received: true } });
    expect((await deliver(world, subscriptionEvent('created', subscription))).status).toBe(200);

    const me = await client.get('/me');
    expect(me.body.tenant).toMatchObject({ plan: 'pro', features: ['audit_log', 'require_2fa'] });
    const audit = await client.get('/audit-log');
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((entry: { action: string }) => entry.action)).toEqual(
      expect.arrayContaining(
        ['plan.changed', 'project.created', 'auth.sign_in'].filter((a) => a !== 'auth.sign_in'),
      ),
    );
    expect(
      audit.body.items.find((entry: { action: string }) => entry.action === 'plan.changed'),
    ).toMatchObject({
      actorId: null,
      target: 'plan:free->pro',
    });
    expect((await client.post('/projects', { name: 'now allowed' })).status).toBe(201);
    const view = await client.get('/billing/subscription');
    expect(view.body).toMatchObject({ plan: 'pro', status: 'active', cancelAtPeriodEnd: false });
    expect(typeof view.body.currentPeriodEnd).toBe('string');
  });

  it('applies an event delivered twice once', async () => {
    const account = await tenantWithCustomer(world);
    const subscription = {
      id: 'sub_twice',
      customer: account.customer,
      status: 'active',
      priceId: PRO_PRICE,
    };
    world.stripe.setSubscription(subscription);
    const failed = stripeEvent('invoice.payment_failed', {
      object: 'invoice',
      customer: account.customer,
      amount_due: 2900,
      currency: 'usd',
      hosted_invoice_url: 'https://invoice.stripe.test/i/1',
      parent: { subscription_details: { subscription: subscription.id } },
    });
    const before = await eventCount();
    expect((await deliver(world, failed)).status).toBe(200);
    expect(await deliver(world, failed)).toEqual({ status: 200, body: { received: true } });
    expect(await eventCount()).toBe(before + 1);
    const mails = (await queuedMails(world.testApp.app, account.email)).filter(
      (m) => m.kind === 'payment-failed',
    );
    expect(mails).toHaveLength(1);
    expect(mails[0].content.data).toMatchObject({
      amountDue: '$29.00',
      hostedInvoiceUrl: 'https://invoice.stripe.test/i/1',
    });
  });

  it('never moves state backwards when updated events arrive newest-first', async () => {
    const account = await tenantWithCustomer(world);
    const id = 'sub_reordered';
    world.stripe.setSubscription({ id, customer: account.customer, status: 'active', priceId: PRO_PRICE });
    const now = Math.floor(Date.now() / 1000);
    const newest = subscriptionEvent('updated', { id, customer: account.customer, status: 'active' }, now);
    const older = subscriptionEvent(
      'updated',
      { id, customer: account.customer, status: 'past_due' },
      now - 60,
    );
    expect((await deliver(world, newest)).status).toBe(200);
    expect((await deliver(world, older)).status).toBe(200);
    const row = await tenantRow(world, account.tenant.id);
    expect(row).toMatchObject({
      subscription_status: 'active',
      plan: 'pro',
      billing_event_created: String(now),
    });
  });

  it('keeps a deletion when a stale update follows it', async () => {
    const account = await tenantWithCustomer(world);
    const id = 'sub_deleted';
    world.stripe.setSubscription({ id, customer: account.customer, status: 'active', priceId: PRO_PRICE });
    expect(
      (
        await deliver(
          world,
          subscriptionEvent('created', { id, customer: account.customer, status: 'active' }),
        )
      ).status,
    ).toBe(200);
    expect((await tenantRow(world, account.tenant.id)).plan).toBe('pro');

    world.stripe.setSubscription({ id, customer: account.customer, status: 'canceled', priceId: PRO_PRICE });
    const now = Math.floor(Date.now() / 1000);
    await deliver(
      world,
      subscriptionEvent('deleted', { id, customer: account.customer, status: 'canceled' }, now),
    );
    await deliver(
      world,
      subscriptionEvent('updated', { id, customer: account.customer, status: 'active' }, now - 30),
    );
    expect(await tenantRow(world, account.tenant.id)).toMatchObject({
      subscription_status: 'canceled',
      plan: 'free',
    });
  });

  it('answers 400 and changes nothing for a bad signature, a stale timestamp or malformed JSON', async () => {
    const account = await tenantWithCustomer(world);
    const id = 'sub_unsigned';
    world.stripe.setSubscription({ id, customer: account.customer, status: 'active', priceId: PRO_PRICE });
    const event = subscriptionEvent('created', { id, customer: account.customer, status: 'active' });
    const before = await eventCount();
    const attempts = [
      await deliverWebhook(world.testApp.url, event, 'whsec_wrong_secret'),
      await deliverWebhook(world.testApp.url, event, WEBHOOK_SECRET, {
        timestamp: Math.floor(Date.now() / 1000) - 600,
      }),
      await deliverWebhook(world.testApp.url, event, WEBHOOK_SECRET, { signature: 't=1,v1=deadbeef' }),
      await deliverWebhook(world.testApp.url, event, WEBHOOK_SECRET, { rawBody: '{"id": "evt_broken",' }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([400, 400, 400, 400]);
    expect(attempts.slice(0, 3).map((a) => a.body.code)).toEqual([
      'INVALID_SIGNATURE',
      'INVALID_SIGNATURE',
      'INVALID_SIGNATURE',
    ]);
    const missing = await fetch(`${world.testApp.url}/api/v1/billing/webhook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(event),
    });
    expect(missing.status).toBe(400);
    expect(await eventCount()).toBe(before);
    expect((await tenantRow(world, account.tenant.id)).plan).toBe('free');
  });

  it('acknowledges unknown event types and answers 500 when handling fails, so Stripe retries', async () => {
    expect(await deliver(world, stripeEvent('customer.tax_id.created', { object: 'tax_id' }))).toEqual({
      status: 200,
      body: { received: true },
    });
    const account = await tenantWithCustomer(world);
    const id = 'sub_retried';
    world.stripe.setSubscription({ id, customer: account.customer, status: 'active', priceId: PRO_PRICE });
    const event = subscriptionEvent('created', { id, customer: account.customer, status: 'active' });
    // More failures than the SDK's own retries.
    world.stripe.failNext(3);
    expect((await deliver(world, event)).status).toBe(500);
    expect((await tenantRow(world, account.tenant.id)).plan).toBe('free');
    expect((await deliver(world, event)).status).toBe(200);
    expect((await tenantRow(world, account.tenant.id)).plan).toBe('pro');
  });

  it('mails the owners when a trial is about to end', async () => {
    const account = await tenantWithCustomer(world);
    const id = 'sub_trial';
    const trialEnd = Math.floor(Date.now() / 1000) + 3 * 86_400;
    world.stripe.setSubscription({
      id,
      customer: account.customer,
      status: 'trialing',
      priceId: PRO_PRICE,
      trialEnd,
    });
    const event = stripeEvent('customer.subscription.trial_will_end', {
      object: 'subscription',
      id,
      customer: account.customer,
      status: 'trialing',
      trial_end: trialEnd,
    });
    expect((await deliver(world, event)).status).toBe(200);
    const [mail] = (await queuedMails(world.testApp.app, account.email)).filter(
      (m) => m.kind === 'trial-ending',
    );
    expect(mail).toMatchObject({ tenant_id: account.tenant.id });
    expect(mail.content.data.trialEndsAt).toBe(new Date(trialEnd * 1000).toISOString());
    expect((await tenantRow(world, account.tenant.id)).plan).toBe('pro');
  });

  it('opens the customer portal, or answers 409 NO_BILLING_ACCOUNT before any checkout', async () => {
    const fresh = await signUp(world.testApp.url);
    const noAccount = await tenantClient(world.testApp.url, fresh.tenant.slug, fresh.accessToken).post(
      '/billing/portal',
      {},
    );
    expect(noAccount.status).toBe(409);
    expect(noAccount.body.code).toBe('NO_BILLING_ACCOUNT');
    const account = await tenantWithCustomer(world);
    const returnUrl = `${world.testApp.config.http.publicUrl}/settings`;
    const portal = await tenantClient(world.testApp.url, account.tenant.slug, account.accessToken).post(
      '/billing/portal',
      { returnUrl },
    );
    expect(portal.status).toBe(201);
    expect(portal.body.url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    expect(world.stripe.requestsTo('POST', '/v1/billing_portal/sessions').at(-1)?.params).toMatchObject({
      customer: account.customer,
      return_url: returnUrl,
    });
  });

  it('refuses unknown plans and plans without a price', async () => {
    const account = await signUp(world.testApp.url);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    const unknown = await client.post('/billing/checkout', { plan: 'platinum' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('UNKNOWN_PLAN');
    expect((await client.post('/billing/checkout', { plan: 'free' })).status).toBe(400);
  });
});
