import { randomUUID } from 'node:crypto';
import { queuedMails, signUp, tenantClient, TEST_PASSWORD, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

interface ListedSession {
  id: string;
  current: boolean;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ip: string | null;
}

describe('sessions', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ env: { TRUST_PROXY: '1' } });
  });
  afterAll(() => testApp.close());

  const anonymous = (account: SignedUpAccount) => tenantClient(testApp.url, account.tenant.slug);
  const as = (account: SignedUpAccount, tokens: Tokens) =>
    tenantClient(testApp.url, account.tenant.slug, tokens.accessToken);

  async function login(
    account: SignedUpAccount,
    { userAgent = 'sessions-test/1.0', ip = '203.0.113.10', email = account.email } = {},
  ): Promise<Tokens> {
    const response = await anonymous(account)
      .post('/auth/login', { email, password: TEST_PASSWORD })
      .set('User-Agent', userAgent)
      .set('X-Forwarded-For', ip);
    expect(response.status).toBe(200);
    return response.body as Tokens;
  }

  /** The session is over: its access token is refused at once, and its refresh token too. */
  async function expectEnded(account: SignedUpAccount, tokens: Tokens) {
    const me = await as(account, tokens).get('/me');
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('UNAUTHORIZED');
    const refresh = await anonymous(account).post('/auth/refresh', { refreshToken: tokens.refreshToken });
    expect(refresh.status).toBe(401);
    expect(refresh.body.code).toBe('INVALID_REFRESH_TOKEN');
  }

  async function expectLive(account: SignedUpAccount, tokens: Tokens) {
    expect((await as(account, tokens).get('/me')).status).toBe(200);
  }

  const listSessions = async (account: SignedUpAccount, tokens: Tokens) => {
    const response = await as(account, tokens).get('/me/sessions');
    expect(response.status).toBe(200);
    return response.body as ListedSession[];
  };

  async function addMember(account: SignedUpAccount): Promise<{ email: string; tokens: Tokens }> {
    const email = `member-${randomUUID()}@example.com`;
    expect((await as(account, account).post('/invitations', { email, role: 'member' })).status).toBe(201);
    const [mail] = (await queuedMails(testApp.app, email)).filter((m) => m.kind === 'invitation');
    const accepted = await anonymous(account)
      .post('/invitations/accept', {
        token: mail.content.data.token,
        name: 'Member',
        password: TEST_PASSWORD,
      })
      .set('User-Agent', 'invited-client/2.0');
    expect(accepted.status).toBe(201);
    return { email, tokens: accepted.body as Tokens };
  }

  it('logout ends its session: the access token and the refresh token stop working at once', async () => {
    const account = await signUp(testApp.url);
    const session = await login(account);
    const other = await login(account);
    await expectLive(account, session);

    const logout = await as(account, session).post('/auth/logout', { refreshToken: session.refreshToken });
    expect(logout.status).toBe(204);

    await expectEnded(account, session);
    await expectLive(account, other);
    await expectLive(account, account);
  });

  it('logout-all ends every session of the user, access tokens included, and no one else’s', async () => {
    const account = await signUp(testApp.url);
    const member = await addMember(account);
    const first = await login(account);
    const second = await login(account);

    expect((await as(account, first).post('/auth/logout-all')).status).toBe(204);

    for (const tokens of [account, first, second]) await expectEnded(account, tokens);
    await expectLive(account, member.tokens);
    // Signing in again starts a new session.
    await expectLive(account, await login(account));
  });

  it('lists the live sessions with where they started, marking the current one', async () => {
    const account = await signUp(testApp.url);
    const phone = await login(account, { userAgent: 'phone-app/3.1', ip: '198.51.100.23' });
    const laptop = await login(account, { userAgent: 'laptop-browser/120', ip: '203.0.113.77' });
    const ended = await login(account);
    await as(account, ended).post('/auth/logout', { refreshToken: ended.refreshToken });

    const sessions = await listSessions(account, laptop);
    expect(sessions).toHaveLength(3);
    for (const session of sessions) {
      expect(session).toEqual({
        id: expect.any(String),
        current: expect.any(Boolean),
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        userAgent: expect.any(String),
        ip: expect.any(String),
      });
    }
    expect(sessions.filter((session) => session.current)).toEqual([
      expect.objectContaining({ userAgent: 'laptop-browser/120', ip: '203.0.113.77' }),
    ]);
    expect(sessions).toContainEqual(
      expect.objectContaining({ current: false, userAgent: 'phone-app/3.1', ip: '198.51.100.23' }),
    );
    // The third is the signup's; the ended one is not listed.
    expect(sessions.filter((session) => session.userAgent === 'sessions-test/1.0')).toEqual([]);
    expect((await listSessions(account, phone)).find((session) => session.current)?.userAgent).toBe(
      'phone-app/3.1',
    );
  });

  it('a refresh keeps the session and moves its lastUsedAt', async () => {
    const account = await signUp(testApp.url);
    const session = await login(account);
    const [before] = (await listSessions(account, session)).filter((listed) => listed.current);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const refreshed = await anonymous(account).post('/auth/refresh', { refreshToken: session.refreshToken });
    expect(refreshed.status).toBe(200);
    const after = (await listSessions(account, refreshed.body as Tokens)).filter((listed) => listed.current);
    expect(after).toEqual([
      expect.objectContaining({ id: before.id, createdAt: before.createdAt, userAgent: before.userAgent }),
    ]);
    expect(Date.parse(after[0].lastUsedAt)).toBeGreaterThan(Date.parse(before.lastUsedAt));
    // The access token issued before the refresh is of the same session and still works.
    await expectLive(account, session);
  });

  it('DELETE /me/sessions/:id ends that session at once and leaves the others', async () => {
    const account = await signUp(testApp.url);
    const lost = await login(account, { userAgent: 'lost-phone/1.0' });
    const current = await login(account);
    const target = (await listSessions(account, current)).find((s) => s.userAgent === 'lost-phone/1.0');

    const removed = await as(account, current).delete(`/me/sessions/${target?.id}`);
    expect(removed.status).toBe(204);

    await expectEnded(account, lost);
    await expectLive(account, current);
    expect((await listSessions(account, current)).map((session) => session.id)).not.toContain(target?.id);
    const again = await as(account, current).delete(`/me/sessions/${target?.id}`);
    expect(again.status).toBe(404);
  });

  it('DELETE /me/sessions/:id of another user’s session, an unknown id or a non-id is 404 and ends nothing', async () => {
    const account = await signUp(testApp.url);
    const member = await addMember(account);
    const [memberSession] = await listSessions(account, member.tokens);
    expect(memberSession).toMatchObject({ current: true, userAgent: 'invited-client/2.0' });

    for (const id of [memberSession.id, randomUUID(), 'not-a-session']) {
      const response = await as(account, account).delete(`/me/sessions/${id}`);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    }
    await expectLive(account, member.tokens);
  });

  it('a spent refresh token presented again ends the session, access tokens included', async () => {
    const account = await signUp(testApp.url);
    const stolen = await login(account);
    const rotated = await anonymous(account).post('/auth/refresh', { refreshToken: stolen.refreshToken });
    expect(rotated.status).toBe(200);

    const reuse = await anonymous(account).post('/auth/refresh', { refreshToken: stolen.refreshToken });
    expect(reuse.status).toBe(401);

    await expectEnded(account, stolen);
    await expectEnded(account, rotated.body as Tokens);
    await expectLive(account, account);
  });
});
