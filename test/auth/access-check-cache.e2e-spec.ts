import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MembershipAccessCache } from '../../src/members/membership-access-cache';
import {
  MEMBERSHIP_ACCESS_CHANGED_CHANNEL,
  type MembershipChange,
  MembershipChangeFeed,
} from '../../src/members/membership-change-feed';
import { queuedMails, signUp, tenantClient, TEST_PASSWORD, type SignedUpAccount } from '../support/accounts';
import { addMember, tenantSchemaOf } from '../support/members';
import { startTestApp, type TestApp } from '../support/test-app';
import { testDatabaseServer } from '../support/test-database';
import { waitFor } from '../support/wait-for';

/** Far longer than any test: only an eviction can explain a change seen. */
const LONG_CACHE = { MEMBERSHIP_CACHE_TTL_MS: '600000' };
const WITHIN_A_SECOND = { timeoutMs: 1000, intervalMs: 10 };

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const statusOf = async (testApp: TestApp, account: SignedUpAccount, accessToken: string, path = '/me') =>
  (await tenantClient(testApp.url, account.tenant.slug, accessToken).get(path)).status;

/** Checks the token twice, so its access check is cached in the process. */
async function warm(testApp: TestApp, account: SignedUpAccount, accessToken: string, path = '/me') {
  for (let i = 0; i < 2; i++) expect(await statusOf(testApp, account, accessToken, path)).toBe(200);
}

async function login(testApp: TestApp, account: SignedUpAccount, email = account.email): Promise<Tokens> {
  const response = await tenantClient(testApp.url, account.tenant.slug).post('/auth/login', {
    email,
    password: TEST_PASSWORD,
  });
  expect(response.status).toBe(200);
  return response.body as Tokens;
}

function operatorClient(testApp: TestApp): Client {
  return new Client({ ...testDatabaseServer, database: testApp.databaseName });
}

