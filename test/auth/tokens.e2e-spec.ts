import { createHmac } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { signUp, tenantClient, TEST_PASSWORD, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access and refresh tokens', () => {
  let testApp: TestApp;
  let account: SignedUpAccount;

  beforeAll(async () => {
    testApp = await startTestApp();
    account = await signUp(testApp.url);
  });
  afterAll(() => testApp.close());

  const me = (token: string) => tenantClient(testApp.url, account.tenant.slug, token).get('/me');
  const anonymous = () => tenantClient(testApp.url, account.tenant.slug);
  const login = async () =>
    (await anonymous().post('/auth/login', { email: account.email, password: TEST_PASSWORD })).body as {
      accessToken: string;
      refreshToken: string;
    };

  it('rotates refresh tokens and revokes the family when a spent one comes back', async () => {
    const first = await login();
    const second = await anonymous().post('/auth/refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);

    const reuse = await anonymous().post('/auth/refresh', { refreshToken: first.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('INVALID_REFRESH_TOKEN');
    // The thief or the owner, whoever comes next with the newer token, is refused too.
    const successor = await anonymous().post('/auth/refresh', {
      refreshToken: second.body.refreshToken as string,
    });
    expect(successor.status).toBe(401);

    const otherSession = await login();
    expect(
      (await anonymous().post('/auth/refresh', { refreshToken: otherSession.refreshToken })).status,
    ).toBe(200);
  });

  it('refuses an unknown refresh token', async () => {
    expect((await anonymous().post('/auth/refresh', { refreshToken: 'made-up' })).status).toBe(401);
  });

  it('refuses an expired access token', async () => {
    const expired = testApp.app
      .get(JwtService)
      .sign({ sub: account.user.id, tid: account.tenant.id, role: 'owner' }, { expiresIn: -10 });
    const response = await me(expired);
    expect(response.status).toBe(401);
    expect(response.body.message).toBe('The access token has expired');
  });

  it('refuses a tampered token', async () => {
    const [header, , signature] = account.accessToken.split('.');
    const forgedPayload = base64url({
      sub: account.user.id,
      tid: account.tenant.id,
      role: 'owner',
      exp: 4_102_444_800,
    });
    expect((await me(`${header}.${forgedPayload}.${signature}`)).status).toBe(401);
  });

  it('refuses an alg: none token and a token signed with another key', async () => {
    const claims = {
      sub: account.user.id,
      tid: account.tenant.id,
      role: 'owner',
      iss: 'saas-api',
      exp: 4_102_444_800,
    };
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
    expect((await me(unsigned)).status).toBe(401);
    const header = base64url({ alg: 'HS256', typ: 'JWT' });
    const body = base64url(claims);
    const otherKey = createHmac('sha256', 'another-secret-of-at-least-32-chars!!')
      .update(`${header}.${body}`)
      .digest('base64url');
    expect((await me(`${header}.${body}.${otherKey}`)).status).toBe(401);
  });

  it('refuses the token of a user who no longer exists', async () => {
    const other = await signUp(testApp.url);
    const schema = `tenant_${other.tenant.id.replace(/-/g, '')}`;
    expect((await tenantClient(testApp.url, other.tenant.slug, other.accessToken).get('/me')).status).toBe(
      200,
    );
    await testApp.app
      .get(DataSource)
      .query(`DELETE FROM "${schema}".memberships WHERE id = $1`, [other.user.id]);
    const response = await tenantClient(testApp.url, other.tenant.slug, other.accessToken).get('/me');
    expect(response.status).toBe(401);
    expect(response.body.message).toBe('The user of this access token no longer exists');
  });

  it('refuses a malformed Authorization header', async () => {
    const response = await anonymous().get('/me').set('Authorization', 'Basic abc');
    expect(response.status).toBe(401);
  });
});
