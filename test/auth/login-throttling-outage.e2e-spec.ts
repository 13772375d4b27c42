import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '../../src/common/redis/redis.module';
import { signUp, tenantClient, TEST_PASSWORD, type SignedUpAccount } from '../support/accounts';
import { PrivateRedis } from '../support/private-redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Brute-force protection when its store, Redis, is down or hangs: it follows RATE_LIMIT_FAIL_MODE like
 * the rate limiter. A private redis-server, as the machine's Redis is shared with other test files.
 */
describe('login throttling when Redis is down or slow', () => {
  let redis: PrivateRedis;
  let open: TestApp;
  let closed: TestApp;
  let openAccount: SignedUpAccount;
  let closedAccount: SignedUpAccount;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    const env = {
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(redis.port),
      RATE_LIMIT_STORE_TIMEOUT_MS: '1000',
      JWT_SECRET: randomBytes(32).toString('hex'),
    };
    open = await startTestApp({ env: { ...env, RATE_LIMIT_FAIL_MODE: 'open' } });
    closed = await startTestApp({
      env: { ...env, RATE_LIMIT_FAIL_MODE: 'closed' },
      databaseName: open.databaseName,
    });
    [openAccount, closedAccount] = await Promise.all([signUp(open.url), signUp(closed.url)]);
  });

  afterAll(async () => {
    await closed?.close();
    await open?.close();
    await redis?.stop();
  });

  const login = (app: TestApp, account: SignedUpAccount, password = TEST_PASSWORD) =>
    tenantClient(app.url, account.tenant.slug).post('/auth/login', { email: account.email, password });

  const loginWarnings = (warn: jest.SpyInstance<void, unknown[]>): string[] =>
    warn.mock.calls.map(([message]) => String(message)).filter((message) => /login/i.test(message));

  it('closed: refuses sign-ins with 503 RATE_LIMIT_UNAVAILABLE while Redis is down; open: serves them, warning once', async () => {
    expect((await login(closed, closedAccount)).status).toBe(200);
    const warn = jest.spyOn(Logger.prototype, 'warn');
    await redis.stop();
    try {
      for (let i = 0; i < 3; i++) {
        const refused = await login(closed, closedAccount);
        expect(refused.status).toBe(503);
        expect(refused.body.code).toBe('RATE_LIMIT_UNAVAILABLE');
        expect(refused.headers['retry-after']).toBe('1');
      }
      warn.mockClear();
      const served: number[] = [];
      for (let i = 0; i < 5; i++) {
        served.push((await login(open, openAccount, 'wrong password!')).status);
        served.push((await login(open, openAccount)).status);
      }
      expect(served).toEqual(Array.from({ length: 5 }, () => [401, 200]).flat());
      // One line for the outage, not one per sign-in.
      expect(loginWarnings(warn)).toHaveLength(1);
      expect(loginWarnings(warn)[0]).toContain('RATE_LIMIT_FAIL_MODE=open');
    } finally {
      warn.mockRestore();
      await redis.start();
    }
    // Throttling is back without a restart, once the client has reconnected.
    await waitFor(() => open.app.get<Redis>(REDIS_CLIENT).status === 'ready', {
      what: 'the API to reconnect to Redis',
      timeoutMs: 15_000,
    });
    for (let i = 0; i < 5; i++) await login(open, openAccount, 'wrong password!');
    expect((await login(open, openAccount)).status).toBe(429);
  });

  it('closed: a hung Redis answers 503 within the store timeout instead of stalling the sign-in', async () => {
    const pauser = new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: true });
    await pauser.connect();
    try {
      await pauser.client('PAUSE', 8000, 'ALL');
      const startedAt = Date.now();
      const refused = await login(closed, closedAccount);
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('RATE_LIMIT_UNAVAILABLE');
      // Well before the pause ends: the 1 s store timeout decided, not Redis.
      expect(Date.now() - startedAt).toBeLessThan(6000);
      expect((await login(open, openAccount)).status).toBe(200);
    } finally {
      // Redis holds this one too until the pause ends, so the next test starts on an answering Redis.
      await pauser.client('UNPAUSE');
      pauser.disconnect();
    }
  });
});
