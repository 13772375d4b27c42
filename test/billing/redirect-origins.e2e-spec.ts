import { signUp, tenantClient } from '../support/accounts';
import { type BillingWorld, startBillingWorld, tenantWithCustomer } from './billing-support';

const APP_URL = 'https://app.example.com';
const SHOP = 'https://shop.example.org';

/** URLs that look like the app's but send the customer elsewhere, and plain foreign ones. */
const FOREIGN_URLS = [
  'https://evil.test/phish',
  'https://app.example.com.evil.test/settings/billing',
  'https://app.example.com@evil.test/settings/billing',
  'https://app.example.com:secret@evil.test/',
  'http://app.example.com/settings/billing',
  'https://app.example.com:8443/settings/billing',
  'https://evil.test\\@app.example.com/',
];

/**
 * Checkout and the customer portal send the customer's browser to the URLs given: only the app's own
 * origin (APP_URL) and BILLING_REDIRECT_ORIGINS may be among them, or Stripe becomes an open redirect.
 */
describe('billing redirect URLs', () => {
  let world: BillingWorld;
  beforeAll(async () => {
    world = await startBillingWorld({ APP_URL, BILLING_REDIRECT_ORIGINS: SHOP });
  });
  afterAll(() => world.close());

  const checkoutSessions = () => world.stripe.requestsTo('POST', '/v1/checkout/sessions');
  const portalSessions = () => world.stripe.requestsTo('POST', '/v1/billing_portal/sessions');

  it.each(['successUrl', 'cancelUrl'])('refuses a checkout %s off the allowed origins', async (field) => {
    const account = await signUp(world.testApp.url);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    const sessionsBefore = checkoutSessions().length;
    for (const url of FOREIGN_URLS) {
      const response = await client.post('/billing/checkout', { plan: 'pro', [field]: url });
      expect({ url, status: response.status, code: response.body.code }).toEqual({
        url,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(response.body.details).toEqual([{ field, message: expect.any(String) }]);
    }
    expect(checkoutSessions()).toHaveLength(sessionsBefore);
  });

  it('refuses a portal returnUrl off the allowed origins', async () => {
    const account = await tenantWithCustomer(world);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    const sessionsBefore = portalSessions().length;
    for (const url of FOREIGN_URLS) {
      const response = await client.post('/billing/portal', { returnUrl: url });
      expect({ url, status: response.status, code: response.body.code }).toEqual({
        url,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(response.body.details).toEqual([{ field: 'returnUrl', message: expect.any(String) }]);
    }
    expect(portalSessions()).toHaveLength(sessionsBefore);
  });

  it('names every refused field at once', async () => {
    const account = await signUp(world.testApp.url);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    const response = await client.post('/billing/checkout', {
      plan: 'pro',
      successUrl: 'https://evil.test/ok',
      cancelUrl: 'https://evil.test/cancel',
    });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([
      { field: 'successUrl', message: expect.stringContaining(`${APP_URL}, ${SHOP}`) },
      { field: 'cancelUrl', message: expect.stringContaining(`${APP_URL}, ${SHOP}`) },
    ]);
  });

  it("passes URLs on APP_URL's origin and on BILLING_REDIRECT_ORIGINS to Stripe", async () => {
    const account = await tenantWithCustomer(world);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    const successUrl = `${APP_URL}/settings/billing?checkout=done`;
    const cancelUrl = `${SHOP}/cart`;
    const checkout = await client.post('/billing/checkout', { plan: 'pro', successUrl, cancelUrl });
    expect(checkout.status).toBe(201);
    expect(checkoutSessions().at(-1)?.params).toMatchObject({
      success_url: successUrl,
      cancel_url: cancelUrl,
    });

    const returnUrl = `${SHOP}/account`;
    const portal = await client.post('/billing/portal', { returnUrl });
    expect(portal.status).toBe(201);
    expect(portalSessions().at(-1)?.params).toMatchObject({ return_url: returnUrl });
  });

  it('defaults to the billing page under APP_URL when no URL is given', async () => {
    const account = await tenantWithCustomer(world);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    expect((await client.post('/billing/portal', {})).status).toBe(201);
    expect(portalSessions().at(-1)?.params.return_url).toBe(
      `${APP_URL}/settings/billing?tenant=${account.tenant.slug}`,
    );
  });
});
