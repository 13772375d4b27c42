import { DataSource } from 'typeorm';
import { queuedMails, signUp, tenantClient, TEST_PASSWORD } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

const NEW_PASSWORD = 'a brand new passphrase';

describe('password reset', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

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

    const schema = `tenant_${account.tenant.id.replace(/-/g, '')}`;
    await testApp.app
      .get(DataSource)
      .query(`UPDATE "${schema}".password_reset_tokens SET expires_at = now() - interval '1 second'`);
    const expired = await anonymous.post('/auth/password/reset', {
      token: mail.content.data.token,
      password: NEW_PASSWORD,
    });
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe('INVALID_TOKEN');
  });
});
