import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TenantCatalogue } from '../../src/tenancy/tenant-catalogue';
import { queuedMails, signUp, tenantClient, TEST_PASSWORD, type SignedUpAccount } from '../support/accounts';
import { addMember, auditEntries } from '../support/members';
import { startTestApp, type TestApp } from '../support/test-app';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 6238 (HMAC-SHA-1, 6 digits, 30 s) written here, independently of the product's verifier. */
function totp(secretBase32: string, step: number): string {
  const bits = [...secretBase32.replace(/=+$/, '')]
    .map((character) => BASE32.indexOf(character).toString(2).padStart(5, '0'))
    .join('');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const currentStep = () => Math.floor(Date.now() / 30_000);

/** A code that is none of the accepted window's around `step`. */
function wrongCode(secret: string, step: number): string {
  const valid = new Set([-2, -1, 0, 1, 2, 3].map((delta) => totp(secret, step + delta)));
  return ['000000', '111111', '222222', '333333'].find((code) => !valid.has(code)) as string;
}

interface Enrolled {
  secret: string;
  recoveryCodes: string[];
  /** The time step of the code the enrolment was confirmed with: spent. */
  confirmedStep: number;
}

describe('two-factor sign-in with TOTP', () => {
  let testApp: TestApp;
  let database: DataSource;

  beforeAll(async () => {
    testApp = await startTestApp({
      env: {
        // Billing on, so a tenant's plan follows its subscription columns (set below in SQL).
        STRIPE_SECRET_KEY: 'sk_test_not_called',
        STRIPE_WEBHOOK_SECRET: 'whsec_not_called',
        LOGIN_MAX_FAILURES: '6',
        LOGIN_MAX_FAILURES_PER_IP: '10000',
      },
    });
    database = testApp.app.get(DataSource);
  });
  afterAll(() => testApp.close());

  const as = (account: SignedUpAccount, accessToken = account.accessToken) =>
    tenantClient(testApp.url, account.tenant.slug, accessToken);
  const anonymous = (account: SignedUpAccount) => tenantClient(testApp.url, account.tenant.slug);
  const login = (account: SignedUpAccount) =>
    anonymous(account).post('/auth/login', { email: account.email, password: TEST_PASSWORD });
  const secondStep = (account: SignedUpAccount, body: object) =>
    anonymous(account).post('/auth/login/mfa', body);

  async function mfaTokenOf(account: SignedUpAccount): Promise<string> {
    const response = await login(account);
    expect(response.status).toBe(200);
    expect(Object.keys(response.body as object).sort()).toEqual(['mfaRequired', 'mfaToken']);
    expect(response.body.mfaRequired).toBe(true);
    return response.body.mfaToken as string;
  }

  async function enable(account: SignedUpAccount, accessToken = account.accessToken): Promise<Enrolled> {
    const enrolment = await as(account, accessToken).post('/me/2fa/totp');
    expect(enrolment.status).toBe(201);
    const secret = enrolment.body.secret as string;
    const confirmedStep = currentStep();
    const confirmed = await as(account, accessToken).post('/me/2fa/totp/confirm', {
      code: totp(secret, confirmedStep),
    });
    expect(confirmed.status).toBe(200);
    return { secret, recoveryCodes: confirmed.body.recoveryCodes as string[], confirmedStep };
  }

  async function onPro(account: SignedUpAccount): Promise<void> {
    await database.query(
      `UPDATE public.tenants SET stripe_price_id = 'price_pro_monthly', subscription_status = 'active'
       WHERE id = $1`,
      [account.tenant.id],
    );
    testApp.app.get(TenantCatalogue).invalidate(account.tenant.slug);
  }

  it('enrols, confirms with a code, then asks for a code at login, and refuses a code used before', async () => {
    const account = await signUp(testApp.url);
    const enrolment = await as(account).post('/me/2fa/totp');
    expect(enrolment.status).toBe(201);
    const { secret, otpauthUrl } = enrolment.body as { secret: string; otpauthUrl: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl);
    expect(`${url.protocol}//${url.host}`).toBe('otpauth://totp');
    expect(decodeURIComponent(url.pathname)).toBe(`/${account.tenant.name}:${account.email}`);
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe(account.tenant.name);
    const [stored] = await database.query<{ secret_ciphertext: string }[]>(
      `SELECT f.secret_ciphertext FROM public.totp_factors f JOIN public.identities i ON i.id = f.identity_id
       WHERE i.email = $1`,
      [account.email],
    );
    expect(stored.secret_ciphertext).not.toContain(secret);

    // Pending: not asked for at sign-in, not shown as on.
    expect((await login(account)).body.accessToken).toEqual(expect.any(String));
    expect((await as(account).get('/me')).body.user.twoFactorEnabled).toBe(false);

    const step = currentStep();
    const wrong = await as(account).post('/me/2fa/totp/confirm', { code: wrongCode(secret, step) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('INVALID_CODE');
    const confirmed = await as(account).post('/me/2fa/totp/confirm', { code: totp(secret, step) });
    expect(confirmed.status).toBe(200);
    const recoveryCodes = confirmed.body.recoveryCodes as string[];
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    expect((await as(account).get('/me')).body.user).toMatchObject({
      ...account.user,
      twoFactorEnabled: true,
    });
    const again = await as(account).post('/me/2fa/totp');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TWO_FACTOR_ALREADY_ENABLED');

    const first = await login(account);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
    const mfaToken = first.body.mfaToken as string;

    const replayed = await secondStep(account, { mfaToken, code: totp(secret, step) });
    expect(replayed.status).toBe(401);
    expect(replayed.body.code).toBe('INVALID_MFA_CODE');

    const signedIn = await secondStep(account, { mfaToken, code: totp(secret, step + 1) });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      user: account.user,
    });
    expect((await as(account, signedIn.body.accessToken as string).get('/me')).status).toBe(200);

    const reused = await secondStep(account, { mfaToken, recoveryCode: recoveryCodes[0] });
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('INVALID_MFA_TOKEN');

    // The first sign-in is the one while the enrolment was pending.
    expect((await auditEntries(testApp.app, account)).map((entry) => entry.action)).toEqual([
      'auth.sign_in',
      '2fa.enabled',
      'auth.sign_in',
    ]);
  });

  it('accepts one code once when two sign-ins race with it', async () => {
    const account = await signUp(testApp.url);
    const { secret, confirmedStep } = await enable(account);
    const [one, other] = await Promise.all([mfaTokenOf(account), mfaTokenOf(account)]);
    const code = totp(secret, confirmedStep + 1);
    const answers = await Promise.all([
      secondStep(account, { mfaToken: one, code }),
      secondStep(account, { mfaToken: other, code }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    expect(answers.find((answer) => answer.status === 401)?.body.code).toBe('INVALID_MFA_CODE');
  });

  it('takes a recovery code instead of a code, once, and refuses a wrong code', async () => {
    const account = await signUp(testApp.url);
    const { secret, recoveryCodes, confirmedStep } = await enable(account);
    const mfaToken = await mfaTokenOf(account);
    const wrong = await secondStep(account, { mfaToken, code: wrongCode(secret, confirmedStep) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_MFA_CODE');
    const both = await secondStep(account, {
      mfaToken,
      code: totp(secret, confirmedStep + 1),
      recoveryCode: recoveryCodes[1],
    });
    expect(both.status).toBe(400);
    expect(both.body.code).toBe('VALIDATION_FAILED');

    // Typed as a person may: lower case, without the dash.
    const typed = recoveryCodes[1].replace('-', '').toLowerCase();
    const recovered = await secondStep(account, { mfaToken, recoveryCode: typed });
    expect(recovered.status).toBe(200);
    expect(recovered.body.user).toEqual(account.user);

    const later = await mfaTokenOf(account);
    const spent = await secondStep(account, { mfaToken: later, recoveryCode: recoveryCodes[1] });
    expect(spent.status).toBe(401);
    expect(spent.body.code).toBe('INVALID_MFA_CODE');
    expect((await secondStep(account, { mfaToken: later, recoveryCode: recoveryCodes[2] })).status).toBe(200);
    expect((await auditEntries(testApp.app, account)).map((entry) => entry.action)).toEqual([
      '2fa.enabled',
      '2fa.recovery_code_used',
      'auth.sign_in',
      '2fa.recovery_code_used',
      'auth.sign_in',
    ]);
  });

  it('locks the second step like failed logins after 6 wrong codes in a row', async () => {
    const account = await signUp(testApp.url);
    const { secret, confirmedStep } = await enable(account);
    const mfaToken = await mfaTokenOf(account);
    for (let attempt = 0; attempt < 6; attempt++) {
      const wrong = await secondStep(account, { mfaToken, code: wrongCode(secret, confirmedStep) });
      expect(wrong.status).toBe(401);
    }
    const locked = await secondStep(account, { mfaToken, code: totp(secret, confirmedStep + 1) });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The password step is locked with it: a new challenge would only start the count over.
    expect((await login(account)).status).toBe(429);
  });

  it("does not count a right password as a forgiven failure: a new challenge keeps the wrong codes' count", async () => {
    const account = await signUp(testApp.url);
    const { secret, confirmedStep } = await enable(account);
    for (let round = 0; round < 3; round++) {
      const mfaToken = await mfaTokenOf(account);
      for (const _ of [1, 2]) {
        expect((await secondStep(account, { mfaToken, code: wrongCode(secret, confirmedStep) })).status).toBe(
          401,
        );
      }
    }
    expect((await login(account)).status).toBe(429);
  });

  it('binds the mfaToken to its tenant and lets it expire', async () => {
    const account = await signUp(testApp.url);
    const elsewhere = await signUp(testApp.url, { email: account.email });
    const { secret, confirmedStep } = await enable(account);
    // The factor is the person's: their other tenant asks for it too.
    const otherToken = await mfaTokenOf(elsewhere);
    const mfaToken = await mfaTokenOf(account);
    const crossed = await secondStep(elsewhere, { mfaToken, code: totp(secret, confirmedStep + 1) });
    expect(crossed.status).toBe(401);
    expect(crossed.body.code).toBe('INVALID_MFA_TOKEN');

    await database.query(
      `UPDATE public.mfa_challenges SET expires_at = now() - interval '1 second'
       WHERE identity_id = (SELECT id FROM public.identities WHERE email = $1)`,
      [account.email],
    );
    for (const [at, token] of [
      [account, mfaToken],
      [elsewhere, otherToken],
    ] as const) {
      const expired = await secondStep(at, { mfaToken: token, code: totp(secret, confirmedStep + 1) });
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('INVALID_MFA_TOKEN');
    }
  });

  it('voids an mfaToken when the password is reset before its second step', async () => {
    const account = await signUp(testApp.url);
    const { secret, confirmedStep } = await enable(account);
    const mfaToken = await mfaTokenOf(account);
    expect((await anonymous(account).post('/auth/password/forgot', { email: account.email })).status).toBe(
      202,
    );
    const [reset] = (await queuedMails(testApp.app, account.email)).filter(
      (mail) => mail.kind === 'password-reset',
    );
    const changed = await anonymous(account).post('/auth/password/reset', {
      token: reset.content.data.token,
      password: 'a brand new passphrase',
    });
    expect(changed.status).toBe(204);
    const afterReset = await secondStep(account, { mfaToken, code: totp(secret, confirmedStep + 1) });
    expect(afterReset.status).toBe(401);
    expect(afterReset.body.code).toBe('INVALID_MFA_TOKEN');
  });

  it('turns two-factor sign-in off with a code, deleting the recovery codes', async () => {
    const account = await signUp(testApp.url);
    const { secret, confirmedStep } = await enable(account);
    const wrong = await as(account)
      .delete('/me/2fa/totp')
      .send({ code: wrongCode(secret, confirmedStep) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('INVALID_CODE');
    const disabled = await as(account)
      .delete('/me/2fa/totp')
      .send({ code: totp(secret, confirmedStep + 1) });
    expect(disabled.status).toBe(204);

    expect((await as(account).get('/me')).body.user.twoFactorEnabled).toBe(false);
    const signedIn = await login(account);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.accessToken).toEqual(expect.any(String));
    const [{ count }] = await database.query<{ count: string }[]>(
      `SELECT count(*) FROM public.totp_recovery_codes c JOIN public.identities i ON i.id = c.identity_id
       WHERE i.email = $1`,
      [account.email],
    );
    expect(Number(count)).toBe(0);
    const again = await as(account)
      .delete('/me/2fa/totp')
      .send({ code: totp(secret, confirmedStep + 1) });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TWO_FACTOR_NOT_ENABLED');
    expect((await auditEntries(testApp.app, account)).map((entry) => entry.action)).toEqual([
      '2fa.enabled',
      '2fa.disabled',
      'auth.sign_in',
    ]);
  });

  it('turns it off with a recovery code too', async () => {
    const account = await signUp(testApp.url);
    const { recoveryCodes } = await enable(account);
    expect((await as(account).delete('/me/2fa/totp').send({ recoveryCode: recoveryCodes[9] })).status).toBe(
      204,
    );
    expect((await auditEntries(testApp.app, account)).map((entry) => entry.action).slice(-2)).toEqual([
      '2fa.recovery_code_used',
      '2fa.disabled',
    ]);
  });

  it('lets owners on pro require it: members without it can only enrol, read /me and sign out', async () => {
    const account = await signUp(testApp.url);
    await onPro(account);
    const member = await addMember(testApp.app, testApp.url, account, 'member');
    const asMember = tenantClient(testApp.url, account.tenant.slug, member.accessToken);
    expect((await asMember.get('/tenant/security')).body).toEqual({ require2fa: false });
    const byMember = await asMember.put('/tenant/security', { require2fa: true });
    expect(byMember.status).toBe(403);
    expect(byMember.body.code).toBe('FORBIDDEN');

    const required = await as(account).put('/tenant/security', { require2fa: true });
    expect(required.status).toBe(200);
    expect(required.body).toEqual({ require2fa: true });

    for (const client of [asMember, as(account)]) {
      const blocked = await client.get('/members');
      expect(blocked.status).toBe(403);
      expect(blocked.body.code).toBe('MFA_ENROLMENT_REQUIRED');
    }
    expect((await asMember.get('/me')).status).toBe(200);
    const enrolment = await asMember.post('/me/2fa/totp');
    expect(enrolment.status).toBe(201);
    // Pending is not on.
    expect((await asMember.get('/members')).body.code).toBe('MFA_ENROLMENT_REQUIRED');
    const confirmed = await asMember.post('/me/2fa/totp/confirm', {
      code: totp(enrolment.body.secret as string, currentStep()),
    });
    expect(confirmed.status).toBe(200);
    expect((await asMember.get('/members')).status).toBe(200);

    await enable(account);
    expect((await as(account).put('/tenant/security', { require2fa: false })).status).toBe(200);
    expect((await as(account).get('/tenant/security')).body).toEqual({ require2fa: false });
    const loggedOut = await asMember.post('/auth/logout', { refreshToken: 'not-a-refresh-token' });
    expect(loggedOut.status).toBe(204);
  });

  it('answers 402 on the free plan, where the requirement is not enforced either', async () => {
    const account = await signUp(testApp.url);
    const refused = await as(account).put('/tenant/security', { require2fa: true });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({ code: 'FEATURE_NOT_IN_PLAN', details: { feature: 'require_2fa' } });

    // Left on from a paid plan: without the feature it does not bind.
    await database.query(`UPDATE public.tenants SET require_2fa = true WHERE id = $1`, [account.tenant.id]);
    testApp.app.get(TenantCatalogue).invalidate(account.tenant.slug);
    expect((await as(account).get('/tenant/security')).body).toEqual({ require2fa: true });
    expect((await as(account).get('/members')).status).toBe(200);
  });
});