describe('the cached access check, in the process that commits the change', () => {
  let testApp: TestApp;
  let muted: jest.SpyInstance;

  beforeAll(async () => {
    testApp = await startTestApp({ env: LONG_CACHE });
    const feed = testApp.app.get(MembershipChangeFeed);
    await waitFor(() => feed.live, { what: 'the feed to listen' });
    // The feed stays live but its notifications are dropped: only this process's own eviction is left.
    muted = jest
      .spyOn(feed as unknown as { announce(change: MembershipChange): void }, 'announce')
      .mockImplementation(() => undefined);
  });
  afterAll(async () => {
    muted?.mockRestore();
    await testApp?.close();
  });

  const as = (account: SignedUpAccount, accessToken: string) =>
    tenantClient(testApp.url, account.tenant.slug, accessToken);

  it('answers a warm check without a query', async () => {
    const account = await signUp(testApp.url);
    await warm(testApp, account, account.accessToken);
    const query = jest.spyOn(testApp.app.get(DataSource), 'query');
    try {
      expect(await statusOf(testApp, account, account.accessToken)).toBe(200);
      const checks = query.mock.calls.filter(([sql]) => String(sql).includes('session_live'));
      expect(checks).toEqual([]);
    } finally {
      query.mockRestore();
    }
  });

  it('refuses the access token at once after logout', async () => {
    const account = await signUp(testApp.url);
    await warm(testApp, account, account.accessToken);
    const response = await as(account, account.accessToken).post('/auth/logout', {
      refreshToken: account.refreshToken,
    });
    expect(response.status).toBe(204);
    expect(await statusOf(testApp, account, account.accessToken)).toBe(401);
  });

  it('refuses every access token of the member at once after logout-all', async () => {
    const account = await signUp(testApp.url);
    const other = await login(testApp, account);
    await warm(testApp, account, account.accessToken);
    await warm(testApp, account, other.accessToken);
    expect((await as(account, account.accessToken).post('/auth/logout-all')).status).toBe(204);
    expect(await statusOf(testApp, account, account.accessToken)).toBe(401);
    expect(await statusOf(testApp, account, other.accessToken)).toBe(401);
  });

  it('refuses the access token of a session ended through DELETE /me/sessions/:id at once', async () => {
    const account = await signUp(testApp.url);
    const other = await login(testApp, account);
    await warm(testApp, account, other.accessToken);
    const sessions = (await as(account, account.accessToken).get('/me/sessions')).body as {
      id: string;
      current: boolean;
    }[];
    const target = sessions.find((session) => !session.current);
    expect(target).toBeDefined();
    expect((await as(account, account.accessToken).delete(`/me/sessions/${target!.id}`)).status).toBe(204);
    expect(await statusOf(testApp, account, other.accessToken)).toBe(401);
    expect(await statusOf(testApp, account, account.accessToken)).toBe(200);
  });

  it('refuses the access token at once when its spent refresh token comes back', async () => {
    const account = await signUp(testApp.url);
    await warm(testApp, account, account.accessToken);
    const anonymous = tenantClient(testApp.url, account.tenant.slug);
    expect((await anonymous.post('/auth/refresh', { refreshToken: account.refreshToken })).status).toBe(200);
    expect((await anonymous.post('/auth/refresh', { refreshToken: account.refreshToken })).status).toBe(401);
    expect(await statusOf(testApp, account, account.accessToken)).toBe(401);
  });

  it('refuses the access tokens at once after a password reset', async () => {
    const account = await signUp(testApp.url);
    await warm(testApp, account, account.accessToken);
    const anonymous = tenantClient(testApp.url, account.tenant.slug);
    expect((await anonymous.post('/auth/password/forgot', { email: account.email })).status).toBe(202);
    const [mail] = (await queuedMails(testApp.app, account.email)).filter((m) => m.kind === 'password-reset');
    const reset = await anonymous.post('/auth/password/reset', {
      token: mail.content.data.token,
      password: 'a brand new passphrase for this test',
    });
    expect(reset.status).toBe(204);
    expect(await statusOf(testApp, account, account.accessToken)).toBe(401);
  });

  it('refuses a removed member at once', async () => {
    const account = await signUp(testApp.url);
    const member = await addMember(testApp.app, testApp.url, account, 'member');
    await warm(testApp, account, member.accessToken);
    expect((await as(account, account.accessToken).delete(`/members/${member.user.id}`)).status).toBe(204);
    expect(await statusOf(testApp, account, member.accessToken)).toBe(401);
  });

  it('applies a role change at once', async () => {
    const account = await signUp(testApp.url);
    const admin = await addMember(testApp.app, testApp.url, account, 'admin');
    await warm(testApp, account, admin.accessToken, '/invitations');
    const changed = await as(account, account.accessToken).patch(`/members/${admin.user.id}`, {
      role: 'member',
    });
    expect(changed.status).toBe(200);
    expect(await statusOf(testApp, account, admin.accessToken, '/invitations')).toBe(403);
  });

  it('keeps the entry when the change rolls back', async () => {
    const account = await signUp(testApp.url);
    await warm(testApp, account, account.accessToken);
    const cache = testApp.app.get(MembershipAccessCache);
    const runner = testApp.app.get(DataSource).createQueryRunner();
    const size = cache.size;
    try {
      await runner.startTransaction();
      cache.forgetOnCommit(runner.manager, tenantSchemaOf(account), account.user.id);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    expect(cache.size).toBe(size);
  });
});

/** Changes made behind the API's back (an operator's SQL) reach its cache through the notification. */
describe('the cached access check, changed by plain SQL', () => {
  let testApp: TestApp;
  let operator: Client;

  beforeAll(async () => {
    testApp = await startTestApp({ env: LONG_CACHE });
    await waitFor(() => testApp.app.get(MembershipChangeFeed).live, { what: 'the feed to listen' });
    operator = operatorClient(testApp);
    await operator.connect();
  });
  afterAll(async () => {
    await operator?.end();
    await testApp?.close();
  });

  const refusedWithinASecond = (account: SignedUpAccount, accessToken: string, status = 401, path = '/me') =>
    waitFor(async () => (await statusOf(testApp, account, accessToken, path)) === status, {
      ...WITHIN_A_SECOND,
      what: `${status} on ${path}`,
    });

  it('refuses a session revoked by SQL within a second', async () => {
    const account = await signUp(testApp.url);
    await warm(testApp, account, account.accessToken);
    await operator.query(`UPDATE "${tenantSchemaOf(account)}".sessions SET revoked_at = now()`);
    await refusedWithinASecond(account, account.accessToken);
  });

  it('applies a role changed by SQL within a second', async () => {
    const account = await signUp(testApp.url);
    const admin = await addMember(testApp.app, testApp.url, account, 'admin');
    await warm(testApp, account, admin.accessToken, '/invitations');
    await operator.query(
      `UPDATE "${tenantSchemaOf(account)}".memberships SET role = 'member' WHERE id = $1`,
      [admin.user.id],
    );
    await refusedWithinASecond(account, admin.accessToken, 403, '/invitations');
  });

  it('refuses a membership deleted by SQL within a second', async () => {
    const account = await signUp(testApp.url);
    const member = await addMember(testApp.app, testApp.url, account, 'member');
    await warm(testApp, account, member.accessToken);
    await operator.query(`DELETE FROM "${tenantSchemaOf(account)}".memberships WHERE id = $1`, [
      member.user.id,
    ]);
    await refusedWithinASecond(account, member.accessToken);
  });

  it('refuses every session of a tenant whose sessions table is truncated within a second', async () => {
    const account = await signUp(testApp.url);
    await warm(testApp, account, account.accessToken);
    await operator.query(`TRUNCATE "${tenantSchemaOf(account)}".sessions CASCADE`);
    await refusedWithinASecond(account, account.accessToken);
  });

  it('announces session and membership changes only once committed, and not a refresh’s bookkeeping', async () => {
    const account = await signUp(testApp.url);
    const schema = tenantSchemaOf(account);
    const listener = operatorClient(testApp);
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', ({ channel, payload }) => {
      if (channel === MEMBERSHIP_ACCESS_CHANGED_CHANNEL) heard.push(payload ?? '');
    });
    try {
      await listener.query(`LISTEN ${MEMBERSHIP_ACCESS_CHANGED_CHANNEL}`);
      await operator.query(`UPDATE "${schema}".sessions SET last_used_at = now()`);
      await operator.query(`UPDATE "${schema}".memberships SET updated_at = now()`);
      await operator.query('BEGIN');
      await operator.query(`UPDATE "${schema}".sessions SET revoked_at = now()`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toEqual([]);
      await operator.query('COMMIT');
      await waitFor(() => heard.length > 0, { what: 'the revocation' });
      expect(heard).toEqual([`${schema}:${account.user.id}`]);
    } finally {
      await listener.end();
    }
  });

  it('bypasses the cache while its connection is lost, and evicts again once it is back', async () => {
    const feed = testApp.app.get(MembershipChangeFeed);
    const account = await signUp(testApp.url);
    const other = await login(testApp, account);
    await testApp.app.get(DataSource).query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'saas-api-notifications'`,
    );
    await waitFor(() => !feed.live, { what: 'the feed to notice' });
    // Checked while nothing listens, then revoked unannounced: a stored answer would still let it in.
    await warm(testApp, account, account.accessToken);
    await operator.query(
      `UPDATE "${tenantSchemaOf(account)}".sessions SET revoked_at = now() WHERE id = $1`,
      [sessionIdOf(account.accessToken)],
    );
    expect(await statusOf(testApp, account, account.accessToken)).toBe(401);

    await waitFor(() => feed.live, { what: 'the feed to reconnect' });
    await warm(testApp, account, other.accessToken);
    await operator.query(`UPDATE "${tenantSchemaOf(account)}".sessions SET revoked_at = now()`);
    await refusedWithinASecond(account, other.accessToken);
  });
});

/** The claim `sid` of an access token. */
function sessionIdOf(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()) as {
    sid: string;
  };
  return payload.sid;
}

/** Two API processes on one database: a change committed through one reaches the other's cache within a second. */
describe('the cached access check across API processes', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    const env = { ...LONG_CACHE, JWT_SECRET: randomBytes(32).toString('hex') };
    first = await startTestApp({ env });
    second = await startTestApp({ env, databaseName: first.databaseName });
    for (const api of [first, second]) {
      await waitFor(() => api.app.get(MembershipChangeFeed).live, { what: 'the feed to listen' });
    }
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const onSecondWithinASecond = (
    account: SignedUpAccount,
    accessToken: string,
    status: number,
    path = '/me',
  ) =>
    waitFor(async () => (await statusOf(second, account, accessToken, path)) === status, {
      ...WITHIN_A_SECOND,
      what: `${status} on ${path} from process 2`,
    });

  it('refuses on process 2 a session logged out through process 1', async () => {
    const account = await signUp(first.url);
    await warm(second, account, account.accessToken);
    const response = await tenantClient(first.url, account.tenant.slug, account.accessToken).post(
      '/auth/logout',
      { refreshToken: account.refreshToken },
    );
    expect(response.status).toBe(204);
    await onSecondWithinASecond(account, account.accessToken, 401);
  });

  it('applies on process 2 a role change and a removal made through process 1', async () => {
    const account = await signUp(first.url);
    const admin = await addMember(first.app, first.url, account, 'admin');
    await warm(second, account, admin.accessToken, '/invitations');
    const owner = tenantClient(first.url, account.tenant.slug, account.accessToken);
    expect((await owner.patch(`/members/${admin.user.id}`, { role: 'member' })).status).toBe(200);
    await onSecondWithinASecond(account, admin.accessToken, 403, '/invitations');
    expect(await statusOf(second, account, admin.accessToken)).toBe(200);
    expect((await owner.delete(`/members/${admin.user.id}`)).status).toBe(204);
    await onSecondWithinASecond(account, admin.accessToken, 401);
  });
});
