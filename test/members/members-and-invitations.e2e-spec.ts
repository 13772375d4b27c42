import { DataSource } from 'typeorm';
import { queuedMails, signUp, tenantClient, TEST_PASSWORD, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

describe('members, roles and invitations', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const asOwner = (account: SignedUpAccount) =>
    tenantClient(testApp.url, account.tenant.slug, account.accessToken);

  /** Invites and accepts; returns the new member's session. */
  async function addMember(
    account: SignedUpAccount,
    role: 'admin' | 'member',
    email = `${role}-${Math.random().toString(36).slice(2)}@example.com`,
  ) {
    const invited = await asOwner(account).post('/invitations', { email, role });
    expect(invited.status).toBe(201);
    const [mail] = (await queuedMails(testApp.app, email)).filter((m) => m.kind === 'invitation');
    const accepted = await tenantClient(testApp.url, account.tenant.slug).post('/invitations/accept', {
      token: mail.content.data.token,
      name: `New ${role}`,
      password: TEST_PASSWORD,
    });
    expect(accepted.status).toBe(201);
    return {
      ...(accepted.body as { accessToken: string; user: { id: string; role: string } }),
      email,
      token: mail.content.data.token,
    };
  }

  it('invites by mail, and the invitee joins with the invited role', async () => {
    const account = await signUp(testApp.url);
    const email = 'new.member@example.com';
    const invited = await asOwner(account).post('/invitations', {
      email: 'New.Member@Example.com ',
      role: 'member',
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toEqual({
      id: expect.any(String),
      email,
      role: 'member',
      expiresAt: expect.any(String),
    });
    const mails = await queuedMails(testApp.app, email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ tenant_id: account.tenant.id, kind: 'invitation' });
    expect(mails[0].content.data).toMatchObject({
      inviterName: 'Owner Person',
      role: 'member',
      tenantSlug: account.tenant.slug,
    });

    const accepted = await tenantClient(testApp.url, account.tenant.slug).post('/invitations/accept', {
      token: mails[0].content.data.token,
      name: 'New Member',
      password: TEST_PASSWORD,
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toEqual({ id: expect.any(String), email, name: 'New Member', role: 'member' });
    const members = await asOwner(account).get('/members');
    expect(members.body.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [account.email, 'owner'],
      [email, 'member'],
    ]);
    const login = await tenantClient(testApp.url, account.tenant.slug).post('/auth/login', {
      email,
      password: TEST_PASSWORD,
    });
    expect(login.status).toBe(200);
  });

  it('refuses a reused or expired invitation token with INVALID_TOKEN', async () => {
    const account = await signUp(testApp.url);
    const { token } = await addMember(account, 'member');
    const reused = await tenantClient(testApp.url, account.tenant.slug).post('/invitations/accept', {
      token,
      name: 'Again',
      password: TEST_PASSWORD,
    });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe('INVALID_TOKEN');

    const email = 'late@example.com';
    await asOwner(account).post('/invitations', { email, role: 'admin' });
    const schema = `tenant_${account.tenant.id.replace(/-/g, '')}`;
    await testApp.app
      .get(DataSource)
      .query(`UPDATE "${schema}".invitations SET expires_at = now() - interval '1 second' WHERE email = $1`, [
        email,
      ]);
    const [mail] = await queuedMails(testApp.app, email);
    const expired = await tenantClient(testApp.url, account.tenant.slug).post('/invitations/accept', {
      token: mail.content.data.token,
      name: 'Late',
      password: TEST_PASSWORD,
    });
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe('INVALID_TOKEN');
  });

  it('refuses to invite an existing member, and an acceptance whose email was taken meanwhile', async () => {
    const account = await signUp(testApp.url);
    const duplicate = await asOwner(account).post('/invitations', { email: account.email, role: 'member' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('ALREADY_MEMBER');

    const email = 'twice@example.com';
    await asOwner(account).post('/invitations', { email, role: 'member' });
    await asOwner(account).post('/invitations', { email, role: 'admin' });
    const [first, second] = await queuedMails(testApp.app, email);
    const accept = (token: string) =>
      tenantClient(testApp.url, account.tenant.slug).post('/invitations/accept', {
        token,
        name: 'Twice',
        password: TEST_PASSWORD,
      });
    expect((await accept(first.content.data.token)).status).toBe(201);
    const taken = await accept(second.content.data.token);
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('EMAIL_TAKEN');
  });

  it('applies the role rules', async () => {
    const account = await signUp(testApp.url);
    const admin = await addMember(account, 'admin');
    const member = await addMember(account, 'member');
    const asAdmin = tenantClient(testApp.url, account.tenant.slug, admin.accessToken);
    const asMember = tenantClient(testApp.url, account.tenant.slug, member.accessToken);

    expect((await asMember.get('/members')).status).toBe(200);
    const memberInvites = await asMember.post('/invitations', { email: 'x@example.com', role: 'member' });
    expect(memberInvites.status).toBe(403);
    expect(memberInvites.body.code).toBe('FORBIDDEN');
    expect((await asMember.patch(`/members/${admin.user.id}`, { role: 'member' })).status).toBe(403);
    expect((await asMember.delete(`/members/${admin.user.id}`)).status).toBe(403);

    expect((await asAdmin.patch(`/members/${member.user.id}`, { role: 'admin' })).body.role).toBe('admin');
    expect((await asAdmin.patch(`/members/${member.user.id}`, { role: 'owner' })).status).toBe(403);
    expect((await asAdmin.patch(`/members/${account.user.id}`, { role: 'member' })).status).toBe(403);
    expect((await asAdmin.delete(`/members/${account.user.id}`)).status).toBe(403);
    expect((await asAdmin.patch(`/members/${member.user.id}`, { role: 'superuser' })).status).toBe(400);
    expect(
      (await asAdmin.patch('/members/00000000-0000-4000-8000-000000000000', { role: 'admin' })).status,
    ).toBe(404);

    // A demoted admin loses admin rights at once, before the access token expires.
    expect((await asOwner(account).patch(`/members/${admin.user.id}`, { role: 'member' })).status).toBe(200);
    expect((await asAdmin.post('/invitations', { email: 'y@example.com', role: 'member' })).status).toBe(403);

    expect((await asOwner(account).delete(`/members/${member.user.id}`)).status).toBe(204);
    expect((await tenantClient(testApp.url, account.tenant.slug, member.accessToken).get('/me')).status).toBe(
      401,
    );
  });

  it('never leaves a tenant without an owner', async () => {
    const account = await signUp(testApp.url);
    const demoteSelf = await asOwner(account).patch(`/members/${account.user.id}`, { role: 'admin' });
    expect(demoteSelf.status).toBe(403);
    expect(demoteSelf.body.message).toBe('The last owner cannot be demoted');
    const removeSelf = await asOwner(account).delete(`/members/${account.user.id}`);
    expect(removeSelf.status).toBe(403);
    expect(removeSelf.body.message).toBe('The last owner cannot be removed');

    const second = await addMember(account, 'admin');
    expect((await asOwner(account).patch(`/members/${second.user.id}`, { role: 'owner' })).status).toBe(200);
    const asSecond = tenantClient(testApp.url, account.tenant.slug, second.accessToken);
    // Two owners demoting each other at once: exactly one succeeds.
    const [a, b] = await Promise.all([
      asOwner(account).patch(`/members/${second.user.id}`, { role: 'admin' }),
      asSecond.patch(`/members/${account.user.id}`, { role: 'admin' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 403]);
    const owners = (await asSecond.get('/members')).body.filter((m: { role: string }) => m.role === 'owner');
    expect(owners).toHaveLength(1);
  });
});
