import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TenantLifecycleService } from '../../src/tenancy/tenant-lifecycle.service';
import { signUp, tenantClient, type SignedUpAccount } from '../support/accounts';
import { deliverWebhook, FakeStripeServer, stripeEvent } from '../support/fake-stripe.server';
import { startTestApp, type TestApp } from '../support/test-app';
import { uniqueSlug } from '../support/tenants';
import { waitFor } from '../support/wait-for';
import {
  type Answer,
  countStatuses,
  getAs,
  plansFile,
  PRO_PRICE,
  randomIpv4,
  rateLimitedEnv,
} from './rate-limit-support';

const WEBHOOK_SECRET = 'whsec_rate_limit_test';

/** Two API processes (two apps, two ports) on one database and one Redis, tenants at 50 requests/min. */
describe('Per-tenant rate limits across API processes', () => {
  let stripe: FakeStripeServer;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    stripe = new FakeStripeServer();
    const { host, port } = await stripe.start();
    const env = rateLimitedEnv({
      PLANS_FILE: plansFile({ free: 50, pro: 600 }),
      // Far longer than any test: only the cross-process invalidation can explain a change seen in time.
      TENANT_CACHE_TTL_MS: '600000',
      RATE_LIMIT_PUBLIC_PER_IP_PER_MINUTE: '1000',
      STRIPE_SECRET_KEY: 'sk_test_fake',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_HOST: host,
      STRIPE_API_PORT: String(port),
      STRIPE_API_PROTOCOL: 'http',
    });
    first = await startTestApp({ env });
    second = await startTestApp({ env, databaseName: first.databaseName });
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
    await stripe?.close();
  });

  const processes = () => [first, second];

  /** `count` GETs of /projects, alternating between the processes, `concurrency` at a time. */
  async function burst(account: SignedUpAccount, count: number, concurrency = 25): Promise<Answer[]> {
    const answers: Answer[] = [];
    for (let start = 0; start < count; start += concurrency) {
      const batch = Array.from({ length: Math.min(concurrency, count - start) }, (_, i) =>
        getAs(processes()[(start + i) % 2].url, account.tenant.slug, account.accessToken),
      );
      answers.push(...(await Promise.all(batch)));
    }
    return answers;
  }

  it('shares one budget exactly: of 200 requests over both processes, 50 succeed and 150 get 429 RATE_LIMITED with Retry-After', async () => {
    const account = await signUp(first.url);
    const answers = await burst(account, 200);

    expect(countStatuses(answers)).toEqual({ 200: 50, 429: 150 });
    const ok = answers.filter((answer) => answer.status === 200);
    expect(new Set(ok.map((answer) => answer.headers.get('x-ratelimit-limit')))).toEqual(new Set(['50']));
    expect(
      ok.map((answer) => Number(answer.headers.get('x-ratelimit-remaining'))).sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (const answer of ok) {
      const reset = Number(answer.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(60);
    }
    for (const refused of answers.filter((answer) => answer.status === 429)) {
      expect(refused.code).toBe('RATE_LIMITED');
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // Both processes answered both ways: the budget is not split between them.
    const byProcess = (index: number) => countStatuses(answers.filter((_, i) => i % 2 === index));
    expect(byProcess(0)[200] + byProcess(1)[200]).toBe(50);
    expect(byProcess(0)[429]).toBeGreaterThan(0);
    expect(byProcess(1)[429]).toBeGreaterThan(0);
  });

  it("leaves tenant B's budget untouched when tenant A uses up its own", async () => {
    const [a, b] = await Promise.all([signUp(first.url), signUp(first.url)]);
    const answersA = await burst(a, 60);
    expect(countStatuses(answersA)).toEqual({ 200: 50, 429: 10 });

    const answerB = await getAs(second.url, b.tenant.slug, b.accessToken);
    expect(answerB.status).toBe(200);
    expect(answerB.headers.get('x-ratelimit-remaining')).toBe('49');
    expect((await getAs(first.url, a.tenant.slug, a.accessToken)).status).toBe(429);
  });

  it("answers 401 to a request without a valid access token, spending and showing nothing of the tenant's budget", async () => {
    const account = await signUp(first.url);
    for (const token of [undefined, 'not-a-token']) {
      const refused = await getAs(first.url, account.tenant.slug, token);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('x-ratelimit-limit')).toBeNull();
    }
    const answer = await getAs(second.url, account.tenant.slug, account.accessToken);
    expect(answer.headers.get('x-ratelimit-remaining')).toBe('49');
  });

  it('raises the limit on every process when the plan changes to pro, without a restart', async () => {
    const account = await signUp(first.url);
    const client = tenantClient(first.url, account.tenant.slug, account.accessToken);
    expect((await client.post('/billing/checkout', { plan: 'pro' })).status).toBe(201);
    const [{ customer }] = await first.app
      .get(DataSource)
      .query<{ customer: string }[]>(
        `SELECT stripe_customer_id AS customer FROM public.tenants WHERE id = $1`,
        [account.tenant.id],
      );
    const used = await burst(account, 60);
    expect(countStatuses(used)[429]).toBeGreaterThan(0);

    const subscription = {
      id: `sub_${randomBytes(6).toString('hex')}`,
      customer,
      status: 'active',
      priceId: PRO_PRICE,
    };
    stripe.setSubscription(subscription);
    const event = stripeEvent('customer.subscription.created', { object: 'subscription', ...subscription });
    expect((await deliverWebhook(first.url, event, WEBHOOK_SECRET)).status).toBe(200);

    // The webhook reached process 1 only; process 2 learns of the change from PostgreSQL's notification.
    const startedAt = Date.now();
    const raised = await waitFor(
      async () => {
        const answer = await getAs(second.url, account.tenant.slug, account.accessToken);
        return answer.status === 200 ? answer : undefined;
      },
      { timeoutMs: 1000, intervalMs: 10, what: 'process 2 to apply the pro limit' },
    );
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(raised.headers.get('x-ratelimit-limit')).toBe('600');
    // The window's count carries over: the hits so far still count against the higher limit.
    expect(Number(raised.headers.get('x-ratelimit-remaining'))).toBeLessThanOrEqual(600 - 62);
  });

  it('blocks a tenant suspended through process 1 on process 2 within 1 s, and lets it back in on resume', async () => {
    const account = await signUp(first.url);
    expect((await getAs(second.url, account.tenant.slug, account.accessToken)).status).toBe(200);
    const lifecycle = first.app.get(TenantLifecycleService);

    const suspendedAt = Date.now();
    await lifecycle.suspend(account.tenant.slug);
    const blocked = await waitFor(
      async () => {
        const answer = await getAs(second.url, account.tenant.slug, account.accessToken);
        return answer.status === 403 ? answer : undefined;
      },
      { timeoutMs: 1000, intervalMs: 10, what: 'process 2 to refuse the suspended tenant' },
    );
    expect(Date.now() - suspendedAt).toBeLessThan(1000);
    expect(blocked.code).toBe('TENANT_SUSPENDED');

    const resumedAt = Date.now();
    await lifecycle.resume(account.tenant.slug);
    await waitFor(
      async () => (await getAs(second.url, account.tenant.slug, account.accessToken)).status === 200,
      { timeoutMs: 1000, intervalMs: 10, what: 'process 2 to serve the resumed tenant' },
    );
    expect(Date.now() - resumedAt).toBeLessThan(1000);
  });
});

