import { Logger } from '@nestjs/common';
import { signUp, type SignedUpAccount } from '../support/accounts';
import { PrivateRedis } from '../support/private-redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { type Answer, countStatuses, getAs, plansFile, rateLimitedEnv } from './rate-limit-support';

/** Requests from `workers` clients in a loop until stopped; every answer is kept. */
function startTraffic(send: () => Promise<Answer>, workers = 4) {
  const answers: Answer[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) answers.push(await send());
  });
  return {
    answers,
    /** Answers from now on. */
    mark: () => answers.length,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/**
 * Redis stopped and started again under traffic. A private redis-server: the machine's Redis is
 * shared by the test files running alongside, so it is never the one stopped.
 */
describe('Rate limits when Redis goes away and comes back', () => {
  let redis: PrivateRedis;
  let open: TestApp;
  let closed: TestApp;
  let openAccount: SignedUpAccount;
  let closedAccount: SignedUpAccount;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    const env = rateLimitedEnv({
      REDIS_PORT: String(redis.port),
      PLANS_FILE: plansFile({ free: 100_000, pro: 100_000 }),
      RATE_LIMIT_PUBLIC_PER_IP_PER_MINUTE: '3',
      TRUST_PROXY: '1',
    });
    open = await startTestApp({ env: { ...env, RATE_LIMIT_FAIL_MODE: 'open' } });
    // One database for both: passport keeps one 'jwt' strategy per Node process, the last app's.
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

  it('serves (open) or refuses with 503 (closed) while Redis is down, warns once, and recovers without a restart', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const openTraffic = startTraffic(() => getAs(open.url, openAccount.tenant.slug, openAccount.accessToken));
    const closedTraffic = startTraffic(() =>
      getAs(closed.url, closedAccount.tenant.slug, closedAccount.accessToken),
    );
    try {
      await waitFor(() => openTraffic.answers.length > 20 && closedTraffic.answers.length > 20);
      expect(
        openTraffic.answers.every((answer) => answer.headers.get('x-ratelimit-limit') === '100000'),
      ).toBe(true);

      await redis.stop();
      const openDown = openTraffic.mark();
      const closedDown = closedTraffic.mark();
      // Long enough for several reconnection attempts, each failing, before Redis is back.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await waitFor(
        () => openTraffic.answers.length > openDown + 50 && closedTraffic.answers.length > closedDown + 50,
      );
      const duringOpen = openTraffic.answers.slice(openDown);
      const duringClosed = closedTraffic.answers.slice(closedDown);
      // Requests in flight at the stop may still have been counted; from then on the fail mode holds.
      expect(countStatuses(duringOpen)).toEqual({ 200: duringOpen.length });
      expect(duringOpen.slice(10).every((answer) => answer.headers.get('x-ratelimit-limit') === null)).toBe(
        true,
      );
      const refused = duringClosed.slice(10);
      expect(countStatuses(refused)).toEqual({ 503: refused.length });
      expect(refused[0].code).toBe('RATE_LIMIT_UNAVAILABLE');
      expect(refused[0].headers.get('retry-after')).toBe('1');
      const storeWarnings = (mode: string) =>
        warn.mock.calls.filter(([message]) => String(message).includes(`RATE_LIMIT_FAIL_MODE=${mode}`));
      expect(storeWarnings('open')).toHaveLength(1);
      expect(storeWarnings('closed')).toHaveLength(1);

      await redis.start();
      const openUp = openTraffic.mark();
      await waitFor(
        () =>
          openTraffic.answers
            .slice(openUp)
            .some((answer) => answer.headers.get('x-ratelimit-limit') !== null),
        { what: 'the open-mode API to count requests again', timeoutMs: 15_000 },
      );
      await waitFor(() => closedTraffic.answers.at(-1)?.status === 200, {
        what: 'the closed-mode API to serve again',
        timeoutMs: 15_000,
      });
    } finally {
      await Promise.all([openTraffic.stop(), closedTraffic.stop()]);
      warn.mockRestore();
    }
    // Nothing but the fail modes' answers, ever: no 500 from a store error.
    expect(Object.keys(countStatuses(openTraffic.answers))).toEqual(['200']);
    expect(Object.keys(countStatuses(closedTraffic.answers)).sort()).toEqual(['200', '503']);

    // Counting works again on the restarted (empty) Redis: the per-IP limit refuses the fourth write.
    const forgot = async () =>
      (
        await fetch(`${open.url}/api/v1/auth/password/forgot`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-Tenant': openAccount.tenant.slug,
            'X-Forwarded-For': '203.0.113.9',
          },
          body: JSON.stringify({ email: openAccount.email }),
        })
      ).status;
    expect([await forgot(), await forgot(), await forgot(), await forgot()]).toEqual([202, 202, 202, 429]);
  });
});
