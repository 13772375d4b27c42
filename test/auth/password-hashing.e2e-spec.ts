import { monitorEventLoopDelay } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { PasswordHashPool } from '../../src/auth/passwords/password-hash-pool';
import { signUp, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

// A hash takes over half a second; bcryptjs on the event loop computes in slices of at least 100 ms
// and runs every pending slice in one pass, so 8 hashes there stall it for most of a second at a time.
const COST = '13';
const CONCURRENT_LOGINS = 8;
// Each login in flight counts as a failure until it succeeds; these are one account's concurrent logins.
const CONCURRENT_ATTEMPTS = { LOGIN_MAX_FAILURES: '100' };

interface LoginAnswer {
  status: number;
  code?: string;
  retryAfter: string | null;
}

async function logIn(
  testApp: TestApp,
  account: SignedUpAccount,
  email = account.email,
): Promise<LoginAnswer> {
  const response = await fetch(`${testApp.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Tenant': account.tenant.slug },
    body: JSON.stringify({ email, password: account.password }),
  });
  const body = (await response.json()) as { code?: string };
  return { status: response.status, code: body.code, retryAfter: response.headers.get('retry-after') };
}

/** Wall time of one hash at the app's cost, on this machine as loaded as it is now. */
function oneHashMs(cost: number): number {
  const startedAt = performance.now();
  bcrypt.hashSync('a password of typical length', cost);
  return performance.now() - startedAt;
}

describe('password hashing in worker threads', () => {
  let testApp: TestApp;
  let account: SignedUpAccount;
  beforeAll(async () => {
    testApp = await startTestApp({
      env: { ...CONCURRENT_ATTEMPTS, BCRYPT_COST: COST, PASSWORD_HASH_THREADS: '2' },
    });
    account = await signUp(testApp.url);
  });
  afterAll(() => testApp?.close());

  it(`keeps the event loop free while ${CONCURRENT_LOGINS} logins hash at once`, async () => {
    // Both threads started (and, under ts-jest, their TypeScript loaded) before the measurement.
    expect(
      (await Promise.all([logIn(testApp, account), logIn(testApp, account)])).map((a) => a.status),
    ).toEqual([200, 200]);
    const hashMs = oneHashMs(testApp.config.auth.bcryptCost);
    const eventLoop = monitorEventLoopDelay({ resolution: 10 });

    eventLoop.enable();
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT_LOGINS }, () => logIn(testApp, account)),
    );
    eventLoop.disable();

    expect(answers.map((answer) => answer.status)).toEqual(Array(CONCURRENT_LOGINS).fill(200));
    // A quarter of one hash: what a request's own work never takes, and a tenth of the stall on the loop.
    expect(eventLoop.max / 1e6).toBeLessThan(hashMs / 4);
    expect(testApp.app.get(PasswordHashPool).runningThreads).toBe(2);
  });
});

describe('a full password hash queue', () => {
  let testApp: TestApp;
  let account: SignedUpAccount;
  beforeAll(async () => {
    testApp = await startTestApp({
      env: {
        ...CONCURRENT_ATTEMPTS,
        BCRYPT_COST: '12',
        PASSWORD_HASH_THREADS: '1',
        PASSWORD_HASH_MAX_QUEUE: '1',
      },
    });
    account = await signUp(testApp.url);
  });
  afterAll(() => testApp?.close());

  it('answers the logins past it 503 PASSWORD_HASHING_BUSY with Retry-After, the others as usual', async () => {
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, () => logIn(testApp, account)),
      ...Array.from({ length: 4 }, (_, i) => logIn(testApp, account, `nobody-${i}@example.com`)),
    ]);

    const busy = answers.filter((answer) => answer.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy).toEqual(busy.map(() => ({ status: 503, code: 'PASSWORD_HASHING_BUSY', retryAfter: '1' })));
    const others = answers.filter((answer) => answer.status !== 503);
    expect(others.some((answer) => answer.status === 200)).toBe(true);
    expect(
      others.map((answer) => answer.status).filter((status) => status !== 200 && status !== 401),
    ).toEqual([]);
    expect((await logIn(testApp, account)).status).toBe(200);
  });
});
