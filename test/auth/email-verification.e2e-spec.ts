import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { type BillingWorld, startBillingWorld } from '../billing/billing-support';
import {
  queuedMails,
  signUp,
  tenantClient,
  TEST_PASSWORD,
  type QueuedMail,
  type SignedUpAccount,
} from '../support/accounts';
import { acceptInvitation, auditEntries, invite } from '../support/members';
import { waitFor } from '../support/wait-for';

const NEW_PASSWORD = 'a brand new passphrase';

const mailsOfKind = async (world: BillingWorld, recipient: string, kind: string): Promise<QueuedMail[]> =>
  (await queuedMails(world.testApp.app, recipient)).filter((mail) => mail.kind === kind);

/** The token of the welcome signup queued for the account. */
async function welcomeToken(world: BillingWorld, account: SignedUpAccount): Promise<string> {
  const [welcome] = await mailsOfKind(world, account.email, 'welcome');
  return welcome.content.data.verificationToken;
}

async function lastToken(world: BillingWorld, recipient: string, kind: string): Promise<string> {
  const mails = await mailsOfKind(world, recipient, kind);
  if (mails.length === 0) throw new Error(`no ${kind} mail to ${recipient}`);
  return mails[mails.length - 1].content.data.token;
}

const me = (world: BillingWorld, account: SignedUpAccount, accessToken = account.accessToken) =>
  tenantClient(world.testApp.url, account.tenant.slug, accessToken).get('/me');

const verify = (world: BillingWorld, slug: string, token: string) =>
  tenantClient(world.testApp.url, slug).post('/auth/email/verify', { token });

function expectInvalidToken(response: { status: number; body: { code?: string } }): void {
  expect({ status: response.status, code: response.body.code }).toEqual({
    status: 400,
    code: 'INVALID_TOKEN',
  });
}

