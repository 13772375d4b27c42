import { signUp, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  type Answer,
  countStatuses,
  plansFile,
  PATIENT_STORE,
  randomIpv4,
  rateLimitedEnv,
} from './rate-limit-support';

const PLAN_LIMIT = 20;
const PER_IP_LIMIT = 10;
/** Per route: past the tenant's whole budget, and past the per-IP limit. */
const ATTEMPTS = PLAN_LIMIT + 10;

interface AnsweredRequest extends Answer {
  message?: string;
}

interface Probe {
  method: 'GET' | 'POST';
  route: string;
  token?: (attacker: SignedUpAccount) => string;
  /** The answer while under the per-IP limit. */
  status: number;
}

/** What anyone can send naming a tenant: public routes with empty bodies, and bad or missing tokens. */
const ANONYMOUS_PROBES: Probe[] = [
  { method: 'POST', route: '/auth/login', status: 400 },
  { method: 'POST', route: '/auth/refresh', status: 400 },
  { method: 'POST', route: '/auth/password/forgot', status: 400 },
  { method: 'POST', route: '/auth/password/reset', status: 400 },
  { method: 'POST', route: '/invitations/accept', status: 400 },
  { method: 'GET', route: '/projects', token: () => 'not-a-token', status: 401 },
  { method: 'GET', route: '/me', token: (attacker) => attacker.accessToken, status: 401 },
  { method: 'GET', route: '/members', status: 401 },
];

/** One tenant at 20 requests a minute; anonymous requests at 10 per client IP, route and minute. */
describe('Anonymous requests naming a tenant', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({
      env: rateLimitedEnv({
        ...PATIENT_STORE,
        PLANS_FILE: plansFile({ free: PLAN_LIMIT, pro: 600 }),
        RATE_LIMIT_PUBLIC_PER_IP_PER_MINUTE: String(PER_IP_LIMIT),
        TRUST_PROXY: '1',
      }),
    });
  });
  afterAll(() => testApp?.close());

  const signUpFromOwnAddress = () => signUp(testApp.url, {}, { 'X-Forwarded-For': randomIpv4() });

  async function send(
    method: Probe['method'],
    route: string,
    slug: string,
    ip: string,
    accessToken?: string,
  ): Promise<AnsweredRequest> {
    const headers: Record<string, string> = { 'X-Tenant': slug, 'X-Forwarded-For': ip };
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    const response = await fetch(`${testApp.url}/api/v1${route}`, { method, headers });
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
    return { status: response.status, code: body.code, message: body.message, headers: response.headers };
  }

  it("never spend or show the tenant's budget: the attacker's address gets 429, the tenant's user keeps its whole budget", async () => {
    const [victim, attacker] = await Promise.all([signUpFromOwnAddress(), signUpFromOwnAddress()]);
    const attackerIp = randomIpv4();

    const answersByRoute = new Map<string, AnsweredRequest[]>();
    for (const probe of ANONYMOUS_PROBES) {
      const answers = await Promise.all(
        Array.from({ length: ATTEMPTS }, () =>
          send(probe.method, probe.route, victim.tenant.slug, attackerIp, probe.token?.(attacker)),
        ),
      );
      answersByRoute.set(probe.route, answers);
    }

    // Even from the attacker's address: a signed-in user is limited by the tenant's budget alone.
    const served = await send('GET', '/projects', victim.tenant.slug, attackerIp, victim.accessToken);
    expect(served.status).toBe(200);
    expect(served.headers.get('x-ratelimit-limit')).toBe(String(PLAN_LIMIT));
    expect(served.headers.get('x-ratelimit-remaining')).toBe(String(PLAN_LIMIT - 1));

    for (const probe of ANONYMOUS_PROBES) {
      const answers = answersByRoute.get(probe.route) ?? [];
      expect({ route: probe.route, statuses: countStatuses(answers) }).toEqual({
        route: probe.route,
        statuses: { [probe.status]: PER_IP_LIMIT, 429: ATTEMPTS - PER_IP_LIMIT },
      });
      for (const answer of answers) {
        expect([probe.route, answer.headers.get('x-ratelimit-limit')]).toEqual([probe.route, null]);
        expect(answer.headers.get('x-ratelimit-remaining')).toBeNull();
        expect(answer.headers.get('x-ratelimit-reset')).toBeNull();
      }
      for (const refused of answers.filter((answer) => answer.status === 429)) {
        expect(refused.code).toBe('RATE_LIMITED');
        expect(refused.message).toMatch(/from this address to this route/);
        const retryAfter = Number(refused.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
      }
    }
  });

  it("spends the tenant's budget, not the address's, on a signed-in user's requests", async () => {
    const account = await signUpFromOwnAddress();
    const ip = randomIpv4();
    const answers = await Promise.all(
      Array.from({ length: PLAN_LIMIT + 5 }, () =>
        send('GET', '/projects', account.tenant.slug, ip, account.accessToken),
      ),
    );
    expect(countStatuses(answers)).toEqual({ 200: PLAN_LIMIT, 429: 5 });
    for (const refused of answers.filter((answer) => answer.status === 429)) {
      expect(refused.message).toMatch(/tenant's rate limit of 20 requests per minute/);
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    }
  });

  it('leaves the health probes and the Stripe webhook out of the per-IP limit', async () => {
    const ip = randomIpv4();
    const probe = (path: string, method = 'GET') =>
      fetch(`${testApp.url}${path}`, { method, headers: { 'X-Forwarded-For': ip } }).then(
        (response) => response.status,
      );
    const live = await Promise.all(Array.from({ length: PER_IP_LIMIT + 5 }, () => probe('/health/live')));
    expect(live).toEqual(Array.from({ length: PER_IP_LIMIT + 5 }, () => 200));
    const webhooks = await Promise.all(
      Array.from({ length: PER_IP_LIMIT + 5 }, () => probe('/api/v1/billing/webhook', 'POST')),
    );
    expect(webhooks).not.toContain(429);
  });
});
