import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../src/auth/passwords/password-hasher';
import { queuedMails, signUp, tenantClient, TEST_PASSWORD, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

const NEW_PASSWORD = 'a brand new passphrase';

describe('password reset', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const resetTokens = async (account: SignedUpAccount) =>
    (await queuedMails(testApp.app, account.email))
      .filter((mail) => mail.kind === 'password-reset')
      .map((mail) => mail.content.data.token);

  it('answers 202 for unknown emails without queueing a mail', async () => {
    const account = await signUp(testApp.url);
    const response = await tenantClient(testApp.url, account.tenant.slug).post('/auth/password/forgot', {
      email: 'nobody@example.com',
    });
    expect(response.status).toBe(202);
    expect(await queuedMails(testApp.app, 'nobody@example.com')).toEqual([]);
  });

  it('mails a single-use token that sets a new password and ends every session', async () => {
    const account = await signUp(testApp.url);
    const anonymous = tenantClient(testApp.url, account.tenant.slug);
    const session = (await anonymous.post('/auth/login', { email: account.email, password: TEST_PASSWORD }))
      .body as {
      accessToken: string;
      refreshToken: string;
    };

    expect((await anonymous.post('/auth/password/forgot', { email: account.email })).status).toBe(202);
    const [mail] = (await queuedMails(testApp.app, account.email)).filter((m) => m.kind === 'password-reset');
    expect(mail).toMatchObject({ tenant_id: account.tenant.id, recipient: account.email });
    const { token } = mail.content.data;

    expect((await anonymous.post('/auth/password/reset', { token, password: NEW_PASSWORD })).status).toBe(
      204,
    );
    const again = await anonymous.post('/auth/password/reset', { token, password: 'yet another passphrase' });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('INVALID_TOKEN');

    expect((await anonymous.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    expect((await anonymous.post('/auth/refresh', { refreshToken: account.refreshToken })).status).toBe(401);
    // The access tokens of the ended sessions stop working at once, not when they expire.
    for (const accessToken of [session.accessToken, account.accessToken]) {
      expect((await tenantClient(testApp.url, account.tenant.slug, accessToken).get('/me')).status).toBe(401);
    }
    expect(
      (await anonymous.post('/auth/login', { email: account.email, password: TEST_PASSWORD })).status,
    ).toBe(401);
    expect(
      (await anonymous.post('/auth/login', { email: account.email, password: NEW_PASSWORD })).status,
    ).toBe(200);
  });

  it('refuses an expired token and a weak new password', async () => {
    const account = await signUp(testApp.url);
    const anonymous = tenantClient(testApp.url, account.tenant.slug);
    await anonymous.post('/auth/password/forgot', { email: account.email });
    const [mail] = (await queuedMails(testApp.app, account.email)).filter((m) => m.kind === 'password-reset');
    const weak = await anonymous.post('/auth/password/reset', {
      token: mail.content.data.token,
      password: 'qwertyqwerty',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('VALIDATION_FAILED');

    await testApp.app
      .get(DataSource)
      .query(
        `UPDATE public.password_reset_tokens SET expires_at = now() - interval '1 second' WHERE tenant_id = $1`,
        [account.tenant.id],
      );
    const expired = await anonymous.post('/auth/password/reset', {
      token: mail.content.data.token,
      password: NEW_PASSWORD,
    });
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe('INVALID_TOKEN');
  });

  it('consumes every open reset token of the user: an older or newer link no longer works', async () => {
    const account = await signUp(testApp.url);
    const anonymous = tenantClient(testApp.url, account.tenant.slug);
    await anonymous.post('/auth/password/forgot', { email: account.email });
    await anonymous.post('/auth/password/forgot', { email: account.email });
    await anonymous.post('/auth/password/forgot', { email: account.email });
    const [first, second, third] = await resetTokens(account);

    expect(
      (await anonymous.post('/auth/password/reset', { token: second, password: NEW_PASSWORD })).status,
    ).toBe(204);
    for (const token of [first, third]) {
      const stale = await anonymous.post('/auth/password/reset', {
        token,
        password: 'an attacker passphrase',
      });
      expect(stale.status).toBe(400);
      expect(stale.body.code).toBe('INVALID_TOKEN');
    }
    expect(
      (await anonymous.post('/auth/login', { email: account.email, password: NEW_PASSWORD })).status,
    ).toBe(200);
  });

  it('refuses a bogus or spent token before hashing the new password', async () => {
    const account = await signUp(testApp.url);
    const anonymous = tenantClient(testApp.url, account.tenant.slug);
    await anonymous.post('/auth/password/forgot', { email: account.email });
    const [token] = await resetTokens(account);
    expect((await anonymous.post('/auth/password/reset', { token, password: NEW_PASSWORD })).status).toBe(
      204,
    );

    const hash = jest.spyOn(testApp.app.get(PasswordHasher), 'hash');
    try {
      for (const refused of ['made-up-reset-token', token]) {
        const response = await anonymous.post('/auth/password/reset', {
          token: refused,
          password: 'yet another passphrase',
        });
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('INVALID_TOKEN');
      }
      expect(hash).not.toHaveBeenCalled();
    } finally {
      hash.mockRestore();
    }
  });
});