describe('email verification', () => {
  let world: BillingWorld;
  let sinkDir: string;

  beforeAll(async () => {
    sinkDir = await mkdtemp(path.join(tmpdir(), 'email-verification-mail-'));
    world = await startBillingWorld({ MAIL_OUTBOX_DIR: sinkDir });
  });
  afterAll(async () => {
    await world?.close();
    await rm(sinkDir, { recursive: true, force: true });
  });

  it('mails one welcome at signup that carries a single-use link; /me shows the flag before and after', async () => {
    const account = await signUp(world.testApp.url);
    const mails = await queuedMails(world.testApp.app, account.email);
    expect(mails.map((mail) => mail.kind)).toEqual(['welcome']);
    const token = await welcomeToken(world, account);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect((await me(world, account)).body.user).toMatchObject({
      email: account.email,
      emailVerified: false,
    });

    expect((await verify(world, account.tenant.slug, token)).status).toBe(204);
    expect((await me(world, account)).body.user.emailVerified).toBe(true);
    expectInvalidToken(await verify(world, account.tenant.slug, token));
    expect(await auditEntries(world.testApp.app, account)).toContainEqual({
      action: 'email.verified',
      actor_id: account.user.id,
      target: `user:${account.user.id}`,
    });
  });

  it('works only at the tenant it was mailed from', async () => {
    const account = await signUp(world.testApp.url);
    const other = await signUp(world.testApp.url);
    const token = await welcomeToken(world, account);

    expectInvalidToken(await verify(world, other.tenant.slug, token));
    expect((await me(world, account)).body.user.emailVerified).toBe(false);
    expect((await verify(world, account.tenant.slug, token)).status).toBe(204);
  });

  it('stops working when it expires', async () => {
    const account = await signUp(world.testApp.url);
    const token = await welcomeToken(world, account);
    await world.testApp.app
      .get(DataSource)
      .query(
        `UPDATE public.email_verification_tokens SET expires_at = now() - interval '1 second' WHERE tenant_id = $1`,
        [account.tenant.id],
      );

    expectInvalidToken(await verify(world, account.tenant.slug, token));
    expect((await me(world, account)).body.user.emailVerified).toBe(false);
  });

  it('stores only the SHA-256 of the token, and a bogus token is refused', async () => {
    const account = await signUp(world.testApp.url);
    const token = await welcomeToken(world, account);
    const stored = await world.testApp.app
      .get(DataSource)
      .query<{ token_hash: string; email: string }[]>(
        `SELECT token_hash, email FROM public.email_verification_tokens WHERE tenant_id = $1`,
        [account.tenant.id],
      );
    expect(stored).toHaveLength(1);
    expect(stored[0].email).toBe(account.email);
    expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
    expectInvalidToken(await verify(world, account.tenant.slug, 'made-up-token'));
  });

  it('mails a new link on request, which ends the older ones; once verified, 202 and no mail', async () => {
    const account = await signUp(world.testApp.url);
    const first = await welcomeToken(world, account);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);

    expect((await client.post('/auth/email/verification')).status).toBe(202);
    const second = await lastToken(world, account.email, 'email-verification');
    expect(second).not.toBe(first);
    expectInvalidToken(await verify(world, account.tenant.slug, first));
    expect((await verify(world, account.tenant.slug, second)).status).toBe(204);

    expect((await client.post('/auth/email/verification')).status).toBe(202);
    expect(await mailsOfKind(world, account.email, 'email-verification')).toHaveLength(1);
    expect(
      (await tenantClient(world.testApp.url, account.tenant.slug).post('/auth/email/verification')).status,
    ).toBe(401);
  });

  it("brands the verification mail with the tenant's branding and links to the verify page", async () => {
    const account = await signUp(world.testApp.url);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    const branding = {
      displayName: 'Verified Rockets',
      primaryColor: '#ff6600',
      fromName: 'Rockets',
      supportUrl: 'https://rockets.example/help',
    };
    expect((await client.put('/tenant/branding', branding)).status).toBe(200);
    await client.post('/auth/email/verification');
    const token = await lastToken(world, account.email, 'email-verification');
    const [{ id }] = await world.testApp.app
      .get(DataSource)
      .query<{ id: string }[]>(
        `SELECT id FROM public.test_queued_mail WHERE recipient = $1 AND kind = 'email-verification'`,
        [account.email],
      );

    const text = await waitFor(() => readFile(path.join(sinkDir, `${id}.txt`), 'utf8').catch(() => ''), {
      what: 'the verification mail file',
    });
    const html = await readFile(path.join(sinkDir, `${id}.html`), 'utf8');
    const link = `${world.testApp.config.http.publicUrl}/email/verify?token=${token}&tenant=${account.tenant.slug}`;
    expect(text).toContain(`To: ${account.email}`);
    expect(text).toContain('Subject: Verify your email address for Verified Rockets');
    expect(text).toContain(link);
    expect(html).toContain('Verified Rockets');
    expect(html).toContain('background-color:#ff6600');
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map(([, value]) =>
      value.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'),
    );
    expect(hrefs).toContain(link);
  });

  it('verifies the address of an invitee who accepts, new or with an unverified account elsewhere', async () => {
    const owner = await signUp(world.testApp.url);
    const sent = await invite(
      world.testApp.app,
      world.testApp.url,
      owner.tenant.slug,
      owner.accessToken,
      'member',
    );
    const joined = await acceptInvitation(world.testApp.url, owner.tenant.slug, sent.token);
    expect(joined.status).toBe(201);
    expect((await me(world, owner, joined.body.accessToken)).body.user).toMatchObject({
      email: sent.email,
      emailVerified: true,
    });

    const elsewhere = await signUp(world.testApp.url);
    expect((await me(world, elsewhere)).body.user.emailVerified).toBe(false);
    const again = await invite(
      world.testApp.app,
      world.testApp.url,
      owner.tenant.slug,
      owner.accessToken,
      'admin',
      elsewhere.email,
    );
    const accepted = await acceptInvitation(world.testApp.url, owner.tenant.slug, again.token);
    expect(accepted.status).toBe(201);
    expect((await me(world, owner, accepted.body.accessToken)).body.user.emailVerified).toBe(true);
    // One identity: verified at its other tenant too.
    expect((await me(world, elsewhere)).body.user.emailVerified).toBe(true);
  });

  it('verifies the address on a password reset, since its link went there', async () => {
    const account = await signUp(world.testApp.url);
    const anonymous = tenantClient(world.testApp.url, account.tenant.slug);
    await anonymous.post('/auth/password/forgot', { email: account.email });
    const token = await lastToken(world, account.email, 'password-reset');
    expect((await anonymous.post('/auth/password/reset', { token, password: NEW_PASSWORD })).status).toBe(
      204,
    );

    const session = await anonymous.post('/auth/login', { email: account.email, password: NEW_PASSWORD });
    expect((await me(world, account, session.body.accessToken)).body.user.emailVerified).toBe(true);
  });

  it('lets an unverified owner invite and check out while REQUIRE_VERIFIED_EMAIL is off', async () => {
    const account = await signUp(world.testApp.url);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    expect((await client.post('/invitations', { email: 'someone@example.com', role: 'member' })).status).toBe(
      201,
    );
    expect((await client.post('/billing/checkout', { plan: 'pro' })).status).toBe(201);
  });

  describe('changing the email', () => {
    const changeEmail = (account: SignedUpAccount, body: object) =>
      tenantClient(world.testApp.url, account.tenant.slug, account.accessToken).post('/me/email', body);
    const newAddress = () => `new-${Math.random().toString(36).slice(2)}@example.com`;

    it('takes effect only once the link mailed to the new address is used', async () => {
      const account = await signUp(world.testApp.url);
      const anonymous = tenantClient(world.testApp.url, account.tenant.slug);
      const email = newAddress();
      // A reset link mailed to the old address before the change must not outlive it.
      await anonymous.post('/auth/password/forgot', { email: account.email });
      const resetToken = await lastToken(world, account.email, 'password-reset');

      expect(
        (await changeEmail(account, { email: email.toUpperCase(), password: TEST_PASSWORD })).status,
      ).toBe(202);
      const token = await lastToken(world, email, 'email-change');
      expect(await mailsOfKind(world, account.email, 'email-change-notice')).toEqual([
        expect.objectContaining({
          content: expect.objectContaining({ data: expect.objectContaining({ newEmail: email }) }),
        }),
      ]);
      expect((await me(world, account)).body.user).toMatchObject({
        email: account.email,
        emailVerified: false,
      });
      expect((await anonymous.post('/auth/login', { email, password: TEST_PASSWORD })).status).toBe(401);

      expect((await verify(world, account.tenant.slug, token)).status).toBe(204);
      expect((await me(world, account)).body.user).toMatchObject({ email, emailVerified: true });
      expect((await anonymous.post('/auth/login', { email, password: TEST_PASSWORD })).status).toBe(200);
      expect(
        (await anonymous.post('/auth/login', { email: account.email, password: TEST_PASSWORD })).status,
      ).toBe(401);
      expectInvalidToken(await verify(world, account.tenant.slug, token));
      expectInvalidToken(
        await anonymous.post('/auth/password/reset', { token: resetToken, password: NEW_PASSWORD }),
      );
      expect(await auditEntries(world.testApp.app, account)).toContainEqual({
        action: 'email.changed',
        actor_id: account.user.id,
        target: `user:${account.user.id}`,
      });
    });

    it('keeps the verification link of the current address working, which cannot undo a change', async () => {
      const account = await signUp(world.testApp.url);
      const welcome = await welcomeToken(world, account);
      const email = newAddress();
      await changeEmail(account, { email, password: TEST_PASSWORD });
      const changeToken = await lastToken(world, email, 'email-change');

      expect((await verify(world, account.tenant.slug, welcome)).status).toBe(204);
      expect((await me(world, account)).body.user).toMatchObject({
        email: account.email,
        emailVerified: true,
      });
      expect((await verify(world, account.tenant.slug, changeToken)).status).toBe(204);
      expect((await me(world, account)).body.user).toMatchObject({ email, emailVerified: true });
    });

    it('ends the links of the old address once the change is made, so none can move the account back', async () => {
      const account = await signUp(world.testApp.url);
      const welcome = await welcomeToken(world, account);
      const email = newAddress();
      await changeEmail(account, { email, password: TEST_PASSWORD });
      expect(
        (await verify(world, account.tenant.slug, await lastToken(world, email, 'email-change'))).status,
      ).toBe(204);

      expectInvalidToken(await verify(world, account.tenant.slug, welcome));
      expect((await me(world, account)).body.user).toMatchObject({ email, emailVerified: true });
    });

    it('ends a pending change when another one is asked', async () => {
      const account = await signUp(world.testApp.url);
      const [first, second] = [newAddress(), newAddress()];
      await changeEmail(account, { email: first, password: TEST_PASSWORD });
      await changeEmail(account, { email: second, password: TEST_PASSWORD });

      expectInvalidToken(
        await verify(world, account.tenant.slug, await lastToken(world, first, 'email-change')),
      );
      expect(
        (await verify(world, account.tenant.slug, await lastToken(world, second, 'email-change'))).status,
      ).toBe(204);
      expect((await me(world, account)).body.user.email).toBe(second);
    });

    it('needs the current password: 401 INVALID_CREDENTIALS and no mail otherwise', async () => {
      const account = await signUp(world.testApp.url);
      const email = newAddress();
      const response = await changeEmail(account, { email, password: 'not the password at all' });

      expect({ status: response.status, code: response.body.code }).toEqual({
        status: 401,
        code: 'INVALID_CREDENTIALS',
      });
      expect(await queuedMails(world.testApp.app, email)).toEqual([]);
      expect((await changeEmail(account, { email })).status).toBe(400);
    });

    it('counts wrong passwords like failed sign-ins: past the limit, 429 TOO_MANY_LOGIN_ATTEMPTS', async () => {
      const account = await signUp(world.testApp.url);
      const codes: unknown[] = [];
      for (let i = 0; i <= world.testApp.config.auth.maxLoginFailures; i++) {
        const guess = await changeEmail(account, { email: newAddress(), password: `wrong guess ${i}` });
        codes.push((guess.body as { code?: string }).code);
      }
      expect(codes).toEqual([
        ...Array(world.testApp.config.auth.maxLoginFailures).fill('INVALID_CREDENTIALS'),
        'TOO_MANY_LOGIN_ATTEMPTS',
      ]);
      const anonymous = tenantClient(world.testApp.url, account.tenant.slug);
      expect(
        (await anonymous.post('/auth/login', { email: account.email, password: TEST_PASSWORD })).status,
      ).toBe(429);
    });

    it("answers 409 EMAIL_TAKEN for another account's address, when asked and when the link is used", async () => {
      const account = await signUp(world.testApp.url);
      const other = await signUp(world.testApp.url);
      const taken = await changeEmail(account, { email: other.email, password: TEST_PASSWORD });
      expect({ status: taken.status, code: taken.body.code }).toEqual({ status: 409, code: 'EMAIL_TAKEN' });
      expect(await mailsOfKind(world, other.email, 'email-change')).toEqual([]);

      const email = newAddress();
      await changeEmail(account, { email, password: TEST_PASSWORD });
      const token = await lastToken(world, email, 'email-change');
      await signUp(world.testApp.url, { email });

      const late = await verify(world, account.tenant.slug, token);
      expect({ status: late.status, code: late.body.code }).toEqual({ status: 409, code: 'EMAIL_TAKEN' });
      expect((await me(world, account)).body.user).toMatchObject({
        email: account.email,
        emailVerified: false,
      });
    });
  });
});

