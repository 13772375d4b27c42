import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../src/auth/passwords/password-hasher';
import { signUp, tenantClient, type SignedUpAccount } from '../support/accounts';
import {
  acceptInvitation,
  addMember,
  auditEntries,
  invite,
  tenantSchemaOf,
  type SentInvitation,
} from '../support/members';
import { startTestApp, type TestApp } from '../support/test-app';

interface PendingInvitation {
  id: string;
  email: string;
  role: string;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
}

describe('invitations outlive no inviter', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    // Pro leaves room for the several members and pending invitations a test sets up.
    testApp = await startTestApp({ env: { DEFAULT_PLAN: 'pro' } });
  });
  afterAll(() => testApp.close());

  const client = (account: SignedUpAccount, accessToken = account.accessToken) =>
    tenantClient(testApp.url, account.tenant.slug, accessToken);
  const inviteAs = (account: SignedUpAccount, accessToken: string, role: 'admin' | 'member') =>
    invite(testApp.app, testApp.url, account.tenant.slug, accessToken, role);
  const accept = (account: SignedUpAccount, sent: SentInvitation) =>
    acceptInvitation(testApp.url, account.tenant.slug, sent.token);
  const pendingIds = async (account: SignedUpAccount) => {
    const listed = await client(account).get('/invitations');
    expect(listed.status).toBe(200);
    return (listed.body as PendingInvitation[]).map((invitation) => invitation.id);
  };
  const memberEmails = async (account: SignedUpAccount) =>
    ((await client(account).get('/members')).body as { email: string }[]).map((m) => m.email);

  async function expectRefused(account: SignedUpAccount, sent: SentInvitation) {
    const accepted = await accept(account, sent);
    expect(accepted.status).toBe(400);
    expect(accepted.body.code).toBe('INVALID_TOKEN');
    expect(await memberEmails(account)).not.toContain(sent.email);
  }

  it("revokes a removed admin's pending invitations", async () => {
    const account = await signUp(testApp.url);
    const admin = await addMember(testApp.app, testApp.url, account, 'admin');
    const sent = await inviteAs(account, admin.accessToken, 'admin');
    expect(await pendingIds(account)).toEqual([sent.id]);

    expect((await client(account).delete(`/members/${admin.user.id}`)).status).toBe(204);

    expect(await pendingIds(account)).toEqual([]);
    await expectRefused(account, sent);
    expect(await auditEntries(testApp.app, account)).toContainEqual({
      action: 'invitation.revoked',
      actor_id: account.user.id,
      target: `invitation:${sent.id}`,
    });
  });

  it('revokes the pending invitations of an admin demoted to member, and only what they can no longer grant', async () => {
    const account = await signUp(testApp.url);
    const admin = await addMember(testApp.app, testApp.url, account, 'admin');
    const asAdmin = await inviteAs(account, admin.accessToken, 'admin');
    const asMember = await inviteAs(account, admin.accessToken, 'member');

    expect((await client(account).patch(`/members/${admin.user.id}`, { role: 'member' })).status).toBe(200);

    expect(await pendingIds(account)).toEqual([]);
    await expectRefused(account, asAdmin);
    await expectRefused(account, asMember);
  });

  it('keeps the invitations of an owner demoted to admin, who may still send them', async () => {
    const account = await signUp(testApp.url);
    const second = await addMember(testApp.app, testApp.url, account, 'admin');
    expect((await client(account).patch(`/members/${second.user.id}`, { role: 'owner' })).status).toBe(200);
    const sent = await inviteAs(account, second.accessToken, 'admin');

    expect((await client(account).patch(`/members/${second.user.id}`, { role: 'admin' })).status).toBe(200);

    expect(await pendingIds(account)).toEqual([sent.id]);
    const accepted = await accept(account, sent);
    expect(accepted.status).toBe(201);
    expect(accepted.body.user.role).toBe('admin');
  });

  it('re-checks the inviter at acceptance when their power went by a path that revoked nothing', async () => {
    const account = await signUp(testApp.url);
    const dataSource = testApp.app.get(DataSource);
    const schema = tenantSchemaOf(account);
    const demoted = await addMember(testApp.app, testApp.url, account, 'admin');
    const fromDemoted = await inviteAs(account, demoted.accessToken, 'member');
    const deleted = await addMember(testApp.app, testApp.url, account, 'admin');
    const fromDeleted = await inviteAs(account, deleted.accessToken, 'admin');

    await dataSource.query(`UPDATE "${schema}".memberships SET role = 'member' WHERE id = $1`, [
      demoted.user.id,
    ]);
    await dataSource.query(`DELETE FROM "${schema}".memberships WHERE id = $1`, [deleted.user.id]);

    await expectRefused(account, fromDemoted);
    await expectRefused(account, fromDeleted);
    // Nothing was written: the invitations are still unspent.
    const spent = await dataSource.query<{ accepted_at: Date | null }[]>(
      `SELECT accepted_at FROM "${schema}".invitations WHERE id = ANY($1)`,
      [[fromDemoted.id, fromDeleted.id]],
    );
    expect(spent).toEqual([{ accepted_at: null }, { accepted_at: null }]);
  });

  it('lists only pending invitations, to owners and admins', async () => {
    const account = await signUp(testApp.url);
    const admin = await addMember(testApp.app, testApp.url, account, 'admin');
    const member = await addMember(testApp.app, testApp.url, account, 'member');
    const pending = await inviteAs(account, admin.accessToken, 'member');
    const accepted = await inviteAs(account, account.accessToken, 'member');
    const revoked = await inviteAs(account, account.accessToken, 'admin');
    const expired = await inviteAs(account, account.accessToken, 'admin');
    expect((await accept(account, accepted)).status).toBe(201);
    expect((await client(account).delete(`/invitations/${revoked.id}`)).status).toBe(204);
    await testApp.app
      .get(DataSource)
      .query(
        `UPDATE "${tenantSchemaOf(account)}".invitations SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [expired.id],
      );

    const listed = await client(account, admin.accessToken).get('/invitations');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      {
        id: pending.id,
        email: pending.email,
        role: 'member',
        invitedBy: admin.user.id,
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
      },
    ]);
    const [only] = listed.body as PendingInvitation[];
    expect(new Date(only.expiresAt).getTime()).toBeGreaterThan(new Date(only.createdAt).getTime());

    const asMember = await client(account, member.accessToken).get('/invitations');
    expect(asMember.status).toBe(403);
    expect(asMember.body.code).toBe('FORBIDDEN');
    expect((await client(account, member.accessToken).delete(`/invitations/${pending.id}`)).status).toBe(403);
  });

  it('revokes an invitation on DELETE: the token stops working, and it is audited', async () => {
    const account = await signUp(testApp.url);
    const admin = await addMember(testApp.app, testApp.url, account, 'admin');
    const sent = await inviteAs(account, account.accessToken, 'admin');

    const revoked = await client(account, admin.accessToken).delete(`/invitations/${sent.id}`);
    expect(revoked.status).toBe(204);

    await expectRefused(account, sent);
    expect(await pendingIds(account)).toEqual([]);
    expect(await auditEntries(testApp.app, account)).toContainEqual({
      action: 'invitation.revoked',
      actor_id: admin.user.id,
      target: `invitation:${sent.id}`,
    });
    const again = await client(account).delete(`/invitations/${sent.id}`);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('NOT_FOUND');
  });

  it("answers 404 for an unknown id, a malformed id and another tenant's invitation", async () => {
    const account = await signUp(testApp.url);
    const other = await signUp(testApp.url);
    const theirs = await inviteAs(other, other.accessToken, 'member');

    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', theirs.id]) {
      const response = await client(account).delete(`/invitations/${id}`);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    }
    expect(await pendingIds(other)).toEqual([theirs.id]);
    expect((await accept(other, theirs)).status).toBe(201);
  });

  const RACE_TRIALS = 4;

  it.each(Array.from({ length: RACE_TRIALS }, (_, trial) => [trial]))(
    "an acceptance racing the inviter's removal joins before it or not at all (trial %i)",
    async () => {
      const account = await signUp(testApp.url);
      const admin = await addMember(testApp.app, testApp.url, account, 'admin');
      const sent = await inviteAs(account, admin.accessToken, 'admin');
      const earlier = (await auditEntries(testApp.app, account)).length;

      const [removal, acceptance] = await Promise.all([
        client(account).delete(`/members/${admin.user.id}`),
        accept(account, sent),
      ]);

      const outcome = {
        statuses: [removal.status, acceptance.status],
        joined: (await memberEmails(account)).includes(sent.email),
        actions: (await auditEntries(testApp.app, account))
          .slice(earlier)
          .map((entry) => entry.action)
          .filter((action) => ['member.joined', 'member.removed', 'invitation.revoked'].includes(action)),
      };
      expect([
        { statuses: [204, 201], joined: true, actions: ['member.joined', 'member.removed'] },
        { statuses: [204, 400], joined: false, actions: ['invitation.revoked', 'member.removed'] },
      ]).toContainEqual(outcome);
    },
  );

  it.each(Array.from({ length: RACE_TRIALS }, (_, trial) => [trial]))(
    'an invitation sent while its sender is demoted to member does not survive the demotion (trial %i)',
    async () => {
      const account = await signUp(testApp.url);
      const admin = await addMember(testApp.app, testApp.url, account, 'admin');

      const [demotion, invitation] = await Promise.all([
        client(account).patch(`/members/${admin.user.id}`, { role: 'member' }),
        client(account, admin.accessToken).post('/invitations', {
          email: 'raced@example.com',
          role: 'member',
        }),
      ]);

      expect(demotion.status).toBe(200);
      expect([201, 403]).toContain(invitation.status);
      expect(await pendingIds(account)).toEqual([]);
    },
  );

  it('refuses a bogus or revoked token before hashing the password', async () => {
    const account = await signUp(testApp.url);
    const hash = jest.spyOn(testApp.app.get(PasswordHasher), 'hash');
    const expectInvalidToken = async (token: string) => {
      const response = await acceptInvitation(testApp.url, account.tenant.slug, token);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('INVALID_TOKEN');
    };
    try {
      await expectInvalidToken('not-a-real-invitation-token');
      expect(hash).not.toHaveBeenCalled();

      const revoked = await inviteAs(account, account.accessToken, 'member');
      expect((await client(account).delete(`/invitations/${revoked.id}`)).status).toBe(204);
      await expectInvalidToken(revoked.token);
      expect(hash).not.toHaveBeenCalled();

      const valid = await inviteAs(account, account.accessToken, 'member');
      expect((await accept(account, valid)).status).toBe(201);
      expect(hash).toHaveBeenCalledTimes(1);
    } finally {
      hash.mockRestore();
    }
  });
});
