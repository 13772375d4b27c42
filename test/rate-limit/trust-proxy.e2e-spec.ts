import { startTestApp, type TestApp } from '../support/test-app';
import { PATIENT_STORE, randomIpv4, rateLimitedEnv } from './rate-limit-support';

const PER_IP_LIMIT = 3;

/** A signup with an empty body from behind proxies: 400 while the address has budget left, then 429. */
async function signUpThrough(testApp: TestApp, forwardedFor: string): Promise<number> {
  const response = await fetch(`${testApp.url}/api/v1/signup`, {
    method: 'POST',
    headers: { 'X-Forwarded-For': forwardedFor },
  });
  return response.status;
}

async function statusesOf(requests: (() => Promise<number>)[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const request of requests) statuses.push(await request());
  return statuses;
}

const fiveTimes = <T>(make: () => T): T[] => Array.from({ length: 5 }, make);
const underLimitThenRefused = [400, 400, 400, 429, 429];

/** The test app listens on 127.0.0.1, so the socket's peer (the proxy nearest the API) is loopback. */
describe('The client IP behind proxies (TRUST_PROXY)', () => {
  describe('as a hop count', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await startTestApp({
        env: rateLimitedEnv({
          ...PATIENT_STORE,
          TRUST_PROXY: '1',
          RATE_LIMIT_PUBLIC_PER_IP_PER_MINUTE: String(PER_IP_LIMIT),
        }),
      });
    });
    afterAll(() => testApp?.close());

    it('takes the address the trusted proxy appended, so spoofed left-most entries do not dodge the per-IP limit', async () => {
      const client = randomIpv4();
      const spoofing = fiveTimes(() => () => signUpThrough(testApp, `${randomIpv4()}, ${client}`));
      expect(await statusesOf(spoofing)).toEqual(underLimitThenRefused);
      // Another client behind the same proxy has a budget of its own.
      expect(await signUpThrough(testApp, `${client}, ${randomIpv4()}`)).toBe(400);
    });
  });

  describe('as a list of proxy addresses and ranges', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await startTestApp({
        env: rateLimitedEnv({
          ...PATIENT_STORE,
          TRUST_PROXY: 'loopback, 192.0.2.0/24',
          RATE_LIMIT_PUBLIC_PER_IP_PER_MINUTE: String(PER_IP_LIMIT),
        }),
      });
    });
    afterAll(() => testApp?.close());

    it('walks back through the listed proxies to the first address outside them', async () => {
      const client = randomIpv4();
      const throughTwoProxies = fiveTimes(
        () => () => signUpThrough(testApp, `${randomIpv4()}, ${client}, 192.0.2.10`),
      );
      expect(await statusesOf(throughTwoProxies)).toEqual(underLimitThenRefused);
      expect(await signUpThrough(testApp, `${randomIpv4()}, 192.0.2.10`)).toBe(400);
    });

    it('stops at a peer outside the list, whatever that peer put in front', async () => {
      const untrustedPeer = randomIpv4();
      const spoofing = fiveTimes(() => () => signUpThrough(testApp, `${randomIpv4()}, ${untrustedPeer}`));
      expect(await statusesOf(spoofing)).toEqual(underLimitThenRefused);
    });
  });
});