describe('REQUIRE_VERIFIED_EMAIL on', () => {
  let world: BillingWorld;
  beforeAll(async () => {
    world = await startBillingWorld({ REQUIRE_VERIFIED_EMAIL: 'true' });
  });
  afterAll(() => world?.close());

  it('refuses an unverified owner invitations and checkout with 403 EMAIL_NOT_VERIFIED, and allows them once verified', async () => {
    const account = await signUp(world.testApp.url);
    const client = tenantClient(world.testApp.url, account.tenant.slug, account.accessToken);
    const inviting = () => client.post('/invitations', { email: 'someone@example.com', role: 'member' });
    const checkingOut = () => client.post('/billing/checkout', { plan: 'pro' });

    for (const refused of [await inviting(), await checkingOut()]) {
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 403,
        code: 'EMAIL_NOT_VERIFIED',
      });
    }
    expect(await queuedMails(world.testApp.app, 'someone@example.com')).toEqual([]);
    expect(world.stripe.requestsTo('POST', '/v1/checkout/sessions')).toEqual([]);
    expect((await client.get('/me')).status).toBe(200);
    expect((await client.post('/projects', { name: 'Allowed anyway' })).status).toBe(201);

    expect((await verify(world, account.tenant.slug, await welcomeToken(world, account))).status).toBe(204);
    // The same access token: the guard reads the verification as it is now, not a claim in the token.
    expect((await inviting()).status).toBe(201);
    expect((await checkingOut()).status).toBe(201);
  });

  it('lets an invitee who verified by accepting invite others at once', async () => {
    const owner = await signUp(world.testApp.url);
    await verify(world, owner.tenant.slug, await welcomeToken(world, owner));
    const sent = await invite(
      world.testApp.app,
      world.testApp.url,
      owner.tenant.slug,
      owner.accessToken,
      'admin',
    );
    const joined = await acceptInvitation(world.testApp.url, owner.tenant.slug, sent.token);
    const admin = tenantClient(world.testApp.url, owner.tenant.slug, joined.body.accessToken);
    expect((await admin.post('/invitations', { email: 'next@example.com', role: 'member' })).status).toBe(
      201,
    );
  });
});