describe('Per-IP limit on anonymous requests', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({
      env: rateLimitedEnv({ TRUST_PROXY: '1', RATE_LIMIT_PUBLIC_PER_IP_PER_MINUTE: '3' }),
    });
  });
  afterAll(() => testApp?.close());

  async function post(route: string, body: object, ip: string, slug?: string): Promise<Answer> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Forwarded-For': ip };
    if (slug) headers['X-Tenant'] = slug;
    const response = await fetch(`${testApp.url}/api/v1${route}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    const answer = (await response.json().catch(() => ({}))) as { code?: string };
    return { status: response.status, code: answer.code, headers: response.headers };
  }

  it('refuses the client IP past the limit with 429 RATE_LIMITED, per route, while other clients go on', async () => {
    const slug = uniqueSlug();
    const signup = {
      organizationName: 'Per IP',
      slug,
      name: 'Owner',
      email: `owner@${slug}.example.com`,
      password: 'correct horse battery staple',
    };
    const signupIp = randomIpv4();
    expect((await post('/signup', signup, signupIp)).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const again = await post('/signup', { ...signup, slug: uniqueSlug() }, signupIp);
      expect(again.status).toBe(201);
    }
    const fourth = await post('/signup', { ...signup, slug: uniqueSlug() }, signupIp);
    expect(fourth).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const forgot = { email: signup.email };
    const ip = randomIpv4();
    for (let i = 0; i < 3; i++)
      expect((await post('/auth/password/forgot', forgot, ip, slug)).status).toBe(202);
    const refused = await post('/auth/password/forgot', forgot, ip, slug);
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // Another client of the same tenant, and the same client on another route, still get through.
    expect((await post('/auth/password/forgot', forgot, randomIpv4(), slug)).status).toBe(202);
    expect(
      (await post('/auth/login', { email: signup.email, password: 'wrong password!' }, ip, slug)).status,
    ).toBe(401);
  });
});
