import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TenantChangeFeed } from '../../src/tenancy/tenant-change-feed';
import { TenantLifecycleService } from '../../src/tenancy/tenant-lifecycle.service';
import { signUp, tenantClient, type SignedUpAccount } from '../support/accounts';
import { childEnvironment, startChild } from '../support/child-processes';
import { deliverWebhook, FakeStripeServer, stripeEvent } from '../support/fake-stripe.server';
import { PrivateRedis } from '../support/private-redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { testDatabaseEnvironment, testDatabaseServer } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const ROOT = path.resolve(__dirname, '..', '..');
const WEBHOOK_SECRET = 'whsec_tenant_changes_test';
const PRO_PRICE = 'price_pro_monthly';
/** Far longer than any test: only the change reaching the process can explain it seen within a second. */
const LONG_CACHE = { TENANT_CACHE_TTL_MS: '600000' };
const WITHIN_A_SECOND = { timeoutMs: 1000, intervalMs: 10 };

/** `npm run tenant -- <args>` in a process of its own, on the test database; resolves with its output. */
async function tenantCli(databaseName: string, args: string[]): Promise<string> {
  const cli = startChild(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'src/tenancy/cli/tenant.main.ts', ...args],
    {
      cwd: ROOT,
      env: childEnvironment({
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        ...testDatabaseEnvironment(databaseName),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const code = await cli.exited;
  if (code !== 0) throw new Error(`npm run tenant -- ${args.join(' ')} exited ${code}: ${cli.output()}`);
  return cli.output();
}

/**
 * Two API processes on one database and no Redis: a change made through either process, the CLI or
 * plain SQL reaches both within a second, through PostgreSQL's tenant_changed notification alone.
 */
describe('tenant changes across API processes', () => {
  let stripe: FakeStripeServer;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    stripe = new FakeStripeServer();
    const { host, port } = await stripe.start();
    const env = {
      ...LONG_CACHE,
      JWT_SECRET: randomBytes(32).toString('hex'),
      STRIPE_SECRET_KEY: 'sk_test_fake',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_HOST: host,
      STRIPE_API_PORT: String(port),
      STRIPE_API_PROTOCOL: 'http',
    };
    first = await startTestApp({ env });
    second = await startTestApp({ env, databaseName: first.databaseName });
    for (const api of [first, second])
      await waitFor(() => api.app.get(TenantChangeFeed).live, { what: 'the feed to listen' });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await stripe?.close();
  });

  const statusOn = async (testApp: TestApp, account: SignedUpAccount) =>
    (await tenantClient(testApp.url, account.tenant.slug, account.accessToken).get('/members')).status;
  const planOn = async (testApp: TestApp, account: SignedUpAccount) =>
    (await tenantClient(testApp.url, account.tenant.slug, account.accessToken).get('/me')).body as {
      tenant: { plan: string };
    };
  /** Waits until every process answers `status` for the tenant, a second at most. */
  const everywhere = (account: SignedUpAccount, status: number, what: string) =>
    Promise.all(
      [first, second].map((api, i) =>
        waitFor(async () => (await statusOn(api, account)) === status, {
          ...WITHIN_A_SECOND,
          what: `${what} on process ${i + 1}`,
        }),
      ),
    );

  it('applies a plan change from a Stripe webhook to process 1 on process 2 within a second', async () => {
    const account = await signUp(first.url);
    const client = tenantClient(first.url, account.tenant.slug, account.accessToken);
    expect((await client.post('/billing/checkout', { plan: 'pro' })).status).toBe(201);
    const [{ customer }] = await first.app
      .get(DataSource)
      .query<{ customer: string }[]>(
        `SELECT stripe_customer_id AS customer FROM public.tenants WHERE id = $1`,
        [account.tenant.id],
      );
    expect((await planOn(second, account)).tenant.plan).toBe('free');

    const subscription = { id: `sub_${randomBytes(6).toString('hex')}`, customer, status: 'active' };
    stripe.setSubscription({ ...subscription, priceId: PRO_PRICE });
    const event = stripeEvent('customer.subscription.created', { object: 'subscription', ...subscription });
    expect((await deliverWebhook(first.url, event, WEBHOOK_SECRET)).status).toBe(200);

    await waitFor(async () => (await planOn(second, account)).tenant.plan === 'pro', {
      ...WITHIN_A_SECOND,
      what: 'process 2 to apply the pro plan',
    });
    expect((await planOn(first, account)).tenant.plan).toBe('pro');
  });

  it('suspends and resumes a tenant through process 1 on both processes within a second', async () => {
    const account = await signUp(first.url);
    await everywhere(account, 200, 'the tenant served');
    await first.app.get(TenantLifecycleService).suspend(account.tenant.slug);
    await everywhere(account, 403, 'the suspension');
    await first.app.get(TenantLifecycleService).resume(account.tenant.slug);
    await everywhere(account, 200, 'the resumption');
  });

  it('applies `npm run tenant -- suspend|resume` on both processes within a second of the command', async () => {
    const account = await signUp(first.url);
    await everywhere(account, 200, 'the tenant served');
    expect(await tenantCli(first.databaseName, ['suspend', account.tenant.slug])).toContain(
      `Suspended ${account.tenant.slug}`,
    );
    await everywhere(account, 403, 'the suspension');
    expect(await tenantCli(first.databaseName, ['resume', account.tenant.slug])).toContain(
      `Resumed ${account.tenant.slug}`,
    );
    await everywhere(account, 200, 'the resumption');
  });

  it('applies plain SQL from an operator session on both processes within a second, both ways', async () => {
    const account = await signUp(first.url);
    await everywhere(account, 200, 'the tenant served');
    const operator = new Client({ ...testDatabaseServer, database: first.databaseName });
    await operator.connect();
    try {
      await operator.query(`UPDATE public.tenants SET status = 'suspended' WHERE id = $1`, [
        account.tenant.id,
      ]);
      await everywhere(account, 403, 'the suspension');
      await operator.query(`UPDATE public.tenants SET status = 'active' WHERE id = $1`, [account.tenant.id]);
      await everywhere(account, 200, 'the resumption');
    } finally {
      await operator.end();
    }
  });
});

/** One path for tenant changes: with Redis configured, tenant resolution and its changes still never touch it. */
describe('tenant changes with Redis configured', () => {
  let redisServer: PrivateRedis;
  let redis: Redis;
  let testApp: TestApp;

  beforeAll(async () => {
    redisServer = await PrivateRedis.start();
    redis = new Redis({ host: '127.0.0.1', port: redisServer.port });
    testApp = await startTestApp({
      env: { ...LONG_CACHE, REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redisServer.port) },
    });
  });
  afterAll(async () => {
    await testApp?.close();
    redis?.disconnect();
    await redisServer?.stop();
  });

  it('keeps no copy of the catalogue in Redis and sends no tenant change through it', async () => {
    const account = await signUp(testApp.url);
    const client = tenantClient(testApp.url, account.tenant.slug, account.accessToken);
    await redis.config('RESETSTAT');
    expect((await client.get('/members')).status).toBe(200);
    await testApp.app.get(TenantLifecycleService).suspend(account.tenant.slug);
    await waitFor(async () => (await client.get('/members')).status === 403, WITHIN_A_SECOND);
    await testApp.app.get(TenantLifecycleService).resume(account.tenant.slug);
    await waitFor(async () => (await client.get('/members')).status === 200, WITHIN_A_SECOND);

    // What the app sent since the reset; this test's own RESETSTAT and INFO left out.
    const commands = (await redis.info('commandstats'))
      .split('\n')
      .filter((line) => line.startsWith('cmdstat_'))
      .map((line) => line.slice('cmdstat_'.length, line.indexOf(':')))
      .filter((command) => command !== 'config|resetstat' && command !== 'info');
    expect(commands).toEqual([]);
    expect(await redis.pubsub('CHANNELS')).toEqual([]);
    expect(await redis.keys(`*${account.tenant.slug}*`)).toEqual([]);
  });
});
