import { randomBytes } from 'node:crypto';
import { PasswordHasher } from '../../src/auth/passwords/password-hasher';
import { signUp, tenantClient, TEST_PASSWORD } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

describe('brute-force protection on Redis', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({
      env: {
        REDIS_HOST: '127.0.0.1',
        LOGIN_MAX_FAILURES: '3',
        LOGIN_MAX_FAILURES_PER_IP: '8',
        TRUST_PROXY: '1',
        // Generous, so that a loaded machine does not turn a slow answer into an uncounted attempt.
        RATE_LIMIT_STORE_TIMEOUT_MS: '5000',
      },
    });
  });
  afterAll(() => testApp.close());

  const fromIp = () => `10.${randomBytes(3).join('.')}`;

  it('answers 429 with Retry-After after repeated failures for one email, at every tenant, even with the right password', async () => {
    const account = await signUp(testApp.url);
    const client = tenantClient(testApp.url, account.tenant.slug);
    const ip = fromIp();
    const attempt = (password: string) =>
      client.post('/auth/login', { email: account.email, password }).set('X-Forwarded-For', ip);
    for (let i = 0; i < 3; i++) expect((await attempt('wrong password!')).status).toBe(401);
    const blocked = await attempt(TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // The count is the identity's, across its tenants: guesses cannot be spread over them.
    const other = await signUp(testApp.url, { email: account.email });
    const otherLogin = await tenantClient(testApp.url, other.tenant.slug)
      .post('/auth/login', { email: account.email, password: TEST_PASSWORD })
      .set('X-Forwarded-For', fromIp());
    expect(otherLogin.status).toBe(429);
    expect(otherLogin.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
  });

  it('resets the count on success', async () => {
    const account = await signUp(testApp.url);
    const client = tenantClient(testApp.url, account.tenant.slug);
    const ip = fromIp();
    const attempt = (password: string) =>
      client.post('/auth/login', { email: account.email, password }).set('X-Forwarded-For', ip);
    for (let round = 0; round < 2; round++) {
      expect((await attempt('wrong password!')).status).toBe(401);
      expect((await attempt('wrong password!')).status).toBe(401);
      expect((await attempt(TEST_PASSWORD)).status).toBe(200);
    }
  });

  it('throttles one client IP across many emails', async () => {
    const account = await signUp(testApp.url);
    const client = tenantClient(testApp.url, account.tenant.slug);
    const ip = fromIp();
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const response = await client
        .post('/auth/login', { email: `guess${i}@example.com`, password: 'wrong password!' })
        .set('X-Forwarded-For', ip);
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 8).every((status) => status === 401)).toBe(true);
    expect(statuses[8]).toBe(429);
  });

  it('does not spend the IP budget on successful sign-ins', async () => {
    const account = await signUp(testApp.url);
    const client = tenantClient(testApp.url, account.tenant.slug);
    const ip = fromIp();
    for (let i = 0; i < 12; i++) {
      const response = await client
        .post('/auth/login', { email: account.email, password: TEST_PASSWORD })
        .set('X-Forwarded-For', ip);
      expect(response.status).toBe(200);
    }
    const wrong = await client
      .post('/auth/login', { email: account.email, password: 'wrong password!' })
      .set('X-Forwarded-For', ip);
    expect(wrong.status).toBe(401);
  });
});

describe('brute-force protection under concurrent guesses', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    // A real bcrypt cost keeps each check slow enough that concurrent guesses overlap.
    testApp = await startTestApp({
      env: { REDIS_HOST: '127.0.0.1', BCRYPT_COST: '10', TRUST_PROXY: '1' },
    });
  });
  afterAll(() => testApp.close());

  it('checks at most LOGIN_MAX_FAILURES (5) of 25 concurrent wrong passwords for one account', async () => {
    const account = await signUp(testApp.url);
    const client = tenantClient(testApp.url, account.tenant.slug);
    const verify = jest.spyOn(testApp.app.get(PasswordHasher), 'verify');
    try {
      const answers = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          client
            .post('/auth/login', { email: account.email, password: `wrong password ${i}` })
            .set('X-Forwarded-For', `10.${randomBytes(3).join('.')}`),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 401)).toHaveLength(5);
      expect(statuses.filter((status) => status === 429)).toHaveLength(20);
      expect(verify).toHaveBeenCalledTimes(5);
    } finally {
      verify.mockRestore();
    }
    const blocked = await client.post('/auth/login', { email: account.email, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
  });
});
