import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../src/auth/passwords/password-hasher';
import { queuedMails, signUp, tenantClient, TEST_PASSWORD, type SignedUpAccount } from '../support/accounts';
import { acceptInvitation, invite } from '../support/members';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * One person accepting invitations to several tenants at the same instant, alone or while a password
 * reset or an email verification of theirs runs: no answer is a 500 (such as a deadlock between the
 * transactions that mark the one identity verified), and the identity ends verified and a member of
 * every tenant whose accept answered 201.
 */
describe('concurrent invitation accepts by one identity', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const ROUNDS = 6;
  const NEW_PASSWORD = 'a brand new passphrase';
  const INVITING_TENANTS = 3;

  /** Each of `INVITING_TENANTS` new tenants invites `email`; their tokens, by tenant slug. */
  async function invitationsTo(email: string): Promise<{ slug: string; token: string }[]> {
    const owners: SignedUpAccount[] = [];
    for (let i = 0; i < INVITING_TENANTS; i++) owners.push(await signUp(testApp.url));
    const sent = [];
    for (const owner of owners) {
      const invitation = await invite(
        testApp.app,
        testApp.url,
        owner.tenant.slug,
        owner.accessToken,
        'member',
        email,
      );
      sent.push({ slug: owner.tenant.slug, token: invitation.token });
    }
    return sent;
  }

  /** The identity of `email` as its member of `slug` sees it, signed in with `password`. */
  async function identityOf(slug: string, email: string, password = TEST_PASSWORD) {
    const client = tenantClient(testApp.url, slug);
    const session = await client.post('/auth/login', { email, password });
    if (session.status !== 200) throw new Error(`login failed: ${session.status} ${session.text}`);
    const signedIn = tenantClient(testApp.url, slug, session.body.accessToken);
    const me = await signedIn.get('/me');
    const tenants = (await signedIn.get('/me/tenants')).body as { slug: string }[];
    return {
      verified: me.body.user.emailVerified as boolean,
      tenants: tenants.map((tenant) => tenant.slug).sort(),
    };
  }

  /** Fires every accept, and `alongside` if given, at once; the answers as `status CODE`. */
  async function acceptAllAtOnce(
    invitations: { slug: string; token: string }[],
    alongside?: () => Promise<{ status: number; body: { code?: string } }>,
  ): Promise<{ accepts: string[]; alongside?: string }> {
    const answers = await Promise.all([
      ...invitations.map(({ slug, token }) => acceptInvitation(testApp.url, slug, token)),
      ...(alongside ? [alongside()] : []),
    ]);
    const described = answers.map((answer) => `${answer.status} ${answer.body.code ?? ''}`.trim());
    return {
      accepts: described.slice(0, invitations.length),
      ...(alongside && { alongside: described[invitations.length] }),
    };
  }

  const joinedSlugs = (invitations: { slug: string }[], accepts: string[]) =>
    invitations.filter((_, i) => accepts[i] === '201').map(({ slug }) => slug);

  it.each(Array.from({ length: ROUNDS }, (_, round) => [round]))(
    'an identity unverified at its own tenant accepts invitations to three more at once (round %i)',
    async () => {
      const own = await signUp(testApp.url);
      const invitations = await invitationsTo(own.email);

      const { accepts } = await acceptAllAtOnce(invitations);

      expect(accepts).toEqual(invitations.map(() => '201'));
      expect(await identityOf(own.tenant.slug, own.email)).toEqual({
        verified: true,
        tenants: [own.tenant.slug, ...invitations.map(({ slug }) => slug)].sort(),
      });
    },
  );

  it.each(Array.from({ length: ROUNDS }, (_, round) => [round]))(
    'a new email accepts invitations to three tenants at once (round %i)',
    async () => {
      const email = `newcomer-${Math.random().toString(36).slice(2)}@example.com`;
      const invitations = await invitationsTo(email);

      const { accepts } = await acceptAllAtOnce(invitations);

      // With the same password, whoever loses the race to create the identity joins it.
      expect(accepts).toEqual(invitations.map(() => '201'));
      expect(await identityOf(invitations[0].slug, email)).toEqual({
        verified: true,
        tenants: invitations.map(({ slug }) => slug).sort(),
      });
    },
  );

  it('a new email accepts invitations while a signup of it is creating its identity, unverified', async () => {
    const email = `signing-up-${Math.random().toString(36).slice(2)}@example.com`;
    const invitations = await invitationsTo(email);
    const dataSource = testApp.app.get(DataSource);
    // This transaction stands in for a signup that inserted the identity and has yet to commit: every
    // accept claims a new identity, waits on the insert, then joins the one committed.
    const signup = dataSource.createQueryRunner();
    await signup.connect();
    try {
      await signup.startTransaction();
      await signup.query(
        `INSERT INTO public.identities (email, name, password_hash) VALUES ($1, 'Signing Up', $2)`,
        [email, await testApp.app.get(PasswordHasher).hash(TEST_PASSWORD)],
      );
      const accepting = acceptAllAtOnce(invitations);
      await waitFor(
        async () => {
          const [{ waiting }] = await dataSource.query<{ waiting: number }[]>(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'
               AND query LIKE 'INSERT INTO public.identities%'`,
          );
          return waiting === invitations.length;
        },
        { what: 'every accept to wait on the identity being inserted' },
      );
      await signup.commitTransaction();

      expect((await accepting).accepts).toEqual(invitations.map(() => '201'));
    } finally {
      await signup.release();
    }
    expect(await identityOf(invitations[0].slug, email)).toEqual({
      verified: true,
      tenants: invitations.map(({ slug }) => slug).sort(),
    });
  });

  it.each(Array.from({ length: ROUNDS }, (_, round) => [round]))(
    'an unverified identity resets its password while accepting invitations (round %i)',
    async () => {
      const own = await signUp(testApp.url);
      const invitations = await invitationsTo(own.email);
      const anonymous = tenantClient(testApp.url, own.tenant.slug);
      expect((await anonymous.post('/auth/password/forgot', { email: own.email })).status).toBe(202);
      const [reset] = (await queuedMails(testApp.app, own.email)).filter(
        (mail) => mail.kind === 'password-reset',
      );

      const outcome = await acceptAllAtOnce(invitations, () =>
        anonymous.post('/auth/password/reset', { token: reset.content.data.token, password: NEW_PASSWORD }),
      );

      // An accept that comes after the reset no longer has the password it was checked with.
      expect(outcome.alongside).toBe('204');
      for (const accept of outcome.accepts) expect(['201', '401 INVALID_CREDENTIALS']).toContain(accept);
      expect(await identityOf(own.tenant.slug, own.email, NEW_PASSWORD)).toEqual({
        verified: true,
        tenants: [own.tenant.slug, ...joinedSlugs(invitations, outcome.accepts)].sort(),
      });
    },
  );

  it.each(Array.from({ length: ROUNDS }, (_, round) => [round]))(
    'an unverified identity uses its verification link while accepting invitations (round %i)',
    async () => {
      const own = await signUp(testApp.url);
      const invitations = await invitationsTo(own.email);
      const [welcome] = (await queuedMails(testApp.app, own.email)).filter((mail) => mail.kind === 'welcome');

      const outcome = await acceptAllAtOnce(invitations, () =>
        tenantClient(testApp.url, own.tenant.slug).post('/auth/email/verify', {
          token: welcome.content.data.verificationToken,
        }),
      );

      expect(outcome).toEqual({ accepts: invitations.map(() => '201'), alongside: '204' });
      expect(await identityOf(own.tenant.slug, own.email)).toEqual({
        verified: true,
        tenants: [own.tenant.slug, ...invitations.map(({ slug }) => slug)].sort(),
      });
    },
  );
});
