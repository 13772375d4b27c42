import { signUp, tenantClient, type SignedUpAccount } from '../support/accounts';
import { addMember, auditEntries } from '../support/members';
import { startTestApp, type TestApp } from '../support/test-app';

interface Person {
  id: string;
  accessToken: string;
}

/**
 * Two owners acting at once must end as if one acted after the other: an owner demoted first cannot
 * then grant or take away the owner role on the strength of the role they had when they asked.
 */
describe('concurrent role changes by two owners', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    // Pro leaves room for the several members and pending invitations a test sets up.
    testApp = await startTestApp({ env: { DEFAULT_PLAN: 'pro' } });
  });
  afterAll(() => testApp.close());

  const TRIALS = 8;
  const as = (account: SignedUpAccount, person: Person) =>
    tenantClient(testApp.url, account.tenant.slug, person.accessToken);

  /** A tenant whose owners are its founder and `extraOwners` more, plus one plain member. */
  async function tenantWithOwners(extraOwners: number) {
    const account = await signUp(testApp.url);
    const founder = { id: account.user.id, accessToken: account.accessToken };
    const owners: Person[] = [founder];
    for (let i = 0; i < extraOwners; i++) {
      const joined = await addMember(testApp.app, testApp.url, account, 'admin');
      expect((await as(account, founder).patch(`/members/${joined.user.id}`, { role: 'owner' })).status).toBe(
        200,
      );
      owners.push({ id: joined.user.id, accessToken: joined.accessToken });
    }
    const member = await addMember(testApp.app, testApp.url, account, 'member');
    return { account, owners, member: { id: member.user.id, accessToken: member.accessToken } };
  }

  async function rolesOf(account: SignedUpAccount, viewer: Person): Promise<Record<string, string>> {
    const members = (await as(account, viewer).get('/members')).body as { id: string; role: string }[];
    return Object.fromEntries(members.map((m) => [m.id, m.role]));
  }

  /** Role changes and removals in the order they were committed, as `actor changed target`. */
  async function committedChanges(account: SignedUpAccount): Promise<string[]> {
    return (await auditEntries(testApp.app, account))
      .filter((entry) => entry.action === 'member.role_changed' || entry.action === 'member.removed')
      .map((entry) => `${entry.actor_id} ${entry.action} ${entry.target}`);
  }

  it.each(Array.from({ length: TRIALS }, (_, trial) => [trial]))(
    'one owner demotes the other while that one promotes a member to owner (trial %i)',
    async (trial) => {
      const { account, owners, member } = await tenantWithOwners(1);
      // Alternate who demotes whom, so both lock orders of the two owners' ids come up.
      const [demoter, promoter] = trial % 2 === 0 ? owners : [owners[1], owners[0]];
      const earlier = (await committedChanges(account)).length;

      const [demotion, promotion] = await Promise.all([
        as(account, demoter).patch(`/members/${promoter.id}`, { role: 'admin' }),
        as(account, promoter).patch(`/members/${member.id}`, { role: 'owner' }),
      ]);

      const roles = await rolesOf(account, demoter);
      const outcome = {
        statuses: [demotion.status, promotion.status],
        roles: [roles[demoter.id], roles[promoter.id], roles[member.id]],
        changes: (await committedChanges(account)).slice(earlier),
      };
      const demoted = `${demoter.id} member.role_changed user:${promoter.id}:owner->admin`;
      const promoted = `${promoter.id} member.role_changed user:${member.id}:member->owner`;
      expect([
        // The demotion first: the demoted promoter may no longer grant owner.
        { statuses: [200, 403], roles: ['owner', 'admin', 'member'], changes: [demoted] },
        // The promotion first, while the promoter was still an owner.
        { statuses: [200, 200], roles: ['owner', 'admin', 'owner'], changes: [promoted, demoted] },
      ]).toContainEqual(outcome);
      if (promotion.status === 403) expect(promotion.body.code).toBe('FORBIDDEN');
    },
  );

  it.each(Array.from({ length: TRIALS / 2 }, (_, trial) => [trial]))(
    'one owner demotes another while that one removes a third owner (trial %i)',
    async (trial) => {
      const { account, owners } = await tenantWithOwners(2);
      const [demoter, remover, removed] = trial % 2 === 0 ? owners : [owners[1], owners[0], owners[2]];
      const earlier = (await committedChanges(account)).length;

      const [demotion, removal] = await Promise.all([
        as(account, demoter).patch(`/members/${remover.id}`, { role: 'admin' }),
        as(account, remover).delete(`/members/${removed.id}`),
      ]);

      const roles = await rolesOf(account, demoter);
      const outcome = {
        statuses: [demotion.status, removal.status],
        roles: [roles[demoter.id], roles[remover.id], roles[removed.id]],
        changes: (await committedChanges(account)).slice(earlier),
      };
      const demoted = `${demoter.id} member.role_changed user:${remover.id}:owner->admin`;
      const removedEntry = `${remover.id} member.removed user:${removed.id}`;
      expect([
        { statuses: [200, 403], roles: ['owner', 'admin', 'owner'], changes: [demoted] },
        { statuses: [200, 204], roles: ['owner', 'admin', undefined], changes: [removedEntry, demoted] },
      ]).toContainEqual(outcome);
    },
  );
});
