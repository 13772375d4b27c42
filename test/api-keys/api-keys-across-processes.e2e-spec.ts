import { signUp, tenantClient, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { getAs, plansFile, rateLimitedEnv } from '../rate-limit/rate-limit-support';
import { createApiKey } from './api-keys-support';

const WITHIN_A_SECOND = { timeoutMs: 1000, intervalMs: 10 };
const READ_WRITE = ['projects:read', 'projects:write'];

/** Two API processes on one database and one Redis, tenants at 20 requests a minute. */
describe('API keys across API processes', () => {
  let first: TestApp;
  let second: TestApp;
  let account: SignedUpAccount;

  beforeAll(async () => {
    const env = rateLimitedEnv({
      // A catalogue written before API keys: no apiKeys limit, so the registered default (2) applies.
      PLANS_FILE: plansFile({ free: 20, pro: 600 }),
      // Far longer than any test: only an eviction can explain a change seen in time.
      MEMBERSHIP_CACHE_TTL_MS: '600000',
      RATE_LIMIT_PUBLIC_PER_IP_PER_MINUTE: '1000',
    });
    first = await startTestApp({ env });
    second = await startTestApp({ env, databaseName: first.databaseName });
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  beforeEach(async () => {
    account = await signUp(first.url);
  });

  const statusAt = async (testApp: TestApp, key: string) =>
    (await tenantClient(testApp.url, account.tenant.slug, key).get('/projects')).status;

  it('refuses on process 2, within a second, a key revoked through process 1', async () => {
    const created = await createApiKey(first.url, account, { scopes: READ_WRITE });
    for (let i = 0; i < 2; i++) expect(await statusAt(second, created.key)).toBe(200);
    const revoked = await tenantClient(first.url, account.tenant.slug, account.accessToken).delete(
      `/api-keys/${created.id}`,
    );
    expect(revoked.status).toBe(204);
    expect(await statusAt(first, created.key)).toBe(401);
    await waitFor(async () => (await statusAt(second, created.key)) === 401, WITHIN_A_SECOND);
  });

  it('spends the tenant budget for keys and users alike, in one window across processes', async () => {
    const created = await createApiKey(first.url, account, { scopes: ['projects:read'] });
    const remaining: number[] = [];
    for (let i = 0; i < 18; i++) {
      const answer = await getAs(
        [first, second][i % 2].url,
        account.tenant.slug,
        i % 3 === 0 ? account.accessToken : created.key,
      );
      expect(answer.status).toBe(200);
      remaining.push(Number(answer.headers.get('x-ratelimit-remaining')));
    }
    // One budget: the remaining count falls by one per request, whoever sends it.
    expect(remaining).toEqual(remaining.map((_, i) => remaining[0] - i));
    const [byKey, byUser] = [
      await getAs(first.url, account.tenant.slug, created.key),
      await getAs(second.url, account.tenant.slug, account.accessToken),
    ];
    expect(byKey.status).toBe(200);
    expect(byUser.status).toBe(429);
    expect((await getAs(second.url, account.tenant.slug, created.key)).code).toBe('RATE_LIMITED');
    // Another tenant's budget is untouched.
    const other = await signUp(first.url);
    expect((await getAs(first.url, other.tenant.slug, other.accessToken)).status).toBe(200);
  });

  it('applies the registered default limit of 2 to a catalogue that does not name apiKeys', async () => {
    for (let i = 0; i < 2; i++) await createApiKey(first.url, account, { scopes: READ_WRITE });
    const third = await tenantClient(second.url, account.tenant.slug, account.accessToken).post('/api-keys', {
      name: 'Third',
      scopes: READ_WRITE,
    });
    expect(third.status).toBe(402);
    expect(third.body.details).toMatchObject({ limit: 'apiKeys', allowed: 2 });
  });
});
